import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { BATCH_ITEM_STATUSES, type BatchItemStatus } from "@/db/schema";
import type { ItemChange } from "@/lib/batches/contracts";

/**
 * Reads for the screens that watch a batch: the cancellation screen's live table and the batch
 * page. Every list is bounded (a limit, keyset or offset paging), so a 100,000-row batch is never
 * read in one go.
 */

export type ItemStatus = BatchItemStatus;
export type { ItemChange };

/** Where the previous read stopped: the last item's finish time and its seq (ties are common). */
export type ChangeCursor = { at: string; seq: number };

export const CHANGE_PAGE = 5_000;

type ChangeRow = {
  seq: number;
  status: ItemStatus;
  error_code: string | null;
  error_message: string | null;
  units_cancelled: number | null;
  processed_at: string;
};

const toChange = (r: ChangeRow): ItemChange => ({
  seq: r.seq,
  status: r.status,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  units: r.units_cancelled,
});

/**
 * Items that finished after `cursor`, oldest first, keyset-paged on (processed_at, seq) so a page
 * boundary inside a chunk (whose items share one timestamp) loses nothing. `more` says a full page
 * came back and the caller should ask again at once.
 */
export async function listItemChangesSince(
  db: Db,
  batchId: string,
  cursor: ChangeCursor | null,
  limit = CHANGE_PAGE,
): Promise<{ changes: ItemChange[]; cursor: ChangeCursor | null; more: boolean }> {
  const result = await db.execute<ChangeRow>(sql`
    SELECT seq, status, error_code, error_message, units_cancelled,
           to_char(processed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS processed_at
      FROM batch_items
     WHERE batch_id = ${batchId} AND processed_at IS NOT NULL AND status <> 'PENDING'
       AND (${cursor?.at ?? null}::timestamptz IS NULL
            OR (processed_at, seq) > (${cursor?.at ?? null}::timestamptz, ${cursor?.seq ?? 0}::int))
     ORDER BY processed_at, seq
     LIMIT ${limit}`);
  const last = result.rows.at(-1);
  return {
    changes: result.rows.map(toChange),
    cursor: last ? { at: last.processed_at, seq: last.seq } : cursor,
    more: result.rows.length === limit,
  };
}

/**
 * Finished items after `afterSeq` in file order: the exact reconciliation once a batch is complete
 * (a transaction that started early but committed late carries an earlier processed_at than items
 * already seen, so a time cursor alone can miss it while the run is going on).
 */
export async function listFinishedItems(
  db: Db,
  batchId: string,
  afterSeq: number,
  limit = CHANGE_PAGE * 4,
): Promise<{ changes: ItemChange[]; lastSeq: number; more: boolean }> {
  const result = await db.execute<ChangeRow>(sql`
    SELECT seq, status, error_code, error_message, units_cancelled, '' AS processed_at
      FROM batch_items
     WHERE batch_id = ${batchId} AND status <> 'PENDING' AND seq > ${afterSeq}
     ORDER BY seq
     LIMIT ${limit}`);
  return {
    changes: result.rows.map(toChange),
    lastSeq: result.rows.at(-1)?.seq ?? afterSeq,
    more: result.rows.length === limit,
  };
}

/** One item for a table: where it came from in the file and how it stands. */
export type BatchItemSummary = ItemChange & {
  subOrderId: string;
  /** The spreadsheet rows of the item (header = row 1), in file order. */
  rowNumbers: number[];
  /** Where telling the channel stands (the outbox), or null when there is nothing to tell. */
  syncState: string | null;
};

export const ITEM_STATUS_FILTERS = ["all", ...BATCH_ITEM_STATUSES] as const;
export type ItemStatusFilter = (typeof ITEM_STATUS_FILTERS)[number];

