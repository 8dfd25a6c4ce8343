import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import type { SubOrderMode } from "@/lib/cancellation/rules";
import { loadActiveReasons } from "@/lib/cancellation/service/load-lines";
import type { BatchCreator } from "./types";

/** How long a draft that was never started is kept; then it is deleted with its rows. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

export type UpdateDraftInput = {
  batchId: string;
  /** The reason for rows that name none. */
  reasonCode?: string;
  /** Sub-order files only: strict or unfulfilled only. */
  mode?: SubOrderMode;
  actor: BatchCreator;
  /** May change a draft someone else uploaded (admins); anyone may change their own. */
  mayEditAny: boolean;
  audit?: ChangeAudit;
};

/**
 * Changes a draft's reason or mode in place: the file is not uploaded again and no second draft
 * appears. Rows that name their own reason keep it; the others follow the batch's. The dry run is
 * then simply asked again. Refused once the batch is started (its settings are fixed then).
 */
export async function updateDraft(
  db: Db,
  input: UpdateDraftInput,
): Promise<Result<{ reasonCode: string; mode: string }>> {
  return db.transaction(async (tx) => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, input.batchId)).for("update");
    if (!batch) return fail("BATCH_NOT_FOUND", { batchId: input.batchId });
    if (batch.status !== "draft") {
      return fail("INVALID_INPUT", {
        problem: "This batch has started; its reason and mode can no longer change.",
      });
    }
    if (batch.createdById !== input.actor.id && !input.mayEditAny) {
      return fail("FORBIDDEN", { uploadedBy: batch.createdByName });
    }
    const reasonCode = input.reasonCode ?? batch.reasonCode;
    if (input.reasonCode !== undefined && !(await loadActiveReasons(tx)).has(input.reasonCode)) {
      return fail("REASON_NOT_FOUND", { reasonCode: input.reasonCode });
    }
    const mode = input.mode ?? batch.mode;
    if ((batch.kind === "line_items") !== (mode === "line_items")) {
      return fail("INVALID_INPUT", {
        problem:
          "A line-item file runs in line-item mode; a sub-order file in strict or unfulfilled-only mode",
      });
    }
    await tx
      .update(batches)
      .set({ reasonCode, mode, updatedAt: new Date() })
      .where(and(eq(batches.id, batch.id), eq(batches.status, "draft")));
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "batch.update",
      target: batch.id,
      outcome: "success",
      detail: {
        reasonCode: { from: batch.reasonCode, to: reasonCode },
        mode: { from: batch.mode, to: mode },
      },
    });
    return ok({ reasonCode, mode });
  });
}

/** Deletes drafts never started within DRAFT_TTL_MS, with their rows and items. Returns how many. */
export async function deleteExpiredDrafts(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - DRAFT_TTL_MS).toISOString();
  return db.transaction(async (tx) => {
    const expired = await tx.execute<{ id: string }>(sql`
      SELECT id FROM batches WHERE status = 'draft' AND created_at < ${cutoff}::timestamptz FOR UPDATE SKIP LOCKED`);
    const ids = expired.rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    await tx.execute(sql`DELETE FROM batch_rows WHERE batch_id = ANY(${sql.param(ids)}::uuid[])`);
    await tx.execute(sql`DELETE FROM batch_items WHERE batch_id = ANY(${sql.param(ids)}::uuid[])`);
    await tx.execute(sql`DELETE FROM batches WHERE id = ANY(${sql.param(ids)}::uuid[]) AND status = 'draft'`);
    return ids.length;
  });
}
