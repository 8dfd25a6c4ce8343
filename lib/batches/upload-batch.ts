import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/db/client";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { loadActiveReasons } from "@/lib/cancellation/service/load-lines";
import { checkFileSize, decodeCsvBytes, parseCsvText } from "@/lib/csv/parse";
import { type ValidationCounts, validateRows } from "@/lib/csv/validate";
import { createBatch } from "./create-batch";
import { findRecentDuplicate } from "./start-batch";
import type { BatchCreator, BatchKind, BatchMode } from "./types";

export type UploadBatchInput = {
  bytes: Uint8Array;
  fileName: string;
  kind: BatchKind;
  /** For a sub-order file: strict or unfulfilled only. A line-item file is always line_items. */
  mode: BatchMode;
  /** For rows without a Reason Code column. */
  reasonCode: string;
  createdBy: BatchCreator;
  now: Date;
};

export type UploadedBatch = {
  batchId: string;
  counts: ValidationCounts;
  /** The same file (SHA-256) was run in the last 24 hours. */
  duplicateOf: { id: string; fileName: string; createdAt: Date } | null;
};

/**
 * The server's own reading of an uploaded file: the browser's preview is a convenience, this
 * is the authority. Parses and checks the file with the same lib/csv code, and stores it as
 * a draft batch. One clear message for a file that cannot be read at all.
 */
export async function uploadBatch(db: Db, input: UploadBatchInput): Promise<Result<UploadedBatch>> {
  const tooBig = checkFileSize(input.bytes.byteLength);
  if (tooBig) return fail(tooBig.code, { problem: tooBig.message });
  const text = decodeCsvBytes(input.bytes);
  if (typeof text !== "string") return fail(text.code, { problem: text.message });
  const parsed = parseCsvText(text, input.kind);
  if (!parsed.ok) return fail(parsed.problem.code, { problem: parsed.problem.message });

  const knownReasonCodes = new Set((await loadActiveReasons(db)).keys());
  if (!knownReasonCodes.has(input.reasonCode)) {
    return fail("REASON_NOT_FOUND", { reasonCode: input.reasonCode });
  }
  const { items: validated, counts } = validateRows(input.kind, parsed, {
    defaultReasonCode: input.reasonCode,
    knownReasonCodes,
  });
  // Only a reason written in the file stays with its item; the others follow the batch's reason.
  const reasonColumn = parsed.columns.reasonCode;
  const items = validated.map((item) =>
    reasonColumn !== undefined && item.rows.some((r) => (r.cells[reasonColumn] ?? "").trim() !== "")
      ? { ...item, fileReasonCode: item.reasonCode }
      : item,
  );

  const fileSha256 = createHash("sha256").update(input.bytes).digest("hex");
  const { batchId } = await createBatch(db, {
    kind: input.kind,
    mode: input.kind === "line_items" ? "line_items" : input.mode,
    fileName: input.fileName,
    fileSha256,
    headers: parsed.headers,
    reasonCode: input.reasonCode,
    items,
    createdBy: input.createdBy,
  });
  const duplicateOf = await findRecentDuplicate(db, fileSha256, batchId, input.now);
  return ok({ batchId, counts, duplicateOf });
}
