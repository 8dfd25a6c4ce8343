import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { RETRYABLE_CODES } from "@/lib/cancellation/errors";

/** Items by status; `waiting`: no definite answer from the warehouse yet (units reserved, asked again). */
export type BatchCounts = { pending: number; waiting: number; success: number; error: number; units: number };

export type BatchProgress = BatchCounts & {
  status: string;
  total: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Items finished per second since the start. */
  rate: number | null;
  /** Seconds left at the current rate. */
  etaSeconds: number | null;
};

/** The progress as JSON carries it: dates as ISO strings. */
export function progressJson(progress: BatchProgress) {
  return {
    status: progress.status as (typeof batches.$inferSelect)["status"],
    total: progress.total,
    pending: progress.pending,
    waiting: progress.waiting,
    success: progress.success,
    error: progress.error,
    units: progress.units,
    rate: progress.rate,
    etaSeconds: progress.etaSeconds,
    startedAt: progress.startedAt?.toISOString() ?? null,
    finishedAt: progress.finishedAt?.toISOString() ?? null,
  };
}

async function countItems(db: Db, batchId: string): Promise<BatchCounts> {
  const result = await db.execute<BatchCounts>(sql`
    SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE status = 'WAITING')::int AS waiting,
           count(*) FILTER (WHERE status = 'SUCCESS')::int AS success,
           count(*) FILTER (WHERE status = 'ERROR')::int AS error,
           coalesce(sum(units_cancelled), 0)::int AS units
      FROM batch_items WHERE batch_id = ${batchId}`);
  return result.rows[0] ?? { pending: 0, waiting: 0, success: 0, error: 0, units: 0 };
}

export async function getBatch(db: Db, batchId: string) {
  const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
  return batch ?? null;
}

export async function getBatchProgress(db: Db, batchId: string, now: Date): Promise<BatchProgress | null> {
  const batch = await getBatch(db, batchId);
  if (!batch) return null;
  const counts = await countItems(db, batchId);
  // Items refused at upload were never run; the rate counts only what the runner did.
  const ran = await db.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM batch_items
     WHERE batch_id = ${batchId} AND status <> 'PENDING' AND processed_at >= ${batch.startedAt ?? now}`);
  const done = ran.rows[0]?.n ?? 0;
  const end = batch.finishedAt ?? now;
  const seconds = batch.startedAt ? (end.getTime() - batch.startedAt.getTime()) / 1000 : 0;
  const rate = seconds > 0 && done > 0 ? done / seconds : null;
  return {
    ...counts,
    status: batch.status,
    total: batch.totalItems,
    startedAt: batch.startedAt,
    finishedAt: batch.finishedAt,
    rate,
    etaSeconds: rate && counts.pending > 0 ? counts.pending / rate : null,
  };
}

/**
 * The failed rows exactly as uploaded, with the error that belongs to each (the row's own
 * problem, else its item's), in file order, fetched page by page so memory stays flat.
 */
export async function* iterateErrorRows(db: Db, batchId: string, pageSize = 5_000) {
  let after = 0;
  for (;;) {
    const page = await db.execute<{
      row_number: number;
      cells: string[];
      error_code: string;
      error_message: string;
    }>(sql`
      SELECT r.row_number, r.cells,
             coalesce(r.error_code, i.error_code) AS error_code,
             coalesce(r.error_message, i.error_message) AS error_message
        FROM batch_rows r JOIN batch_items i ON i.id = r.item_id
       WHERE r.batch_id = ${batchId} AND i.status = 'ERROR' AND r.row_number > ${after}
       ORDER BY r.row_number
       LIMIT ${pageSize}`);
    for (const row of page.rows) yield { cells: row.cells, code: row.error_code, message: row.error_message };
    const last = page.rows.at(-1);
    if (!last || page.rows.length < pageSize) return;
    after = last.row_number;
  }
}

/**
 * A batch's family for its page: the batch it retries, its retries, and how many of its failures
 * "Retry failed rows" would take (retryable codes, not already succeeding in a retry).
 */
export async function getBatchRetries(db: Db, batch: { id: string; parentBatchId: string | null }) {
  const [children, retryable] = await Promise.all([
    db.execute<{ id: string; status: string; created_at: string }>(sql`
      SELECT id, status, created_at FROM batches WHERE parent_batch_id = ${batch.id} ORDER BY created_at`),
    db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM batch_items bi
       WHERE bi.batch_id = ${batch.id} AND bi.status = 'ERROR'
         AND bi.error_code = ANY(${sql.param(RETRYABLE_CODES)}::text[])
         AND NOT EXISTS (SELECT 1 FROM batch_items ci JOIN batches c ON c.id = ci.batch_id
                          WHERE c.parent_batch_id = ${batch.id} AND ci.sub_order_id = bi.sub_order_id
                            AND ci.status IN ('SUCCESS', 'WAITING'))`),
  ]);
  return {
    parentBatchId: batch.parentBatchId,
    retries: children.rows.map((r) => ({ id: r.id, status: r.status })),
    retryable: retryable.rows[0]?.n ?? 0,
  };
}
