import { attachment } from "@/app/api/_lib/responses";
import { getBatch, iterateErrorRows } from "@/db/queries/batches";
import { getCancellationBatchErrorsCsv } from "@/lib/api/contract/operations/batches";
import { fail } from "@/lib/cancellation/errors";
import { errorCsvStream } from "@/lib/csv/error-csv";
import { apiRoute } from "../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * The error CSV, as the screen downloads it: the failed rows exactly as uploaded plus Error Code and
 * Error Message, streamed from the database page by page, formula-injection safe.
 */
export const GET = apiRoute(getCancellationBatchErrorsCsv, async ({ params, db }) => {
  const batch = await getBatch(db, params.id);
  if (!batch) return fail("BATCH_NOT_FOUND", { batchId: params.id });
  const base = batch.fileName.replace(/\.(csv|txt)$/i, "") || "batch";
  return new Response(errorCsvStream(batch.headers, iterateErrorRows(db, params.id)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": attachment(`${base}-errors.csv`),
      "Cache-Control": "no-store",
    },
  });
});
