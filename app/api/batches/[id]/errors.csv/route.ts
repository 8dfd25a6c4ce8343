import { z } from "zod";

import { attachment, failureResponse } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { getBatch, iterateErrorRows } from "@/db/queries/batches";
import { failure } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import { errorCsvStream } from "@/lib/csv/error-csv";

export const dynamic = "force-dynamic";

/**
 * The failed rows of a batch exactly as uploaded, plus Error Code and Error Message, streamed from
 * the database page by page (constant memory for 100,000 rows), formula-injection safe.
 */
export async function GET(_request: Request, ctx: RouteContext<"/api/batches/[id]/errors.csv">) {
  const { id } = await ctx.params;
  if (!z.uuid().safeParse(id).success) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  const auth = await authorize("batches:read");
  if (!auth.ok) return failureResponse(auth);

  const db = getDb();
  const batch = await getBatch(db, id);
  if (!batch) return failureResponse(failure("BATCH_NOT_FOUND", { batchId: id }));
  const base = batch.fileName.replace(/\.(csv|txt)$/i, "") || "batch";
  return new Response(errorCsvStream(batch.headers, iterateErrorRows(db, id)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(`${base}-errors.csv`),
      "Cache-Control": "no-store",
    },
  });
}
