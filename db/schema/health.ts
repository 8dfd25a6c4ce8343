import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * What the background loops record as they run (lib/server/heartbeats.ts): the batch runner after
 * a chunk, the outbox dispatcher after each pass over channel notifications and webhooks.
 */
export const HEARTBEAT_NAMES = ["batch-chunk", "outbox-dispatch", "webhook-delivery"] as const;
export type HeartbeatName = (typeof HEARTBEAT_NAMES)[number];

/**
 * The last beat of each background loop, from whichever process ran it: one row per loop,
 * upserted at most every few seconds, never inside a cancellation's transaction.
 */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  name: text({ enum: HEARTBEAT_NAMES }).primaryKey(),
  at: timestamp({ withTimezone: true }).notNull(),
  /** A few ids or counts about the last beat (never payloads, never error texts). */
  detail: jsonb().$type<Record<string, string | number>>().notNull().default({}),
});
