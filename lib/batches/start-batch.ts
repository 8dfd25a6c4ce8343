import "server-only";
import { and, desc, eq, gt, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { batches } from "@/db/schema";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { notifyProcessRunner } from "./runner";

export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A batch of the same file (same SHA-256) uploaded in the last 24 hours, other than this one. */
export async function findRecentDuplicate(
  db: Db,
  fileSha256: string,
  exceptBatchId: string | null,
  now: Date,
) {
  const [found] = await db
    .select({
      id: batches.id,
      fileName: batches.fileName,
      createdAt: batches.createdAt,
      status: batches.status,
    })
    .from(batches)
    .where(
      and(
        eq(batches.fileSha256, fileSha256),
        ne(batches.status, "draft"),
        gt(batches.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
        exceptBatchId ? ne(batches.id, exceptBatchId) : undefined,
      ),
    )
    .orderBy(desc(batches.createdAt))
    .limit(1);
  return found ?? null;
}

/**
 * Hands a draft batch to the runner. Only the first call moves it from draft to queued (a
 * guarded UPDATE), so a double click, a second tab or a second user cannot start it twice.
 * The same file run in the last 24 hours needs an explicit confirmation.
 */
export async function startBatch(
  db: Db,
  input: { batchId: string; confirmDuplicate: boolean; now: Date },
): Promise<Result<{ status: string; alreadyStarted: boolean }>> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, input.batchId));
  if (!batch) return fail("BATCH_NOT_FOUND", `Batch ${input.batchId} does not exist`);
  if (batch.status !== "draft") return ok({ status: batch.status, alreadyStarted: true });
  const duplicate = await findRecentDuplicate(db, batch.fileSha256, batch.id, input.now);
  if (duplicate && !input.confirmDuplicate) {
    return fail(
      "DUPLICATE_FILE",
      `The same file (${duplicate.fileName}) was already run at ${duplicate.createdAt.toISOString()} as batch ${duplicate.id}. Confirm to run it again.`,
    );
  }
  const started = await db
    .update(batches)
    .set({ status: "queued", startedAt: input.now })
    .where(and(eq(batches.id, input.batchId), eq(batches.status, "draft")))
    .returning({ status: batches.status });
  notifyProcessRunner();
  return ok({ status: started[0]?.status ?? "queued", alreadyStarted: started.length === 0 });
}
