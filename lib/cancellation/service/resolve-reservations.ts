import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { enqueueChannelNotifications } from "@/lib/outbox/enqueue";
import { type ErrorCode, errorMessage } from "../errors";

/** The warehouse's word on one reservation, as the ledger records it. */
export type WarehouseVerdict =
  | { cancellationId: string; kind: "accepted" }
  | { cancellationId: string; kind: "rejected"; code: ErrorCode; message: string }
  /** No definite answer (timeout, reset, 5xx, unreachable): keep the units and ask again. */
  | { cancellationId: string; kind: "unknown"; message: string };

/** Where an entry stands after its answers were recorded. */
export type EntryState = {
  status: "PENDING" | "CONFIRMED" | "REJECTED";
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** PENDING only: why the warehouse has not answered yet. */
  lastAskError: string | null;
};

export type RetrySchedule = {
  /** First wait after an unknown outcome; each further one doubles, with jitter, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A batch row without a definite answer this long after it was recorded shows as WAITING. */
  waitingAfterMs: number;
};

export const RETRY_DEFAULTS: RetrySchedule = {
  retryBaseMs: 2_000,
  retryMaxMs: 5 * 60_000,
  waitingAfterMs: 60_000,
};

/** The message a row or a caller sees while the warehouse's answer is awaited. */
export function waitingMessage(lastError: string): string {
  return errorMessage("DOWNSTREAM_UNAVAILABLE", { reason: lastError });
}

/**
 * Records warehouse answers in the caller's transaction, with a fixed number of statements
 * whatever their count. Accepted: reserved units become cancelled, the entry CONFIRMED, the
 * channel notification queued. Rejected: the units are released, the entry REJECTED. Unknown:
 * nothing is released; the entry is scheduled to be asked again (backoff with jitter). Batch rows
 * follow their entries (SUCCESS, ERROR, or WAITING once the answer is overdue), a batch with no
 * pending row left completes, and a single or API cancellation's final word is audited. Only
 * PENDING entries change, so recording an answer twice changes nothing.
 */
