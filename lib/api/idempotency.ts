import "server-only";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** What a mutating REST request answered, kept for its Idempotency-Key. */
export type StoredResponse = { status: number; body: unknown };

export type IdempotentOutcome =
  | { kind: "fresh"; response: StoredResponse }
  | { kind: "replayed"; response: StoredResponse }
  /** The key was used for a different request (method, path or body). */
  | { kind: "mismatch" }
  /** The first request with the key is still running after `waitMs`. */
  | { kind: "busy" };

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/** How long the first request owns its key; a process that dies holding it frees it after this. */
const CLAIM_MS = 5 * 60_000;

/** A request's fingerprint: method, path and body (keys sorted, so key order does not matter). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${stableJson(body)}`)
    .digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs `act` at most once per (owner, key) within 24 hours. The key is claimed before anything is
 * looked at (one INSERT ... ON CONFLICT, so of any number of simultaneous requests exactly one
 * acts); the others wait for its answer and get the same status and body. An answer of 500 or
 * more, or a throw, is not kept: the claim is let go so the client may try again (the ledger's own
 * request key still stops a second cancellation).
 */
export async function runIdempotent(
  db: Db,
  request: { ownerId: string; key: string; fingerprint: string },
  act: () => Promise<StoredResponse>,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<IdempotentOutcome> {
  const { ownerId, key, fingerprint } = request;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const claimed = await db.execute<{ owner_id: string }>(sql`
      INSERT INTO idempotency_keys (owner_id, key, fingerprint, state, locked_until)
      VALUES (${ownerId}, ${key}, ${fingerprint}, 'in_progress', now() + make_interval(secs => ${CLAIM_MS / 1000}))
      ON CONFLICT (owner_id, key) DO UPDATE
         SET fingerprint = EXCLUDED.fingerprint, state = 'in_progress', locked_until = EXCLUDED.locked_until,
             response_status = NULL, response_body = NULL, created_at = now(), updated_at = now()
       WHERE idempotency_keys.created_at < now() - make_interval(secs => ${IDEMPOTENCY_TTL_MS / 1000})
          OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_until < now()
              AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
      RETURNING owner_id`);
    if (claimed.rows.length > 0) return { kind: "fresh", response: await actAndKeep(db, request, act) };

    const [existing] = (
      await db.execute<{
        fingerprint: string;
        state: string;
        response_status: number | null;
        response_body: unknown;
      }>(
        sql`SELECT fingerprint, state, response_status, response_body FROM idempotency_keys
             WHERE owner_id = ${ownerId} AND key = ${key}`,
      )
    ).rows;
    if (!existing) continue; // let go between our two statements: claim it now
    if (existing.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (existing.state === "done" && existing.response_status !== null) {
      return {
        kind: "replayed",
        response: { status: existing.response_status, body: existing.response_body },
      };
    }
    if (Date.now() > deadline) return { kind: "busy" };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
  }
}

async function actAndKeep(
  db: Db,
  request: { ownerId: string; key: string },
  act: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  let response: StoredResponse;
  try {
    response = await act();
  } catch (error) {
    await release(db, request);
    throw error;
  }
  if (response.status >= 500) {
    await release(db, request);
    return response;
  }
  await db.execute(sql`
    UPDATE idempotency_keys
       SET state = 'done', locked_until = NULL, response_status = ${response.status},
           response_body = ${JSON.stringify(response.body ?? null)}::jsonb, updated_at = now()
     WHERE owner_id = ${request.ownerId} AND key = ${request.key}`);
  return response;
}

async function release(db: Db, request: { ownerId: string; key: string }): Promise<void> {
  await db
    .execute(sql`DELETE FROM idempotency_keys
                  WHERE owner_id = ${request.ownerId} AND key = ${request.key} AND state = 'in_progress'`)
    .catch((error: unknown) => console.error("[idempotency] could not release a key", error));
}

/** Forgets keys older than 24 hours (housekeeping; an old key is also reclaimed when reused). */
export async function deleteExpiredIdempotencyKeys(db: Db): Promise<number> {
  const deleted = await db.execute<{ key: string }>(sql`
    DELETE FROM idempotency_keys
     WHERE created_at < now() - make_interval(secs => ${IDEMPOTENCY_TTL_MS / 1000}) RETURNING key`);
  return deleted.rows.length;
}
