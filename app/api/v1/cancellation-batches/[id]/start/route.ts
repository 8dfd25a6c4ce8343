import { startCancellationBatch } from "@/lib/api/contract/operations/batches";
import { startBatch } from "@/lib/batches/start-batch";
import { ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../../../_lib/api-route";
import { readBatchJson } from "../../_lib/batch-json";

export const dynamic = "force-dynamic";

/**
 * Starts a draft, as the screen's Start does (startBatch): only the key that uploaded it, the
 * duplicate-file rule, audited; a batch already started answers so and nothing runs twice.
 */
export const POST = apiRoute(startCancellationBatch, async ({ params, body, db, actor, audit }) => {
  const started = await startBatch(db, {
    batchId: params.id,
    confirmDuplicate: body.confirmDuplicate ?? false,
    now: new Date(),
    startedBy: { ...actor, name: audit.label },
    mayStartAny: false,
    audit,
  });
  if (!started.ok) return started;
  const batch = await readBatchJson(db, params.id);
  if (!batch) throw new Error(`batch ${params.id} vanished after its start`);
  return ok({
    status: 202,
    body: { ok: true, data: { batch, alreadyStarted: started.value.alreadyStarted } },
  });
});