/** A page of a batch's items in file order, optionally only those with one status. */
export async function listBatchItemSummaries(
  db: Db,
  batchId: string,
  page: { offset: number; limit: number; status?: ItemStatusFilter },
): Promise<{ items: BatchItemSummary[]; total: number }> {
  const status = page.status && page.status !== "all" ? page.status : null;
  const result = await db.execute<{
    seq: number;
    sub_order_id: string;
    status: ItemStatus;
    error_code: string | null;
    error_message: string | null;
    units_cancelled: number | null;
    row_numbers: number[];
    sync_state: string | null;
  }>(sql`
    SELECT i.seq, i.sub_order_id, i.status, i.error_code, i.error_message, i.units_cancelled,
           (SELECT array_agg(r.row_number ORDER BY r.row_number) FROM batch_rows r WHERE r.item_id = i.id)
             AS row_numbers,
           n.state AS sync_state
      FROM batch_items i
      LEFT JOIN channel_notifications n ON n.cancellation_id = i.cancellation_id
     WHERE i.batch_id = ${batchId} AND (${status}::text IS NULL OR i.status = ${status}::text)
     ORDER BY i.seq
     OFFSET ${page.offset} LIMIT ${page.limit}`);
  const [count] = (
    await db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM batch_items
       WHERE batch_id = ${batchId} AND (${status}::text IS NULL OR status = ${status}::text)`)
  ).rows;
  return {
    items: result.rows.map((r) => ({
      seq: r.seq,
      subOrderId: r.sub_order_id,
      status: r.status,
      errorCode: r.error_code,
      errorMessage: r.error_message,
      units: r.units_cancelled,
      rowNumbers: r.row_numbers ?? [],
      syncState: r.sync_state,
    })),
    total: count?.n ?? 0,
  };
}

/** The rows of one item exactly as uploaded (a line-item group's lines), in file order. */
export async function listBatchItemRows(db: Db, batchId: string, seq: number) {
  const result = await db.execute<{
    row_number: number;
    cells: string[];
    sku: string | null;
    quantity: number | null;
    error_code: string | null;
    error_message: string | null;
  }>(sql`
    SELECT r.row_number, r.cells, r.sku, r.quantity, r.error_code, r.error_message
      FROM batch_rows r JOIN batch_items i ON i.id = r.item_id
     WHERE i.batch_id = ${batchId} AND i.seq = ${seq}
     ORDER BY r.row_number`);
  return result.rows.map((r) => ({
    rowNumber: r.row_number,
    cells: r.cells,
    sku: r.sku,
    quantity: r.quantity,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  }));
}

/** One past run for the batch list: who, when, and how its items ended. */
export type BatchSummary = {
  id: string;
  kind: "sub_orders" | "line_items";
  mode: string;
  fileName: string;
  status: string;
  createdByName: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  totalItems: number;
  totalRows: number;
  success: number;
  error: number;
};

/**
 * A page of batches, newest first, with their item counts. (`listBatches` in batches.ts names the
 * outer `id` unqualified inside its sub-selects, where it resolves to `batch_items.id`; this one
 * counts with one grouped join instead.)
 */
export async function listBatchSummaries(
  db: Db,
  page: { offset: number; limit: number },
): Promise<{ rows: BatchSummary[]; total: number }> {
  const result = await db.execute<{
    id: string;
    kind: BatchSummary["kind"];
    mode: string;
    file_name: string;
    status: string;
    created_by_name: string;
    created_at: string | Date;
    started_at: string | Date | null;
    finished_at: string | Date | null;
    total_items: number;
    total_rows: number;
    success: number;
    error: number;
  }>(sql`
    WITH page AS (
      SELECT * FROM batches ORDER BY created_at DESC, id OFFSET ${page.offset} LIMIT ${page.limit}
    )
    SELECT p.id, p.kind, p.mode, p.file_name, p.status, p.created_by_name, p.created_at, p.started_at,
           p.finished_at, p.total_items, p.total_rows,
           count(i.id) FILTER (WHERE i.status = 'SUCCESS')::int AS success,
           count(i.id) FILTER (WHERE i.status = 'ERROR')::int AS error
      FROM page p LEFT JOIN batch_items i ON i.batch_id = p.id
     GROUP BY p.id, p.kind, p.mode, p.file_name, p.status, p.created_by_name, p.created_at, p.started_at,
              p.finished_at, p.total_items, p.total_rows
     ORDER BY p.created_at DESC, p.id`);
  const [count] = (await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`)).rows;
  const date = (value: string | Date) => (value instanceof Date ? value : new Date(value));
  return {
    rows: result.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      mode: r.mode,
      fileName: r.file_name,
      status: r.status,
      createdByName: r.created_by_name,
      createdAt: date(r.created_at),
      startedAt: r.started_at === null ? null : date(r.started_at),
      finishedAt: r.finished_at === null ? null : date(r.finished_at),
      totalItems: r.total_items,
      totalRows: r.total_rows,
      success: r.success,
      error: r.error,
    })),
    total: count?.n ?? 0,
  };
}
