import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export type RateLimitRule = { windowSeconds: number; max: number };
export type RateLimitDecision = {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the current window ends: the Retry-After of a refusal. */
  retryAfterSeconds: number;
};

function windowOf(now: Date, windowSeconds: number) {
  const size = windowSeconds * 1000;
  const start = Math.floor(now.getTime() / size) * size;
  return {
    start: new Date(start),
    retryAfterSeconds: Math.max(1, Math.ceil((start + size - now.getTime()) / 1000)),
  };
}

/**
 * Counts one request against `key` in a fixed window kept in the database, so every instance shares
 * the count. One atomic upsert; the first request of a window also drops the key's older windows.
 */
export async function consumeRateLimit(
  db: DbOrTx,
  key: string,
  rule: RateLimitRule,
  now: Date = new Date(),
): Promise<RateLimitDecision> {
  const window = windowOf(now, rule.windowSeconds);
  const result = await db.execute<{ count: number }>(sql`
    INSERT INTO rate_limit_counters (key, window_start, count) VALUES (${key}, ${window.start.toISOString()}, 1)
    ON CONFLICT (key, window_start)
    DO UPDATE SET count = rate_limit_counters.count + 1, updated_at = now()
    RETURNING count`);
  const count = Number(result.rows[0]?.count ?? 1);
  if (count === 1) {
    await db.execute(
      sql`DELETE FROM rate_limit_counters WHERE key = ${key} AND window_start < ${window.start.toISOString()}`,
    );
  }
  return { allowed: count <= rule.max, count, retryAfterSeconds: window.retryAfterSeconds };
}

/** Takes back one request counted in the current window (a counted attempt that turned out fine). */
export async function refundRateLimit(
  db: DbOrTx,
  key: string,
  rule: RateLimitRule,
  now: Date = new Date(),
): Promise<void> {
  const window = windowOf(now, rule.windowSeconds);
  await db.execute(sql`
    UPDATE rate_limit_counters SET count = greatest(count - 1, 0), updated_at = now()
     WHERE key = ${key} AND window_start = ${window.start.toISOString()}`);
}
