import "server-only";
import type { Db } from "@/db/client";
import type { BatchItemSummary } from "@/db/queries/batch-view";
import { getBatch, getBatchProgress, getBatchRetries, progressJson } from "@/db/queries/batches";
import type { BatchJson } from "@/lib/api/contract/operations/batches";

/** A batch as the API shows it (see `batchSchema`): its facts, progress and retries; null when there is none. */
export async function readBatchJson(db: Db, batchId: string, now = new Date()): Promise<BatchJson | null> {
  const batch = await getBatch(db, batchId);
  if (!batch) return null;
  const [progress, family] = await Promise.all([
    getBatchProgress(db, batchId, now),
    getBatchRetries(db, batch),
  ]);
  if (!progress) return null;
  return {
    id: batch.id,
    kind: batch.kind,
    mode: batch.mode,
    status: batch.status,
    fileName: batch.fileName,
    reasonCode: batch.reasonCode,
    createdBy: batch.createdByName,
    createdAt: batch.createdAt.toISOString(),
    startedBy: batch.startedByName,
    parentBatchId: family.parentBatchId,
    retries: family.retries.map((r) => ({ id: r.id, status: r.status as BatchJson["status"] })),
    retryable: family.retryable,
    totalRows: batch.totalRows,
    progress: { ...progressJson(progress), status: batch.status },
  };
}

/** An item as the API lists it (see `batchItemSchema`). */
export function itemJson(item: BatchItemSummary) {
  return {
    seq: item.seq,
    subOrderId: item.subOrderId,
    rowNumbers: item.rowNumbers,
    status: item.status,
    errorCode: item.errorCode,
    errorMessage: item.errorMessage,
    units: item.units,
    syncState: item.syncState,
  };
}
