import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { API_SCOPES } from "@/lib/auth/permissions";
import { timestamps } from "./_columns";
import { users } from "./auth";

/**
 * Keys for integrations. The key itself is shown once at creation; only its SHA-256 is kept (a key
 * is 32 random bytes, so a fast hash is right here, unlike for passwords), with its first
 * characters so that people can tell keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    prefix: text().notNull(),
    keyHash: text().notNull().unique(),
    scopes: text({ enum: API_SCOPES }).array().notNull(),
    createdBy: text()
      .notNull()
      .references(() => users.id),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [index().on(t.createdAt), check("api_keys_scopes_not_empty", sql`cardinality(${t.scopes}) > 0`)],
);

/**
 * Fixed-window request counters shared by every instance: one row per key and window
 * (`api-key:<id>` per minute, `sign-in-failures:<email>` per 15 minutes).
 */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);