export async function recordWarehouseVerdicts(
  tx: Tx,
  verdicts: WarehouseVerdict[],
  schedule: RetrySchedule = RETRY_DEFAULTS,
): Promise<Map<string, EntryState>> {
  const definite = verdicts.filter((v) => v.kind !== "unknown");
  const unknown = verdicts.filter((v) => v.kind === "unknown");
  const touchedBatches = new Set<string>();

  if (definite.length > 0) {
    const moved = await tx.execute<{ id: string; batch_id: string | null }>(sql`
      UPDATE cancellations AS c
         SET status = v.status, error_code = v.error_code, error_message = v.error_message,
             next_ask_at = NULL, resolved_at = now(), updated_at = now()
        FROM unnest(${sql.param(definite.map((v) => v.cancellationId))}::uuid[],
                    ${sql.param(definite.map((v) => (v.kind === "accepted" ? "CONFIRMED" : "REJECTED")))}::text[],
                    ${sql.param(definite.map((v) => (v.kind === "rejected" ? v.code : null)))}::text[],
                    ${sql.param(definite.map((v) => (v.kind === "rejected" ? v.message : null)))}::text[])
             AS v(id, status, error_code, error_message)
       WHERE c.id = v.id AND c.status = 'PENDING'
      RETURNING c.id, c.batch_id`);
    const movedIds = moved.rows.map((r) => r.id);
    if (movedIds.length > 0) {
      const ids = sql.param(movedIds);
      // Reserved units leave pending_cancel; confirmed ones become cancelled.
      await tx.execute(sql`
        UPDATE line_items AS li
           SET pending_cancel = li.pending_cancel - d.reserved, cancelled = li.cancelled + d.confirmed,
               updated_at = now()
          FROM (SELECT cl.line_item_id, sum(cl.quantity)::int AS reserved,
                       sum(CASE WHEN c.status = 'CONFIRMED' THEN cl.quantity ELSE 0 END)::int AS confirmed
                  FROM cancellation_lines cl JOIN cancellations c ON c.id = cl.cancellation_id
                 WHERE cl.cancellation_id = ANY(${ids}::uuid[])
                 GROUP BY cl.line_item_id) AS d
         WHERE li.id = d.line_item_id`);
      await enqueueChannelNotifications(tx, movedIds);
      for (const row of moved.rows) if (row.batch_id) touchedBatches.add(row.batch_id);
      if (touchedBatches.size > 0) {
        await tx.execute(sql`
          UPDATE batch_items AS bi
             SET status = CASE WHEN c.status = 'CONFIRMED' THEN 'SUCCESS' ELSE 'ERROR' END,
                 units_cancelled = CASE WHEN c.status = 'CONFIRMED'
                   THEN (SELECT sum(quantity)::int FROM cancellation_lines WHERE cancellation_id = c.id) END,
                 error_code = c.error_code, error_message = c.error_message,
                 lease_until = NULL, processed_at = now(), updated_at = now()
            FROM cancellations c
           WHERE c.id = ANY(${ids}::uuid[]) AND bi.cancellation_id = c.id
             AND bi.status IN ('PENDING', 'WAITING')`);
      }
      // A person's cancellation that waited for its warehouse: the trail gets the final word.
      await tx.execute(sql`
        INSERT INTO audit_events (actor_type, actor_id, actor_label, action, target, outcome, detail)
        SELECT 'system', 'warehouse-gate', 'warehouse', 'cancellation.resolve', c.sub_order_id,
               CASE WHEN c.status = 'CONFIRMED' THEN 'success' ELSE 'failure' END,
               jsonb_strip_nulls(jsonb_build_object('cancellationId', c.id, 'status', c.status,
                 'code', c.error_code, 'message', c.error_message, 'askedFor', c.actor_type || ':' || c.actor_id))
          FROM cancellations c
         WHERE c.id = ANY(${ids}::uuid[]) AND c.batch_id IS NULL`);
    }
  }

  if (unknown.length > 0) {
    const deferred = await tx.execute<{ id: string; batch_id: string | null }>(sql`
      UPDATE cancellations AS c
         SET ask_attempts = c.ask_attempts + 1, last_ask_error = v.message, updated_at = now(),
             -- Doubling waits with jitter (half to all of the step), from seconds to minutes.
             next_ask_at = now() + make_interval(secs => least(${schedule.retryMaxMs}::float8,
                 ${schedule.retryBaseMs}::float8 * power(2, least(c.ask_attempts, 20)))
               * (0.5 + random() * 0.5) / 1000)
        FROM unnest(${sql.param(unknown.map((v) => v.cancellationId))}::uuid[],
                    ${sql.param(unknown.map((v) => v.message))}::text[]) AS v(id, message)
       WHERE c.id = v.id AND c.status = 'PENDING'
      RETURNING c.id, c.batch_id`);
    const inBatches = deferred.rows.filter((r) => r.batch_id !== null);
    if (inBatches.length > 0) {
      for (const row of inBatches) if (row.batch_id) touchedBatches.add(row.batch_id);
      await tx.execute(sql`
        UPDATE batch_items AS bi
           SET status = 'WAITING', error_code = 'DOWNSTREAM_UNAVAILABLE', error_message = v.message,
               processed_at = CASE WHEN bi.status = 'WAITING' THEN bi.processed_at ELSE now() END,
               updated_at = now()
          FROM unnest(${sql.param(inBatches.map((r) => r.id))}::uuid[],
                      ${sql.param(
                        inBatches.map((r) =>
                          waitingMessage(unknown.find((v) => v.cancellationId === r.id)?.message ?? ""),
                        ),
                      )}::text[]) AS v(id, message)
          JOIN cancellations c ON c.id = v.id
         WHERE bi.cancellation_id = v.id AND bi.status IN ('PENDING', 'WAITING')
           AND c.created_at < now() - make_interval(secs => ${schedule.waitingAfterMs / 1000})`);
    }
  }

  if (touchedBatches.size > 0) await completeBatches(tx, [...touchedBatches]);

  const final = await tx.execute<{
    id: string;
    status: EntryState["status"];
    error_code: ErrorCode | null;
    error_message: string | null;
    last_ask_error: string | null;
  }>(sql`
    SELECT id, status, error_code, error_message, last_ask_error FROM cancellations
     WHERE id = ANY(${sql.param(verdicts.map((v) => v.cancellationId))}::uuid[])`);
  return new Map(
    final.rows.map((r) => [
      r.id,
      {
        status: r.status,
        errorCode: r.error_code,
        errorMessage: r.error_message,
        lastAskError: r.status === "PENDING" ? r.last_ask_error : null,
      },
    ]),
  );
}

/**
 * Completes each batch that has no PENDING row left (rows still WAITING for their warehouse do not
 * hold a batch open: they resolve on their own). Safe to call from any worker, any time.
 */
export async function completeBatches(db: DbOrTx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const completed = await db.execute<{ id: string }>(sql`
    UPDATE batches AS b SET status = 'completed', finished_at = now(), updated_at = now()
     WHERE b.id = ANY(${sql.param(ids)}::uuid[]) AND b.status IN ('queued', 'running')
       AND NOT EXISTS (SELECT 1 FROM batch_items bi WHERE bi.batch_id = b.id AND bi.status = 'PENDING')
    RETURNING b.id`);
  return completed.rows.map((r) => r.id);
}
