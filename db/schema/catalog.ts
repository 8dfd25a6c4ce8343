import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";

/**
 * How we reach a remote system: where, with which secret, how patiently. Credentials are a JSON
 * object encrypted at rest (lib/connectors/secrets.ts); they never reach the browser or a log.
 */
const connectorSettings = {
  baseUrl: text(),
  credentialsEncrypted: text(),
  timeoutMs: integer().notNull().default(5000),
  /** Tries before giving up: the warehouse gate per cancellation, the outbox per notification. */
  maxAttempts: integer().notNull().default(3),
  enabled: boolean().notNull().default(true),
  /** Set when the remote refused our credentials (401/802), cleared by a settings change. */
  credentialsRejectedAt: timestamp({ withTimezone: true }),
};

export const CHANNEL_CONNECTORS = ["manual", "dropship", "commerce"] as const;
export const WAREHOUSE_CONNECTORS = ["manual", "wms"] as const;

/** A marketplace or partner: where orders come from and where cancellations are announced. */
export const channels = pgTable("channels", {
  id: text().primaryKey(),
  name: text().notNull(),
  connector: text({ enum: CHANNEL_CONNECTORS }).notNull().default("manual"),
  /** Recording a partial shipment of a line cancels its remaining quantity (DESIGN.md rule 6). */
  fillOrKill: boolean().notNull().default(false),
  ...connectorSettings,
  ...timestamps,
});

/** Where stock sits. A 3PL warehouse has a WMS that is asked before anything is cancelled. */
export const warehouses = pgTable("warehouses", {
  id: text().primaryKey(),
  name: text().notNull(),
  connector: text({ enum: WAREHOUSE_CONNECTORS }).notNull().default("manual"),
  /** The warehouse's own id in its WMS (`warehouse_id` in the WMS contract). */
  externalId: text(),
  ...connectorSettings,
  ...timestamps,
});

export const orders = pgTable(
  "orders",
  {
    id: text().primaryKey(),
    channelId: text()
      .notNull()
      .references(() => channels.id),
    channelOrderNo: text().notNull(),
    customerName: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex().on(t.channelId, t.channelOrderNo)],
);

/** One warehouse's share of an order. Its status is derived from its lines, never stored. */
export const subOrders = pgTable(
  "sub_orders",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    ...timestamps,
  },
  (t) => [index().on(t.orderId)],
);

/**
 * One SKU of a sub-order. The quantities are running totals of the cancellations ledger
 * and of warehouse events; the database itself refuses any state that breaks the invariant.
 */
export const lineItems = pgTable(
  "line_items",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subOrderId: text()
      .notNull()
      .references(() => subOrders.id),
    sku: text().notNull(),
    unitPriceMinor: integer().notNull(),
    ordered: integer().notNull(),
    fulfilled: integer().notNull().default(0),
    processing: integer().notNull().default(0),
    cancelled: integer().notNull().default(0),
    pendingCancel: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex().on(t.subOrderId, t.sku),
    check(
      "line_items_quantities_non_negative",
      sql`${t.ordered} >= 0 AND ${t.fulfilled} >= 0 AND ${t.processing} >= 0 AND ${t.cancelled} >= 0 AND ${t.pendingCancel} >= 0 AND ${t.unitPriceMinor} >= 0`,
    ),
    check(
      "line_items_quantity_invariant",
      sql`${t.fulfilled} + ${t.processing} + ${t.cancelled} + ${t.pendingCancel} <= ${t.ordered}`,
    ),
  ],
);
