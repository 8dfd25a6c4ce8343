import { retryCancellationBatch } from "@/lib/api/contract/operations/batches";
import { retryFailedRows } from "@/lib/batches/retry-failed";
import { ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../../../_lib/api-route";
import { readBatchJson } from "../../_lib/batch-json";

export const dynamic = "force-dynamic";

/** "Retry failed rows" (retryFailedRows): the retryable failures of a finished batch as a new, linked batch, started. */
export const POST = apiRoute(retryCancellationBatch, async ({ params, db, actor, audit }) => {
  const retried = await retryFailedRows(db, {
    batchId: params.id,
    actor: { ...actor, name: audit.label },
    mayStartAny: false,
    audit,
  });
  if (!retried.ok) return retried;
  const batch = await readBatchJson(db, retried.value.batchId);
  if (!batch) throw new Error(`retry batch ${retried.value.batchId} vanished`);
  return ok({ status: 202, body: { ok: true, data: { batch } } });
});
