/**
 * Stable error codes. The same code reaches the screen, the error CSV and the REST API,
 * so never rename one; add new ones instead.
 */
export const ERROR_CODES = [
  "INVALID_INPUT",
  "INVALID_FILE",
  "SUB_ORDER_NOT_FOUND",
  "LINE_ITEM_NOT_FOUND",
  "REASON_NOT_FOUND",
  "ALREADY_CANCELLED",
  "CANCELLATION_IN_PROGRESS",
  "IN_PROCESSING",
  "PARTIALLY_FULFILLED",
  "NOTHING_CANCELLABLE",
  "QUANTITY_EXCEEDS_CANCELLABLE",
  "INVALID_QUANTITY",
  "DUPLICATE_ROW",
  "DUPLICATE_FILE",
  "BATCH_NOT_FOUND",
  "DOWNSTREAM_REJECTED",
  "DOWNSTREAM_UNAVAILABLE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "API_KEY_NOT_FOUND",
  "INTERNAL_ERROR",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type CancelError = {
  code: ErrorCode;
  /** A sentence a person understands: names the SKU, the state and the numbers. */
  message: string;
  /** For line-item groups: the result of each line that made the group fail. */
  lineErrors?: LineError[];
};

export type LineError = { sku: string; code: ErrorCode; message: string };

export type Result<T> = { ok: true; value: T } | { ok: false; error: CancelError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = (code: ErrorCode, message: string, lineErrors?: LineError[]): Result<never> => ({
  ok: false,
  error: lineErrors ? { code, message, lineErrors } : { code, message },
});

export const units = (n: number): string => `${n} ${n === 1 ? "unit" : "units"}`;
