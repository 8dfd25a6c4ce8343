"use server";

import { z } from "zod";

import type { UploadResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { BATCH_MODES } from "@/db/schema";
import { type ActionResult, failure, invalid, success } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { checkFileSize } from "@/lib/csv/parse";
import { CSV_KINDS } from "@/lib/csv/templates";

import { unexpectedFailure } from "../_lib/unexpected-failure";

/** What browsers and spreadsheet programs call a CSV file (an empty type is common for .csv too). */
const CSV_TYPES = new Set([
  "",
  "text/csv",
  "text/plain",
  "application/csv",
  "text/x-csv",
  "application/vnd.ms-excel",
]);
const CSV_NAME = /\.(csv|txt)$/i;

const uploadBatchSchema = z
  .object({
    file: z.instanceof(File, { message: "Choose a CSV file" }),
    kind: z.enum(CSV_KINDS),
    mode: z.enum(BATCH_MODES),
    reasonCode: z.string().trim().min(1, "Choose a reason").max(100),
  })
  .refine((v) => (v.kind === "line_items") === (v.mode === "line_items"), {
    message: "A line-item file runs in line-item mode; a sub-order file in strict or unfulfilled-only mode",
    path: ["mode"],
  });

/**
 * Stores an uploaded file as a draft batch. The server reads and checks the file itself (the
 * browser's reading is only a preview) and answers with the batch and any recent run of the same file.
 */
export async function uploadBatchAction(form: FormData): Promise<ActionResult<UploadResult>> {
  if (!(form instanceof FormData)) return failure("INVALID_INPUT", "Send the file as a form upload");
  const parsed = uploadBatchSchema.safeParse({
    file: form.get("file"),
    kind: form.get("kind"),
    mode: form.get("mode"),
    reasonCode: form.get("reasonCode"),
  });
  if (!parsed.success) return invalid(parsed.error);
  const { file, kind, mode, reasonCode } = parsed.data;
  const tooBig = checkFileSize(file.size);
  if (tooBig) return failure(tooBig.code, tooBig.message);
  if (!CSV_TYPES.has(file.type) && !CSV_NAME.test(file.name)) {
    return failure(
      "INVALID_FILE",
      `The file is not a CSV file (${file.type || "unknown type"}). Save it as "CSV UTF-8 (Comma delimited)" and upload that file.`,
    );
  }

  const auth = await authorize("cancel:bulk", { action: "batch.create" });
  if (!auth.ok) return auth;
  try {
    const result = await uploadBatch(getDb(), {
      bytes: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name.slice(0, 255) || "upload.csv",
      kind,
      mode,
      reasonCode,
      createdBy: { type: auth.actor.type, id: auth.actor.id, name: auth.actor.name },
      now: new Date(),
    });
    if (!result.ok) return failure(result.error.code, result.error.message);
    const { batchId, counts, duplicateOf } = result.value;
    return success({
      batchId,
      items: counts.items,
      rows: counts.rows,
      invalidItems: counts.invalidItems,
      duplicateOf: duplicateOf
        ? {
            id: duplicateOf.id,
            fileName: duplicateOf.fileName,
            createdAt: duplicateOf.createdAt.toISOString(),
          }
        : null,
    });
  } catch (error) {
    return unexpectedFailure(error, "storing the file");
  }
}
