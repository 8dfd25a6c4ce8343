import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { lineItems, subOrders } from "./catalog";

export const REASON_INITIATORS = ["seller", "customer", "marketplace", "automatic"] as const;
export const CANCELLATION_STATUSES = ["PENDING", "CONFIRMED", "REJECTED"] as const;
export const CANCELLATION_SOURCES = ["single", "csv_batch", "api", "automatic"] as const;
export const ACTOR_TYPES = ["user", "api_key", "system"] as const;
export const CANCELLATION_MODES = ["strict", "unfulfilled_only", "line_items"] as const;

export const cancellationReasons = pgTable("cancellation_reasons", {
  code: text().primaryKey(),
  label: text().notNull(),
  initiator: text({ enum: REASON_INITIATORS }).notNull(),
  active: boolean().notNull().default(true),
  ...timestamps,
});

/**
 * The append-only ledger: one entry per cancellation of one sub-order. Its id is the
 * idempotency key sent downstream. Only `status` (PENDING -> CONFIRMED | REJECTED) and
 * the resolution columns may change, and only once; a trigger in the migrations enforces it.
 */
export const cancellations = pgTable(
  "cancellations",
  {
    id: uuid().primaryKey().defaultRandom(),
    subOrderId: text()
      .notNull()
      .references(() => subOrders.id),
    mode: text({ enum: CANCELLATION_MODES }).notNull(),
    status: text({ enum: CANCELLATION_STATUSES }).notNull(),
    reasonCode: text()
      .notNull()
      .references(() => cancellationReasons.code),
    source: text({ enum: CANCELLATION_SOURCES }).notNull(),
    actorType: text({ enum: ACTOR_TYPES }).notNull(),
    actorId: text().notNull(),
    /** The batch this entry belongs to, when it came from a CSV run. */
    batchId: text(),
    /** An API client's Idempotency-Key: the same key from the same actor never cancels twice. */
    requestKey: text(),
    /**
     * Only part of the sub-order is cancelled. Fixed at recording, so every ask about this entry
     * is the same request, however often and from wherever it is asked.
     */
    partial: boolean().notNull().default(false),
    /**
     * The warehouse's answer is awaited (PENDING): how often it was asked without a definite
     * answer, when it is asked next (also the lease of whoever is asking now), and the last
     * reason it gave none (a timeout, a reset, a 5xx).
     */
    askAttempts: integer().notNull().default(0),
    /** Some ask may have reached the warehouse (not every one was refused before it was sent). */
    maybeSent: boolean().notNull().default(false),
    nextAskAt: timestamp({ withTimezone: true }),
    lastAskError: text(),
    errorCode: text(),
    errorMessage: text(),
    resolvedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    // No index on status or created_at: nothing reads the ledger by them (waiting entries have the
    // partial index below), and each would cost a write per cancellation.
    index().on(t.subOrderId),
    index("cancellations_ask_due_idx").on(t.nextAskAt).where(sql`${t.status} = 'PENDING'`),
    uniqueIndex().on(t.actorId, t.requestKey).where(sql`${t.requestKey} IS NOT NULL`),
  ],
);

/** The quantity each ledger entry takes from each line. Insert-only. */
export const cancellationLines = pgTable(
  "cancellation_lines",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    cancellationId: uuid()
      .notNull()
      .references(() => cancellations.id),
    lineItemId: integer()
      .notNull()
      .references(() => lineItems.id),
    quantity: integer().notNull(),
    ...timestamps,
  },
  (t) => [
    index().on(t.cancellationId),
    index().on(t.lineItemId),
    check("cancellation_lines_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
