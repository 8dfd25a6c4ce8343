import "server-only";
import { randomUUID } from "node:crypto";

import type { ActionFailure } from "@/lib/action-result";

const STATUS_OF: Partial<Record<ActionFailure["code"], number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  INVALID_INPUT: 400,
  INVALID_FILE: 422,
  BATCH_NOT_FOUND: 404,
  SUB_ORDER_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // The request was understood but names something unusable.
  REASON_NOT_FOUND: 422,
  LINE_ITEM_NOT_FOUND: 422,
  INVALID_QUANTITY: 422,
  DUPLICATE_ROW: 422,
  // The rules refuse it in the sub-order's current state.
  ALREADY_CANCELLED: 409,
  CANCELLATION_IN_PROGRESS: 409,
  IN_PROCESSING: 409,
  PARTIALLY_FULFILLED: 409,
  NOTHING_CANCELLABLE: 409,
  QUANTITY_EXCEEDS_CANCELLABLE: 409,
  // The warehouse said no, or could not be reached.
  DOWNSTREAM_REJECTED: 502,
  DOWNSTREAM_UNAVAILABLE: 503,
};

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** The HTTP status of an error code. */
export function statusOf(code: ActionFailure["code"]): number {
  return STATUS_OF[code] ?? 500;
}

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
      message: `Something went wrong on our side while ${what} (request ${requestId}). Send the same request again with the same Idempotency-Key to see what happened; it never cancels twice.`,
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
