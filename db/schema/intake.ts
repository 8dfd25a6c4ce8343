import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { ACTOR_TYPES, cancellationReasons, cancellations } from "./cancellations";
import { channels, lineItems, orders, subOrders, warehouses } from "./catalog";

/**
 * How a channel names our reasons: the code or text its API expects (commerce `reasons`), and
 * the way back for the customer reasons its cancel requests carry. One-to-one per channel.
 */
export const channelReasonCodes = pgTable(
  "channel_reason_codes",
  {
    channelId: text()
      .notNull()
      .references(() => channels.id),
    reasonCode: text()
      .notNull()
      .references(() => cancellationReasons.code),
    channelCode: text().notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.channelId, t.reasonCode] }), uniqueIndex().on(t.channelId, t.channelCode)],
);

/** Item ids a channel replaced (the dropship API makes a new item on a partial cancel). */
export const lineItemChannelIds = pgTable(
  "line_item_channel_ids",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    lineItemId: integer()
      .notNull()
      .references(() => lineItems.id),
    /** The id the line had before. */
    channelItemId: text().notNull(),
    /** The id that replaced it. */
    replacedBy: text().notNull(),
    /** The cancellation whose notification made the channel replace it. */
    cancellationId: uuid().references(() => cancellations.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.lineItemId)],
);

export const WAREHOUSE_EVENT_TYPES = ["allocated", "released", "shipped"] as const;

/**
 * Warehouse events as they were received, one per sender's event id: the same id again gets the
 * stored answer and changes nothing; the same id with another body is refused.
 */
export const warehouseEvents = pgTable(
  "warehouse_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    eventId: text().notNull(),
    type: text({ enum: WAREHOUSE_EVENT_TYPES }).notNull(),
    subOrderId: text().notNull(),
    /** SHA-256 of the event as sent. */
    fingerprint: text().notNull(),
    /** The event itself (lines, shipment reference, tracking). */
    body: jsonb().notNull(),
    /** The answer it got: replayed for the same event id. */
    responseStatus: integer().notNull(),
    responseBody: jsonb().notNull(),
    actorType: text({ enum: ACTOR_TYPES }).notNull(),
    actorId: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.warehouseId, t.eventId), index().on(t.subOrderId, t.createdAt)],
);

export const ORDER_EXCEPTION_KINDS = ["shipped_after_cancellation"] as const;

/**
 * Something support must sort out by hand: units shipped after we cancelled them (seeds/002). The
 * quantities stay as they were; `steps` is the compensation checklist as support ticks it off.
 */
export const orderExceptions = pgTable(
  "order_exceptions",
  {
    id: uuid().primaryKey().defaultRandom(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    subOrderId: text()
      .notNull()
      .references(() => subOrders.id),
    kind: text({ enum: ORDER_EXCEPTION_KINDS }).notNull(),
    /** Per line: SKU, units shipped beyond what could ship, shipment reference and tracking. */
    detail: jsonb().notNull(),
    warehouseEventId: bigint({ mode: "number" }).references(() => warehouseEvents.id),
    steps: jsonb().notNull().default({}),
    resolvedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index().on(t.orderId), index().on(t.resolvedAt)],
);

export const CANCEL_REQUEST_STATES = ["open", "approved", "rejected", "expired"] as const;

/** A customer's request to cancel, sent by the channel, for an agent to approve or reject. */
export const cancelRequests = pgTable(
  "cancel_requests",
  {
    id: uuid().primaryKey().defaultRandom(),
    channelId: text()
      .notNull()
      .references(() => channels.id),
    /** The channel's own id of the request: the same id again is the same request. */
    channelRequestId: text().notNull(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    state: text({ enum: CANCEL_REQUEST_STATES }).notNull().default("open"),
    /** Our reason, mapped from the customer's. */
    reasonCode: text()
      .notNull()
      .references(() => cancellationReasons.code),
    /** The customer's reason as the channel sent it. */
    customerReason: text().notNull(),
    /** The lines asked for: [{lineItemId, sku, quantity}]; null asks for the whole order. */
    lines: jsonb(),
    fingerprint: text().notNull(),
    /** The channel's note on the request, as it sent it. */
    note: text(),
    /** The agent's note on the decision (required to reject: "already shipped, tracking ..."). */
    decisionNote: text(),
    decidedByType: text({ enum: ACTOR_TYPES }),
    decidedById: text(),
    decidedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex().on(t.channelId, t.channelRequestId),
    index().on(t.state, t.createdAt),
    index().on(t.orderId),
    check("cancel_requests_decided", sql`(${t.state} IN ('open', 'expired')) = (${t.decidedAt} IS NULL)`),
    // A rejection always says why (seeds/002: "already shipped", with the tracking number).
    check(
      "cancel_requests_rejected_with_note",
      sql`${t.state} <> 'rejected' OR coalesce(${t.decisionNote}, '') <> ''`,
    ),
  ],
);

export const WEBHOOK_STATES = ["pending", "retrying", "delivered", "dead"] as const;

/**
 * Decisions on cancel requests posted to channels that have a webhook URL: written in the
 * transaction that decides, delivered at least once with an HMAC-SHA256 signature, retried with
 * backoff, dead-lettered after the channel's tries.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    channelId: text()
      .notNull()
      .references(() => channels.id),
    cancelRequestId: uuid()
      .notNull()
      .references(() => cancelRequests.id),
    event: text().notNull(),
    payload: jsonb().notNull(),
    state: text({ enum: WEBHOOK_STATES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} IN ('pending', 'retrying')`),
    index().on(t.cancelRequestId),
  ],
);
