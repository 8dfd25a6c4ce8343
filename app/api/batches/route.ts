import type { NextRequest } from "next/server";
import { z } from "zod";

import { readLimited } from "@/app/api/_lib/json-body";
import { failureResponse, internalErrorResponse, NO_STORE } from "@/app/api/_lib/responses";
import { getDb } from "@/db/client";
import { BATCH_MODES } from "@/db/schema";
import { failure, failureOf, invalid } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import type { UploadResult } from "@/lib/batches/contracts";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { checkFileSize, MAX_FILE_BYTES } from "@/lib/csv/parse";
import { CSV_KINDS } from "@/lib/csv/templates";
import { freeText, idText } from "@/lib/validation/text";

export const dynamic = "force-dynamic";

const uploadQuerySchema = z
  .object({
    kind: z.enum(CSV_KINDS),
    mode: z.enum(BATCH_MODES),
    reasonCode: idText({ required: "Choose a reason" }),
    fileName: freeText({ max: 255 }).default("upload.csv"),
  })
  .refine((v) => (v.kind === "line_items") === (v.mode === "line_items"), {
    message: "A line-item file runs in line-item mode; a sub-order file in strict or unfulfilled-only mode",
    path: ["mode"],
  });

/**
 * Stores an uploaded CSV file as a draft batch: `POST /api/batches?kind=&mode=&reasonCode=&fileName=`
 * with the file as the body. The caller is authenticated and authorised before a byte of the body is
 * read; the body is then streamed with its own limit (50 MB; larger is 413 with a clear message,
 * read no further). The server reads and checks the file itself (the browser's reading is only a
 * preview) and answers with the batch and any recent run of the same file.
 */
export async function POST(request: NextRequest) {
  try {
    const auth = await authorize("cancel:bulk", { action: "batch.create" });
    if (!auth.ok) return failureResponse(auth);
    if (!isSameOrigin(request)) {
      return failureResponse(failure("FORBIDDEN", { crossSite: true }));
    }
    const query = uploadQuerySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
    if (!query.success) return failureResponse(invalid(query.error));
    const declared = Number(request.headers.get("content-length") ?? "0");
    const early = checkFileSize(declared);
    if (early) return failureResponse(failure("PAYLOAD_TOO_LARGE", { problem: early.message }));
    const bytes = await readLimited(request.body, MAX_FILE_BYTES);
    const tooBig = bytes === null ? checkFileSize(MAX_FILE_BYTES + 1) : null;
    if (bytes === null || tooBig) {
      return failureResponse(
        failure("PAYLOAD_TOO_LARGE", { problem: tooBig?.message ?? "The file is too large." }),
      );
    }
    const { kind, mode, reasonCode, fileName } = query.data;
    const result = await uploadBatch(getDb(), {
      bytes,
      fileName: fileName || "upload.csv",
      kind,
      mode,
      reasonCode,
      createdBy: { type: auth.actor.type, id: auth.actor.id, name: auth.actor.name },
      now: new Date(),
    });
    if (!result.ok) return failureResponse(failureOf(result.error));
    const { batchId, counts, duplicateOf } = result.value;
    const body: UploadResult = {
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
    };
    return Response.json({ ok: true, data: body }, { status: 201, headers: NO_STORE });
  } catch (error) {
    return internalErrorResponse(error, "storing the file");
  }
}

/** A browser's request from another site carries its Origin: refuse it (cookies alone do not prove intent). */
function isSameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
