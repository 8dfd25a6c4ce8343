import "server-only";
import { randomUUID } from "node:crypto";

import type { ActionFailure } from "@/lib/action-result";
import { problemOf, problemResponse } from "@/lib/api/problem";
import { errorMessage, statusOfCode } from "@/lib/cancellation/errors";

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** The HTTP status of an error code, from the error catalog. */
export const statusOf = (code: ActionFailure["code"]): number => statusOfCode(code);

/** A failure as problem details with its HTTP status (401 signed out, 403 not allowed, 404 unknown batch, ...). */
export function failureResponse(result: ActionFailure, headers: Record<string, string> = {}): Response {
  return problemResponse(problemOf(result), headers);
}

/**
 * An unexpected error as a 500: logged in full with a request id, answered with a sentence and
 * that id only (never SQL or a stack).
 */
export function internalErrorResponse(error: unknown, what: string): Response {
  const requestId = randomUUID();
  console.error(`[api] ${what}: request ${requestId} failed`, error);
  return problemResponse(
    problemOf({
      code: "INTERNAL_ERROR",
      message: errorMessage("INTERNAL_ERROR", { what, reference: requestId }),
      requestId,
    }),
  );
}

/** `filename` and the RFC 5987 `filename*` form, so non-ASCII file names survive. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
