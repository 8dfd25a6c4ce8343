import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, RETRYABLE_CODES, type Result } from "@/lib/cancellation/errors";
import { notifyProcessRunner } from "./runner";
import type { BatchCreator } from "./types";

export type RetryFailedInput = {
  batchId: string;
  actor: BatchCreator;
  /** May retry a batch someone else uploaded (admins); anyone may retry their own. */
  mayStartAny: boolean;
  audit?: ChangeAudit;
};

export type RetriedBatch = { batchId: string; items: number };

// The first key of the advisory locks that serialise retries of one batch (the second is its hash).
const RETRY_LOCK = 727_003;

/**
 * "Retry failed rows": a new batch, linked to its parent, holding only the parent's rows that
 * failed with a retryable code (each row exactly as uploaded), started at once under the person who
 * asks. Terminal failures are never retried, rows still waiting for their warehouse are not
 * failures, and a batch has at most one retry running at a time (retries of one batch are
 * serialised; a second click finds the first retry and is told so).
 */
export async function retryFailedRows(db: Db, input: RetryFailedInput): Promise<Result<RetriedBatch>> {
  const result = await db.transaction(async (tx): Promise<Result<RetriedBatch>> => {
    const [parent] = await tx.select().from(batches).where(eq(batches.id, input.batchId));
    if (!parent) return fail("BATCH_NOT_FOUND", { batchId: input.batchId });
    if (
      parent.createdById !== input.actor.id &&
      parent.startedById !== input.actor.id &&
      !input.mayStartAny
    ) {
      return fail("FORBIDDEN", { uploadedBy: parent.createdByName });
    }
    if (parent.status !== "completed") {
      return fail("INVALID_INPUT", { problem: "Failed rows can be retried once the batch has finished." });
    }
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${RETRY_LOCK}, hashtext(${parent.id}))`);
    const running = await tx.execute<{ id: string }>(sql`
      SELECT id FROM batches WHERE parent_batch_id = ${parent.id} AND status IN ('queued', 'running') LIMIT 1`);
    if (running.rows[0]) {
      return fail("INVALID_INPUT", {
        problem: `Its failed rows are already being retried in batch ${running.rows[0].id}; wait until it finishes.`,
      });
    }
    const failed = await tx.execute<{ id: number; sub_order_id: string; reason_code: string | null }>(sql`
      SELECT bi.id, bi.sub_order_id, bi.reason_code FROM batch_items bi
       WHERE bi.batch_id = ${parent.id} AND bi.status = 'ERROR'
         AND bi.error_code = ANY(${sql.param(RETRYABLE_CODES)}::text[])
         -- Not already retried successfully (or still waiting) in an earlier retry of this batch.
         AND NOT EXISTS (SELECT 1 FROM batch_items ci JOIN batches c ON c.id = ci.batch_id
                          WHERE c.parent_batch_id = ${parent.id} AND ci.sub_order_id = bi.sub_order_id
                            AND ci.status IN ('SUCCESS', 'WAITING'))
       ORDER BY bi.seq`);
    if (failed.rows.length === 0) {
      return fail("INVALID_INPUT", { problem: "This batch has no failed rows that can be retried." });
    }
    const now = new Date();
    const [child] = await tx
      .insert(batches)
      .values({
        kind: parent.kind,
        mode: parent.mode,
        fileName: parent.fileName,
        // Not the parent's file: a retry is asked for explicitly, never a duplicate upload.
        fileSha256: `retry:${parent.id}:${now.getTime()}`,
        headers: parent.headers,
        reasonCode: parent.reasonCode,
        parentBatchId: parent.id,
        status: "queued",
        createdByType: input.actor.type,
        createdById: input.actor.id,
        createdByName: input.actor.name,
        startedByType: input.actor.type,
        startedById: input.actor.id,
        startedByName: input.actor.name,
        startedAt: now,
        totalItems: failed.rows.length,
        totalRows: 0,
      })
      .returning({ id: batches.id });
    if (!child) throw new Error("retry batch insert returned no row");
    const parentItemIds = failed.rows.map((r) => r.id);
    await tx.execute(sql`
      WITH copied AS (
        INSERT INTO batch_items (batch_id, seq, sub_order_id, reason_code)
        SELECT ${child.id}::uuid, row_number() OVER (ORDER BY bi.seq), bi.sub_order_id, bi.reason_code
          FROM batch_items bi WHERE bi.id = ANY(${sql.param(parentItemIds)}::int[])
        RETURNING id, sub_order_id)
      INSERT INTO batch_rows (batch_id, item_id, row_number, cells, sku, quantity)
      SELECT ${child.id}::uuid, c.id, r.row_number, r.cells, r.sku, r.quantity
        FROM copied c
        JOIN batch_items pi ON pi.batch_id = ${parent.id} AND pi.id = ANY(${sql.param(parentItemIds)}::int[])
                           AND pi.sub_order_id = c.sub_order_id
        JOIN batch_rows r ON r.item_id = pi.id`);
    const rows = await tx.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM batch_rows WHERE batch_id = ${child.id}`,
    );
    await tx
      .update(batches)
      .set({ totalRows: rows.rows[0]?.n ?? 0 })
      .where(eq(batches.id, child.id));
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "batch.retry",
      target: parent.id,
      outcome: "success",
      detail: { retryBatchId: child.id, items: failed.rows.length },
    });
    return ok({ batchId: child.id, items: failed.rows.length });
  });
  if (result.ok) notifyProcessRunner();
  return result;
}
