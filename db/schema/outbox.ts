import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";
import { cancellations } from "./cancellations";
import { channels } from "./catalog";

export const OUTBOX_STATES = ["pending", "retrying", "delivered", "dead"] as const;

/**
 * The transactional outbox: one channel notification per confirmed cancellation, written in
 * the transaction that confirms it, delivered at least once by the dispatcher. The ledger id
 * is the idempotency key the channel deduplicates on.
 */
export const channelNotifications = pgTable(
  "channel_notifications",
  {
    cancellationId: uuid()
      .primaryKey()
      .references(() => cancellations.id),
    channelId: text()
      .notNull()
      .references(() => channels.id),
    /** The order it is about: notifications of one order are delivered one at a time, in order. */
    orderId: text().notNull(),
    /** A ChannelNotification (lib/connectors/notification.ts), fixed at confirmation time. */
    payload: jsonb().notNull(),
    /**
     * What earlier tries already delivered (a ChannelDeliveryProgress): items the channel accepted
     * are never sent again when the rest is retried.
     */
    progress: jsonb().notNull().default({}),
    state: text({ enum: OUTBOX_STATES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** When it may be tried next; also the lease while a dispatcher is delivering it. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index("channel_notifications_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.state} IN ('pending', 'retrying')`),
    index().on(t.state, t.channelId),
    index().on(t.orderId, t.createdAt),
  ],
);
