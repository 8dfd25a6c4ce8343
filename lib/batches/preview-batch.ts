import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { ANY_QUANTITY, planValueMinor } from "@/lib/cancellation/rules";
import {
  loadActiveReasons,
  loadCancelTargets,
  loadPlannedLines,
} from "@/lib/cancellation/service/load-lines";
import type { Prediction, PreviewResult, PreviewTotals } from "./contracts";
import { itemCancelRequest } from "./item-request";
import type { BatchMode } from "./types";

export type BatchPreview = PreviewResult;

/**
 * Items planned per read. Small enough that each read's rows die young: at 10,000 they outlived
 * the young generation, and a 100,000-row dry run left 165 MB of garbage in the old one.
 */
const CHUNK = 2_000;

/**
 * The dry run: every pending item of a draft batch planned by the same rules the runner
 * applies, against the current state, without writing anything. A sub-order that a started,
 * unfinished batch will also touch is flagged.
 */
export async function previewBatch(
  db: Db,
  batchId: string,
  options: { chunkSize?: number } = {},
): Promise<Result<BatchPreview>> {
  const chunkSize = options.chunkSize ?? CHUNK;
  const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!batch) return fail("BATCH_NOT_FOUND", { batchId });

  // Counted by the database and read a chunk at a time, so a 100,000-row dry run never holds every
  // item at once (only the predictions it returns).
  const [counts] = (
    await db.execute<{ items: number; sub_orders: number; pending: number }>(sql`
      SELECT count(*)::int AS items, count(DISTINCT sub_order_id)::int AS sub_orders,
             count(*) FILTER (WHERE status = 'PENDING')::int AS pending
        FROM batch_items WHERE batch_id = ${batchId}`)
  ).rows;
  const activeReasons = await loadActiveReasons(db);

  const predictions: Prediction[] = [];
  const totals: PreviewTotals = {
    rows: batch.totalRows,
    subOrders: counts?.sub_orders ?? 0,
    willCancel: 0,
    willFail: 0,
    invalid: (counts?.items ?? 0) - (counts?.pending ?? 0),
    units: 0,
    values: [],
    inOtherBatches: 0,
  };
  const valueBy = new Map<string, number>();

  for (let afterSeq = -1; ; ) {
    const chunk = (
      await db.execute<{ id: number; seq: number; sub_order_id: string; reason_code: string }>(sql`
        SELECT id, seq, sub_order_id, coalesce(reason_code, ${batch.reasonCode}) AS reason_code
          FROM batch_items
         WHERE batch_id = ${batchId} AND status = 'PENDING' AND seq > ${afterSeq}
         ORDER BY seq LIMIT ${chunkSize}`)
    ).rows;
    const last = chunk.at(-1);
    if (!last) break;
    afterSeq = last.seq;
    const ids = chunk.map((i) => i.sub_order_id);
    const linesOf = await loadPlannedLines(db, ids);
    const targets = await loadCancelTargets(db, ids);
    const requested = new Map<number, { sku: string; quantity: number }[]>();
    if (batch.mode === "line_items") {
      const rows = await db.execute<{ item_id: number; sku: string; quantity: number }>(sql`
        SELECT item_id, sku, quantity FROM batch_rows
         WHERE item_id = ANY(${sql.param(chunk.map((i) => i.id))}::int[]) ORDER BY row_number`);
      for (const row of rows.rows) requested.set(row.item_id, [...(requested.get(row.item_id) ?? []), row]);
    }
    const others = await db.execute<{ sub_order_id: string; batch_id: string }>(sql`
      SELECT DISTINCT ON (bi.sub_order_id) bi.sub_order_id, bi.batch_id
        FROM batch_items bi JOIN batches b ON b.id = bi.batch_id
       WHERE bi.sub_order_id = ANY(${sql.param(ids)}::text[]) AND bi.status = 'PENDING'
         AND b.status IN ('queued', 'running') AND b.id <> ${batchId}`);
    const otherBatchOf = new Map(others.rows.map((o) => [o.sub_order_id, o.batch_id]));

    for (const item of chunk) {
      const otherBatchId = otherBatchOf.get(item.sub_order_id);
      if (otherBatchId) totals.inOtherBatches++;
      const request = itemCancelRequest({
        itemId: item.id,
        batchId,
        subOrderId: item.sub_order_id,
        reasonCode: item.reason_code,
        mode: batch.mode as BatchMode,
        actor: { type: "system", id: "preview" },
        lines: requested.get(item.id) ?? [],
      });
      const planned = activeReasons.has(item.reason_code)
        ? request.plan(
            linesOf.get(item.sub_order_id) ?? [],
            targets.get(item.sub_order_id)?.policy ?? ANY_QUANTITY,
          )
        : fail("REASON_NOT_FOUND", { reasonCode: item.reason_code });
      if (planned.ok) {
        const valueMinor = planValueMinor(planned.value, linesOf.get(item.sub_order_id) ?? []);
        // A planned cancel has lines, so its sub-order (and currency) exists.
        const currency = targets.get(item.sub_order_id)?.currency ?? "XXX";
        totals.willCancel++;
        totals.units += planned.value.units;
        valueBy.set(currency, (valueBy.get(currency) ?? 0) + valueMinor);
        predictions.push({
          seq: item.seq,
          outcome: "cancel",
          units: planned.value.units,
          valueMinor,
          currency,
          otherBatchId,
        });
      } else {
        totals.willFail++;
        const { code, message, lineErrors } = planned.error;
        predictions.push({ seq: item.seq, outcome: "fail", code, message, lineErrors, otherBatchId });
      }
    }
  }
  totals.values = [...valueBy]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, valueMinor]) => ({ currency, valueMinor }));
  return ok({ predictions, totals });
}
