import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";

export type BatchCounts = { pending: number; success: number; error: number; units: number };

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

async function countItems(db: Db, batchId: string): Promise<BatchCounts> {
  const result = await db.execute<{ pending: number; success: number; error: number; units: number }>(sql`
    SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending,
           count(*) FILTER (WHERE status = 'SUCCESS')::int AS success,
           count(*) FILTER (WHERE status = 'ERROR')::int AS error,
           coalesce(sum(units_cancelled), 0)::int AS units
      FROM batch_items WHERE batch_id = ${batchId}`);
  return result.rows[0] ?? { pending: 0, success: 0, error: 0, units: 0 };
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

export type BatchItemChange = {
  seq: number;
  status: "PENDING" | "SUCCESS" | "ERROR";
  errorCode: string | null;
  errorMessage: string | null;
  units: number | null;
  processedAt: string;
};

/** Items that finished after `since` (a cursor from the previous call), oldest first. */
export async function listItemChanges(db: Db, batchId: string, since: string | null, limit = 20_000) {
  const result = await db.execute<{
    seq: number;
    status: BatchItemChange["status"];
    error_code: string | null;
    error_message: string | null;
    units_cancelled: number | null;
    processed_at: string;
  }>(sql`
    SELECT seq, status, error_code, error_message, units_cancelled,
           to_char(processed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS processed_at
      FROM batch_items
     WHERE batch_id = ${batchId} AND processed_at IS NOT NULL
       AND (${since}::timestamptz IS NULL OR processed_at > ${since}::timestamptz)
     ORDER BY processed_at, seq
     LIMIT ${limit}`);
  const changes: BatchItemChange[] = result.rows.map((r) => ({
    seq: r.seq,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    units: r.units_cancelled,
    processedAt: r.processed_at,
  }));
  return { changes, cursor: changes.at(-1)?.processedAt ?? since };
}

export type BatchListRow = Awaited<ReturnType<typeof listBatches>>["rows"][number];

export async function listBatches(db: Db, page: { offset: number; limit: number }) {
  const rows = await db
    .select({
      id: batches.id,
      kind: batches.kind,
      mode: batches.mode,
      fileName: batches.fileName,
      status: batches.status,
      createdByName: batches.createdByName,
      createdAt: batches.createdAt,
      startedAt: batches.startedAt,
      finishedAt: batches.finishedAt,
      totalItems: batches.totalItems,
      totalRows: batches.totalRows,
      success: sql<number>`(SELECT count(*)::int FROM batch_items bi WHERE bi.batch_id = ${batches.id} AND bi.status = 'SUCCESS')`,
      error: sql<number>`(SELECT count(*)::int FROM batch_items bi WHERE bi.batch_id = ${batches.id} AND bi.status = 'ERROR')`,
    })
    .from(batches)
    .orderBy(desc(batches.createdAt))
    .offset(page.offset)
    .limit(page.limit);
  const [total] = await db
    .execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`)
    .then((r) => r.rows);
  return { rows, total: total?.n ?? 0 };
}

export type BatchItemRow = {
  seq: number;
  subOrderId: string;
  status: "PENDING" | "SUCCESS" | "ERROR";
  errorCode: string | null;
  errorMessage: string | null;
  units: number | null;
  rows: {
    rowNumber: number;
    cells: string[];
    sku: string | null;
    quantity: number | null;
    errorCode: string | null;
    errorMessage: string | null;
  }[];
};

/** Every item of a batch with its rows, in file order (the batch page's table). */
export async function listBatchItems(db: Db, batchId: string): Promise<BatchItemRow[]> {
  const items = await db.execute<{
    id: number;
    seq: number;
    sub_order_id: string;
    status: BatchItemRow["status"];
    error_code: string | null;
    error_message: string | null;
    units_cancelled: number | null;
  }>(sql`SELECT id, seq, sub_order_id, status, error_code, error_message, units_cancelled
           FROM batch_items WHERE batch_id = ${batchId} ORDER BY seq`);
  const rows = await db.execute<{
    item_id: number;
    row_number: number;
    cells: string[];
    sku: string | null;
    quantity: number | null;
    error_code: string | null;
    error_message: string | null;
  }>(sql`SELECT item_id, row_number, cells, sku, quantity, error_code, error_message
           FROM batch_rows WHERE batch_id = ${batchId} ORDER BY row_number`);
  const rowsOf = new Map<number, BatchItemRow["rows"]>();
  for (const r of rows.rows) {
    const list = rowsOf.get(r.item_id) ?? [];
    list.push({
      rowNumber: r.row_number,
      cells: r.cells,
      sku: r.sku,
      quantity: r.quantity,
      errorCode: r.error_code,
      errorMessage: r.error_message,
    });
    rowsOf.set(r.item_id, list);
  }
  return items.rows.map((i) => ({
    seq: i.seq,
    subOrderId: i.sub_order_id,
    status: i.status,
    errorCode: i.error_code,
    errorMessage: i.error_message,
    units: i.units_cancelled,
    rows: rowsOf.get(i.id) ?? [],
  }));
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
    for (const row of page.rows)
      yield { cells: row.cells, errorCode: row.error_code, errorMessage: row.error_message };
    const last = page.rows.at(-1);
    if (!last || page.rows.length < pageSize) return;
    after = last.row_number;
  }
}
