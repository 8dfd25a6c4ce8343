import { listBatchItemSummaries } from "@/db/queries/batch-view";
import { createCancellationBatch } from "@/lib/api/contract/operations/batches";
import { previewBatch } from "@/lib/batches/preview-batch";
import { startBatch } from "@/lib/batches/start-batch";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../_lib/api-route";
import { itemJson, readBatchJson } from "./_lib/batch-json";

export const dynamic = "force-dynamic";

/** How many refused items and predicted failures the answer lists; the items list has them all. */
const LISTED = 100;

/**
 * A CSV file as a cancellation batch, through the screen's own services: the server's reading and
 * checks of the file (uploadBatch), the dry run (previewBatch), and with `start=true` the start with
 * the duplicate-file rule (startBatch). Idempotent by `Idempotency-Key`: a replay answers the same
 * batch and stores no second one.
 */
export const POST = apiRoute(createCancellationBatch, async ({ query, body, db, actor, audit }) => {
  const by = { ...actor, name: audit.label };
  const uploaded = await uploadBatch(db, {
    bytes: body,
    fileName: query.fileName || "upload.csv",
    kind: query.kind,
    mode: query.kind === "line_items" ? "line_items" : (query.mode ?? "strict"),
    reasonCode: query.reasonCode,
    createdBy: by,
    now: new Date(),
  });
  if (!uploaded.ok) return uploaded;
  const { batchId, counts, duplicateOf } = uploaded.value;
  const preview = await previewBatch(db, batchId);
  if (!preview.ok) return preview;
  const refused = await listBatchItemSummaries(db, batchId, { offset: 0, limit: LISTED, status: "ERROR" });

  if (query.start === "true") {
    const started = await startBatch(db, {
      batchId,
      confirmDuplicate: query.confirmDuplicate === "true",
      now: new Date(),
      startedBy: by,
      mayStartAny: false,
      audit,
    });
    if (!started.ok) return started;
  }
  const batch = await readBatchJson(db, batchId);
  if (!batch) throw new Error(`batch ${batchId} vanished after its upload`);
  return ok({
    status: 202,
    body: {
      ok: true,
      data: {
        batch,
        fileCheck: {
          rows: counts.rows,
          items: counts.items,
          invalidItems: counts.invalidItems,
          duplicateOf: duplicateOf && {
            id: duplicateOf.id,
            fileName: duplicateOf.fileName,
            createdAt: duplicateOf.createdAt.toISOString(),
          },
          dryRun: preview.value.totals,
          refused: refused.items.map(itemJson),
          predictedFailures: preview.value.predictions.filter((p) => p.outcome === "fail").slice(0, LISTED),
        },
      },
    },
  });
});
