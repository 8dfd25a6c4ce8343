import "server-only";
import { randomUUID } from "node:crypto";

import type { ActionFailure } from "@/lib/action-result";
import { errorMessage, statusOfCode } from "@/lib/cancellation/errors";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** The HTTP status of an error code, from the error catalog. */
export const statusOf = (code: ActionFailure["code"]): number => statusOfCode(code);

/** A failure as JSON with its HTTP status (401 signed out, 403 not allowed, 404 unknown batch, ...). */
export function failureResponse(result: ActionFailure): Response {
  return Response.json(
    { ok: false, code: result.code, message: result.message },
    { status: statusOf(result.code), headers: NO_STORE },
  );
}

/**
 * An unexpected error as a 500: logged in full with a request id, answered with a sentence and
 * that id only (never SQL or a stack).
 */
export function internalErrorResponse(error: unknown, what: string): Response {
  const requestId = randomUUID();
  console.error(`[api] ${what}: request ${requestId} failed`, error);
  return Response.json(
    {
      ok: false,
      code: "INTERNAL_ERROR",
      message: errorMessage("INTERNAL_ERROR", { what, reference: requestId }),
      requestId,
    },
    { status: 500, headers: NO_STORE },
  );
}

/** `filename` and the RFC 5987 `filename*` form, so non-ASCII file names survive. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
