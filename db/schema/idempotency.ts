import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";

export const IDEMPOTENCY_STATES = ["in_progress", "done"] as const;

/**
 * The Idempotency-Key of a REST request, claimed before anything is looked at, with the answer it
 * got. A repeated request with the same key from the same owner gets that answer again (while the
 * first is still running, it waits for it); the same key with another body is refused. Kept 24 hours.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** The API key id that sent it: keys of different clients never meet. */
    ownerId: text().notNull(),
    key: text().notNull(),
    /** SHA-256 of the method, path and body: the same key for another request is a client bug. */
    fingerprint: text().notNull(),
    state: text({ enum: IDEMPOTENCY_STATES }).notNull(),
    /** While in_progress: until when the first request owns it (a crashed owner's claim expires). */
    lockedUntil: timestamp({ withTimezone: true }),
    responseStatus: integer(),
    responseBody: jsonb(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.key] }), index().on(t.createdAt)],
);
