import { getCancellationBatch } from "@/lib/api/contract/operations/batches";
import { fail, ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../../_lib/api-route";
import { readBatchJson } from "../_lib/batch-json";

export const dynamic = "force-dynamic";

/** A batch's progress and counts (the Batches screen's numbers). */
export const GET = apiRoute(getCancellationBatch, async ({ params, db }) => {
  const batch = await readBatchJson(db, params.id);
  if (!batch) return fail("BATCH_NOT_FOUND", { batchId: params.id });
  return ok({ status: 200, body: { ok: true, data: batch } });
});
