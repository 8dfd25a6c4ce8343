import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";
import { env } from "@/lib/env";
import { killRemainders } from "@/lib/orders/fill-or-kill";
import { enqueueChannelNotifications } from "@/lib/outbox/enqueue";
import { type ErrorCode, errorMessage } from "../errors";

/** The warehouse's word on one reservation, as the ledger records it. */
export type WarehouseVerdict =
  | { cancellationId: string; kind: "accepted" }
  | { cancellationId: string; kind: "rejected"; code: ErrorCode; message: string }
  /**
   * No definite answer (timeout, reset, 5xx): keep the units and ask again. `notSent`: this ask is
   * known never to have reached the warehouse (connection refused, connector switched off).
   */
  | { cancellationId: string; kind: "unknown"; message: string; notSent?: boolean };

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
  /**
   * An entry none of whose asks can have reached the warehouse (every one refused before it was
   * sent) fails this long after it was recorded: nothing happened there, so its units are released
   * safely and the row may be retried later (a new request, as the warehouse never saw this one).
   */
  unreachableFailAfterMs: number;
};

/** The schedule as configured (WAREHOUSE_RETRY_BASE_MS, WAREHOUSE_UNREACHABLE_FAIL_AFTER_SECONDS). */
export function retryDefaults(): RetrySchedule {
  return {
    retryBaseMs: env().WAREHOUSE_RETRY_BASE_MS,
    retryMaxMs: 5 * 60_000,
    waitingAfterMs: 60_000,
    unreachableFailAfterMs: env().WAREHOUSE_UNREACHABLE_FAIL_AFTER_SECONDS * 1000,
  };
}

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
  schedule: RetrySchedule = retryDefaults(),
): Promise<Map<string, EntryState>> {
  const unknown = verdicts.filter((v) => v.kind === "unknown");
  const touchedBatches = new Set<string>();
  // Entries never sent anywhere for long enough become definite failures (see unreachableFailAfterMs).
  const givenUp = unknown.length > 0 ? await deferUnknown(tx, unknown, schedule, touchedBatches) : [];
  const definite: WarehouseVerdict[] = [...verdicts.filter((v) => v.kind !== "unknown"), ...givenUp];

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
                  FROM cancellations c
                  -- Per entry through its index, as the asker's claim does (see ask-warehouse.ts).
                  CROSS JOIN LATERAL (SELECT line_item_id, quantity FROM cancellation_lines
                                       WHERE cancellation_id = c.id OFFSET 0) AS cl
                 WHERE c.id = ANY(${ids}::uuid[])
                 GROUP BY cl.line_item_id) AS d
         WHERE li.id = d.line_item_id`);
      await enqueueChannelNotifications(tx, movedIds);
      if (definite.some((v) => v.kind !== "accepted")) {
        // Units a refused cancellation gives back to a line that shipped in part on a fill-or-kill
        // channel are killed now (see lib/orders/fill-or-kill.ts).
        const released = await tx.execute<{ line_item_id: number }>(sql`
          SELECT DISTINCT cl.line_item_id FROM cancellations c
            CROSS JOIN LATERAL (SELECT line_item_id FROM cancellation_lines
                                 WHERE cancellation_id = c.id OFFSET 0) AS cl
           WHERE c.id = ANY(${ids}::uuid[]) AND c.status = 'REJECTED'`);
        await killRemainders(
          tx,
          released.rows.map((r) => r.line_item_id),
        );
      }
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
 * Unknown outcomes: nothing is released; each entry is scheduled to be asked again (doubling waits
 * with jitter) and remembers whether any ask may have reached the warehouse. Batch rows overdue for
 * an answer show WAITING. Returns the entries to fail instead: never sent anywhere, for long enough.
 */
async function deferUnknown(
  tx: Tx,
  unknown: Extract<WarehouseVerdict, { kind: "unknown" }>[],
  schedule: RetrySchedule,
  touchedBatches: Set<string>,
): Promise<WarehouseVerdict[]> {
  const deferred = await tx.execute<{ id: string; batch_id: string | null; unreachable: boolean }>(sql`
    UPDATE cancellations AS c
       SET ask_attempts = c.ask_attempts + 1, last_ask_error = v.message, updated_at = now(),
           maybe_sent = c.maybe_sent OR NOT v.not_sent,
           -- Doubling waits with jitter (half to all of the step), from seconds to minutes.
           next_ask_at = now() + make_interval(secs => least(${schedule.retryMaxMs}::float8,
               ${schedule.retryBaseMs}::float8 * power(2, least(c.ask_attempts, 20)))
             * (0.5 + random() * 0.5) / 1000)
      FROM unnest(${sql.param(unknown.map((v) => v.cancellationId))}::uuid[],
                  ${sql.param(unknown.map((v) => v.message))}::text[],
                  ${sql.param(unknown.map((v) => v.notSent === true))}::boolean[]) AS v(id, message, not_sent)
     WHERE c.id = v.id AND c.status = 'PENDING'
    RETURNING c.id, c.batch_id,
              (NOT c.maybe_sent AND c.created_at < now() - make_interval(secs => ${schedule.unreachableFailAfterMs / 1000}))
                AS unreachable`);
  const givenUp = new Set(deferred.rows.filter((r) => r.unreachable).map((r) => r.id));
  const messageOf = new Map(unknown.map((v) => [v.cancellationId, v.message]));
  const waiting = deferred.rows.filter((r) => r.batch_id !== null && !givenUp.has(r.id));
  if (waiting.length > 0) {
    for (const row of waiting) if (row.batch_id) touchedBatches.add(row.batch_id);
    await tx.execute(sql`
      UPDATE batch_items AS bi
         SET status = 'WAITING', error_code = 'DOWNSTREAM_UNAVAILABLE', error_message = v.message,
             processed_at = CASE WHEN bi.status = 'WAITING' THEN bi.processed_at ELSE now() END,
             updated_at = now()
        FROM unnest(${sql.param(waiting.map((r) => r.id))}::uuid[],
                    ${sql.param(waiting.map((r) => waitingMessage(messageOf.get(r.id) ?? "")))}::text[])
             AS v(id, message)
        JOIN cancellations c ON c.id = v.id
       WHERE bi.cancellation_id = v.id AND bi.status IN ('PENDING', 'WAITING')
         AND c.created_at < now() - make_interval(secs => ${schedule.waitingAfterMs / 1000})`);
  }
  return [...givenUp].map((cancellationId) => ({
    cancellationId,
    kind: "rejected" as const,
    code: "DOWNSTREAM_UNAVAILABLE" as const,
    message: errorMessage("DOWNSTREAM_UNAVAILABLE", {
      unreachable: messageOf.get(cancellationId) ?? "no answer",
    }),
  }));
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
