import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { batches } from "@/db/schema";
import { errorMessage } from "@/lib/cancellation/errors";
import type { BatchCreator, BatchItemInput, BatchKind, BatchMode } from "./types";

export type CreateBatchInput = {
  kind: BatchKind;
  mode: BatchMode;
  fileName: string;
  fileSha256: string;
  headers: string[];
  reasonCode: string;
  items: BatchItemInput[];
  createdBy: BatchCreator;
  /** A "Retry failed rows" run: the batch it retries. */
  parentBatchId?: string;
};

const CHUNK = 5_000;

/**
 * Stores an uploaded, validated file as a draft batch: every row exactly as uploaded, one
 * item per unit of work. Items the CSV checks refused, and sub-orders that do not exist,
 * are stored as ERROR at once so they are shown and never sent.
 */
export async function createBatch(db: Db, input: CreateBatchInput): Promise<{ batchId: string }> {
  const created = await db.transaction(async (tx) => {
    const ids = [...new Set(input.items.filter((i) => !i.error).map((i) => i.subOrderId))];
    const existing = new Set<string>();
    for (let start = 0; start < ids.length; start += CHUNK * 4) {
      const found = await tx.execute<{ id: string }>(
        sql`SELECT id FROM sub_orders WHERE id = ANY(${sql.param(ids.slice(start, start + CHUNK * 4))}::text[])`,
      );
      for (const row of found.rows) existing.add(row.id);
    }

    const [batch] = await tx
      .insert(batches)
      .values({
        kind: input.kind,
        mode: input.mode,
        fileName: input.fileName,
        fileSha256: input.fileSha256,
        headers: input.headers,
        reasonCode: input.reasonCode,
        parentBatchId: input.parentBatchId,
        createdByType: input.createdBy.type,
        createdById: input.createdBy.id,
        createdByName: input.createdBy.name,
        totalItems: input.items.length,
        totalRows: input.items.reduce((n, i) => n + i.rows.length, 0),
      })
      .returning({ id: batches.id });
    if (!batch) throw new Error("batch insert returned no row");

    for (let start = 0; start < input.items.length; start += CHUNK) {
      await insertItems(tx, batch.id, input.items.slice(start, start + CHUNK), existing);
    }
    return { batchId: batch.id };
  });
  // A large upload changes the batch tables' size by orders of magnitude at once; fresh
  // statistics keep the runner's per-chunk joins on their indexes. (PGlite has no autovacuum.)
  if (input.items.length >= 10_000) await db.execute(sql`ANALYZE batch_items, batch_rows`);
  return created;
}

async function insertItems(tx: Tx, batchId: string, items: BatchItemInput[], existing: Set<string>) {
  const problems = items.map(
    (item) =>
      item.error ??
      (existing.has(item.subOrderId)
        ? undefined
        : {
            code: "SUB_ORDER_NOT_FOUND",
            message: errorMessage("SUB_ORDER_NOT_FOUND", { subOrderId: item.subOrderId }),
          }),
  );
  const inserted = await tx.execute<{ id: number; seq: number }>(sql`
    INSERT INTO batch_items (batch_id, seq, sub_order_id, reason_code, status, error_code, error_message, processed_at)
    SELECT ${batchId}::uuid, v.seq, v.sub_order_id, v.reason_code, v.status, v.error_code, v.error_message,
           CASE WHEN v.status = 'ERROR' THEN now() END
      FROM unnest(${sql.param(items.map((i) => i.seq))}::int[],
                  ${sql.param(items.map((i) => i.subOrderId))}::text[],
                  ${sql.param(items.map((i) => i.fileReasonCode ?? null))}::text[],
                  ${sql.param(problems.map((p) => (p ? "ERROR" : "PENDING")))}::text[],
                  ${sql.param(problems.map((p) => p?.code ?? null))}::text[],
                  ${sql.param(problems.map((p) => p?.message ?? null))}::text[])
           AS v(seq, sub_order_id, reason_code, status, error_code, error_message)
    RETURNING id, seq`);
  const itemIdBySeq = new Map(inserted.rows.map((r) => [r.seq, r.id]));
  const rows = items.flatMap((item) => item.rows.map((row) => ({ itemId: itemIdBySeq.get(item.seq), row })));
  await tx.execute(sql`
    INSERT INTO batch_rows (batch_id, item_id, row_number, cells, sku, quantity, error_code, error_message)
    SELECT ${batchId}::uuid, v.item_id, v.row_number, v.cells::jsonb, v.sku, v.quantity, v.error_code, v.error_message
      FROM unnest(${sql.param(rows.map((r) => r.itemId))}::int[],
                  ${sql.param(rows.map((r) => r.row.rowNumber))}::int[],
                  ${sql.param(rows.map((r) => JSON.stringify(r.row.cells)))}::text[],
                  ${sql.param(rows.map((r) => r.row.sku ?? null))}::text[],
                  ${sql.param(rows.map((r) => r.row.quantity ?? null))}::int[],
                  ${sql.param(rows.map((r) => r.row.error?.code ?? null))}::text[],
                  ${sql.param(rows.map((r) => r.row.error?.message ?? null))}::text[])
           AS v(item_id, row_number, cells, sku, quantity, error_code, error_message)`);
}
