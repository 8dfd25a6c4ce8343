import "server-only";
import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import { analyzeIfEmbedded, type Db, type DbOrTx } from "@/db/client";
import { batches } from "@/db/schema";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { notifyProcessRunner } from "./runner";
import type { BatchCreator } from "./types";

export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A batch of the same file (same SHA-256) started in the last 24 hours, other than this one. */
export async function findRecentDuplicate(
  db: DbOrTx,
  fileSha256: string,
  exceptBatchId: string | null,
  now: Date,
) {
  const [found] = await db
    .select({
      id: batches.id,
      fileName: batches.fileName,
      createdAt: batches.createdAt,
      startedAt: batches.startedAt,
      status: batches.status,
    })
    .from(batches)
    .where(
      and(
        eq(batches.fileSha256, fileSha256),
        ne(batches.status, "draft"),
        gt(batches.startedAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
        exceptBatchId ? ne(batches.id, exceptBatchId) : undefined,
      ),
    )
    .orderBy(desc(batches.createdAt))
    .limit(1);
  return found ?? null;
}

// The first key of the advisory locks that serialise starts of one file (the second is its hash).
const FILE_START_LOCK = 727_010;

/**
 * Hands a draft batch to the runner. Only the first call moves it from draft to queued (a
 * guarded UPDATE), so a double click, a second tab or a second user cannot start it twice. The
 * same file started in the last 24 hours needs an explicit confirmation, and that is a fact the
 * database keeps, not a check-then-act: starts of one file run one at a time under a transaction
 * advisory lock on its hash, so of two drafts of one file started at the same moment the second
 * sees the first as started and is refused with DUPLICATE_FILE.
 */
export type StartBatchInput = {
  batchId: string;
  confirmDuplicate: boolean;
  now: Date;
  /** Who starts it (the actor of its ledger entries); the uploader when not given. */
  startedBy?: BatchCreator;
  /** May start a draft someone else uploaded (admins); anyone may start their own. */
  mayStartAny?: boolean;
  /** Audit the start (or its refusal) in the transaction that makes it. */
  audit?: ChangeAudit;
};

type Started = { status: string; alreadyStarted: boolean };

export async function startBatch(db: Db, input: StartBatchInput): Promise<Result<Started>> {
  const result = await db.transaction(async (tx): Promise<Result<Started>> => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, input.batchId));
    if (!batch) return fail("BATCH_NOT_FOUND", { batchId: input.batchId });
    if (batch.status !== "draft") return ok({ status: batch.status, alreadyStarted: true });
    const starter = input.startedBy ?? {
      type: batch.createdByType as BatchCreator["type"],
      id: batch.createdById,
      name: batch.createdByName,
    };
    const audit = (outcome: "success" | "failure" | "denied", detail: Record<string, unknown>) =>
      auditChange(tx, input.audit, {
        actor: starter,
        action: "batch.start",
        target: batch.id,
        outcome,
        detail,
      });
    if (starter.id !== batch.createdById && !input.mayStartAny) {
      await audit("denied", { code: "FORBIDDEN", uploadedBy: batch.createdByName });
      return fail("FORBIDDEN", { uploadedBy: batch.createdByName });
    }
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${FILE_START_LOCK}, hashtext(${batch.fileSha256}))`);
    const duplicate = await findRecentDuplicate(tx, batch.fileSha256, batch.id, input.now);
    if (duplicate && !input.confirmDuplicate) {
      const refusal = fail("DUPLICATE_FILE", {
        fileName: duplicate.fileName,
        startedAt: (duplicate.startedAt ?? duplicate.createdAt).toISOString(),
        batchId: duplicate.id,
      });
      await audit("failure", { ...(!refusal.ok && refusal.error) });
      return refusal;
    }
    const started = await tx
      .update(batches)
      .set({
        status: "queued",
        startedAt: input.now,
        startedByType: starter.type,
        startedById: starter.id,
        startedByName: starter.name,
      })
      .where(and(eq(batches.id, input.batchId), eq(batches.status, "draft")))
      .returning({ status: batches.status });
    if (started.length > 0) await audit("success", { confirmDuplicate: input.confirmDuplicate });
    return ok({ status: started[0]?.status ?? "queued", alreadyStarted: started.length === 0 });
  });
  if (result.ok && !result.value.alreadyStarted) {
    // The run's plans need the batch's items counted (PGlite has no autovacuum to do it).
    await analyzeIfEmbedded(db, ["batch_items"]);
    notifyProcessRunner();
  }
  return result;
}
