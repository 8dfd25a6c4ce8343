import "server-only";
import { and, desc, eq, gt, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { batches } from "@/db/schema";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { notifyProcessRunner } from "./runner";

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
const FILE_START_LOCK = 727_002;

/**
 * Hands a draft batch to the runner. Only the first call moves it from draft to queued (a
 * guarded UPDATE), so a double click, a second tab or a second user cannot start it twice. The
 * same file started in the last 24 hours needs an explicit confirmation, and that is a fact the
 * database keeps, not a check-then-act: starts of one file run one at a time under a transaction
 * advisory lock on its hash, so of two drafts of one file started at the same moment the second
 * sees the first as started and is refused with DUPLICATE_FILE.
 */
export async function startBatch(
  db: Db,
  input: { batchId: string; confirmDuplicate: boolean; now: Date },
): Promise<Result<{ status: string; alreadyStarted: boolean }>> {
  const result = await db.transaction(
    async (tx): Promise<Result<{ status: string; alreadyStarted: boolean }>> => {
      const [batch] = await tx.select().from(batches).where(eq(batches.id, input.batchId));
      if (!batch) return fail("BATCH_NOT_FOUND", `Batch ${input.batchId} does not exist`);
      if (batch.status !== "draft") return ok({ status: batch.status, alreadyStarted: true });
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${FILE_START_LOCK}, hashtext(${batch.fileSha256}))`);
      const duplicate = await findRecentDuplicate(tx, batch.fileSha256, batch.id, input.now);
      if (duplicate && !input.confirmDuplicate) {
        return fail(
          "DUPLICATE_FILE",
          `The same file (${duplicate.fileName}) was already started at ${(duplicate.startedAt ?? duplicate.createdAt).toISOString()} as batch ${duplicate.id}. Confirm to run it again.`,
        );
      }
      const started = await tx
        .update(batches)
        .set({ status: "queued", startedAt: input.now })
        .where(and(eq(batches.id, input.batchId), eq(batches.status, "draft")))
        .returning({ status: batches.status });
      return ok({ status: started[0]?.status ?? "queued", alreadyStarted: started.length === 0 });
    },
  );
  if (result.ok && !result.value.alreadyStarted) notifyProcessRunner();
  return result;
}
