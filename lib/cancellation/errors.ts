/**
 * The one error catalog: every stable code with its HTTP status, whether retrying the same request
 * later can succeed (retryable) or cannot (terminal), and the sentence a person reads, built from
 * the facts of the case. The same code and sentence reach the screens, the error CSV and the REST
 * API; call sites pass facts, never sentences. Never rename a code; add new ones.
 */

export const units = (n: number): string => `${n} ${n === 1 ? "unit" : "units"}`;

type Spec<P> = {
  status: number;
  /** Retrying the same request later can succeed (a batch's "Retry failed rows" takes only these). */
  retryable: boolean;
  message: (params: P) => string;
};

const spec = <P>(status: number, retryable: boolean, message: (params: P) => string): Spec<P> => ({
  status,
  retryable,
  message,
});

/** A problem a validator already put in words, naming the field or the row and column. */
type Problem = { problem: string };

export const ERRORS = {
  INVALID_INPUT: spec(400, false, (p: Problem) => p.problem),
  INVALID_FILE: spec(422, false, (p: Problem) => p.problem),
  SUB_ORDER_NOT_FOUND: spec(
    404,
    false,
    (p: { subOrderId: string }) => `Sub-order ${p.subOrderId} does not exist`,
  ),
  LINE_ITEM_NOT_FOUND: spec(
    422,
    false,
    (p: { sku: string; subOrderId: string }) => `SKU ${p.sku} is not on sub-order ${p.subOrderId}`,
  ),
  REASON_NOT_FOUND: spec(
    422,
    false,
    (p: { reasonCode: string }) => `Reason code ${p.reasonCode} is unknown or inactive`,
  ),
  ALREADY_CANCELLED: spec(409, false, (p: { subOrderId: string } | { sku: string; ordered: number }) =>
    "sku" in p
      ? `SKU ${p.sku}: all ${units(p.ordered)} already cancelled`
      : `Sub-order ${p.subOrderId} is already cancelled`,
  ),
  CANCELLATION_IN_PROGRESS: spec(
    409,
    true,
    (p: { waitingSubOrderId: string } | { blockers: string; nothingLeftOn?: string }) =>
      "waitingSubOrderId" in p
        ? `Another cancellation of ${p.waitingSubOrderId} is waiting for the warehouse; try again once it is answered`
        : blockersMessage(p),
  ),
  IN_PROCESSING: spec(409, false, (p: { blockers: string }) => p.blockers),
  PARTIALLY_FULFILLED: spec(409, false, (p: { blockers: string }) => p.blockers),
  WAREHOUSE_WHOLE_ORDERS_ONLY: spec(
    409,
    false,
    (p: { warehouse: string; subOrderId: string; left: number }) =>
      `${p.warehouse} cancels whole orders only: sub-order ${p.subOrderId} would keep ${units(p.left)} open or in processing; cancel all of it at once, or cancel in the warehouse`,
  ),
  NOTHING_CANCELLABLE: spec(
    409,
    false,
    (p: { emptySubOrderId: string } | { blockers: string; nothingLeftOn: string }) =>
      "emptySubOrderId" in p ? `Sub-order ${p.emptySubOrderId} has no units to cancel` : blockersMessage(p),
  ),
  QUANTITY_EXCEEDS_CANCELLABLE: spec(409, false, (p: { sku?: string; breakdown: string }) =>
    p.sku === undefined ? p.breakdown : `SKU ${p.sku}: ${p.breakdown}`,
  ),
  INVALID_QUANTITY: spec(422, false, (p: Problem) => p.problem),
  DUPLICATE_ROW: spec(422, false, (p: Problem | { sku: string; subOrderId: string }) =>
    "problem" in p ? p.problem : `SKU ${p.sku} appears more than once for ${p.subOrderId}`,
  ),
  DUPLICATE_FILE: spec(
    409,
    false,
    (p: { fileName: string; startedAt: string; batchId: string }) =>
      `The same file (${p.fileName}) was already started at ${p.startedAt} as batch ${p.batchId}. Confirm to run it again.`,
  ),
  BATCH_NOT_FOUND: spec(404, false, (p: { batchId: string; seq?: string | number }) =>
    p.seq === undefined ? `Batch ${p.batchId} does not exist` : `Batch ${p.batchId} has no item ${p.seq}`,
  ),
  /** The remote's own words, as it said them. */
  DOWNSTREAM_REJECTED: spec(502, false, (p: { said: string }) => p.said),
  DOWNSTREAM_UNAVAILABLE: spec(503, true, (p: { reason: string } | { unreachable: string }) =>
    "reason" in p
      ? `Waiting for the warehouse (${p.reason}); the units stay reserved and it is asked again with the same request`
      : `The warehouse could not be reached (${p.unreachable}); nothing was sent, the units are released. Retry the row once it is back.`,
  ),
  UNAUTHENTICATED: spec(401, false, (p: { how: "session" | "no-key" | "bad-key" }) => UNAUTHENTICATED[p.how]),
  FORBIDDEN: spec(
    403,
    false,
    (
      p:
        | { role: string; permission: string }
        | { scope: string }
        | { uploadedBy: string }
        | { crossSite: true }
        | { crossSiteAction: true },
    ) => {
      if ("role" in p) return `The ${p.role} role may not do this (it needs ${p.permission}).`;
      if ("scope" in p) return `This API key lacks the "${p.scope}" scope.`;
      if ("uploadedBy" in p)
        return `Only ${p.uploadedBy}, who uploaded this file, or an admin can start it. Upload the file yourself to run it.`;
      if ("crossSiteAction" in p) return "Actions are accepted from this application's own pages only";
      return "Uploads are accepted from this application's own pages only";
    },
  ),
  RATE_LIMITED: spec(
    429,
    true,
    (
      p:
        | { what: "api-key"; limit: number; retryAfterSeconds: number }
        | { what: "invalid-key"; retryAfterSeconds: number },
    ) =>
      p.what === "api-key"
        ? `This API key made more than ${p.limit} requests this minute. Retry after ${p.retryAfterSeconds} s.`
        : `Too many requests without a valid API key from this address. Retry after ${p.retryAfterSeconds} s.`,
  ),
  API_KEY_NOT_FOUND: spec(404, false, (_: { id: string }) => "There is no API key with this id."),
  INTERNAL_ERROR: spec(
    500,
    true,
    (p: { what: string; reference: string }) =>
      `Something went wrong while ${p.what} (reference ${p.reference}). Try again.`,
  ),
  IDEMPOTENCY_KEY_REUSED: spec(
    422,
    false,
    (p: { key: string }) =>
      `Idempotency-Key ${p.key} was already used for a different request; use a new key for a new request`,
  ),
  IDEMPOTENCY_KEY_IN_USE: spec(
    409,
    true,
    (p: { key: string }) =>
      `The first request with Idempotency-Key ${p.key} is still running; send it again shortly to get its answer`,
  ),
  PAYLOAD_TOO_LARGE: spec(413, false, (p: Problem) => p.problem),
  LENGTH_REQUIRED: spec(
    411,
    false,
    () => "The body was sent in chunks without a Content-Length; send it whole, with its length",
  ),
  WHOLE_LINES_ONLY: spec(
    409,
    false,
    (p: { channel: string; sku: string; requested: number; open: number; blocked: string | null }) =>
      p.blocked === null
        ? `${p.channel} cancels whole lines only: SKU ${p.sku} has ${units(p.open)} left; cancel all ${p.open} or none (asked for ${p.requested})`
        : `${p.channel} cancels whole lines only: SKU ${p.sku} cannot be cancelled whole, ${p.blocked}`,
  ),
  CHANNEL_NOT_FOUND: spec(404, false, (p: { channelId: string }) => `Channel ${p.channelId} does not exist`),
  WAREHOUSE_NOT_FOUND: spec(
    404,
    false,
    (p: { warehouseId: string; field?: string }) =>
      `${p.field === undefined ? "" : `${p.field}: `}Warehouse ${p.warehouseId} does not exist`,
  ),
  ORDER_NOT_FOUND: spec(
    404,
    false,
    (p: { channelId: string; channelOrderId: string } | { orderId: string }) =>
      "orderId" in p
        ? `Order ${p.orderId} does not exist`
        : `Channel ${p.channelId} has no order ${p.channelOrderId}`,
  ),
  REQUEST_NOT_FOUND: spec(404, false, (p: { id: string }) => `Cancel request ${p.id} does not exist`),
  REQUEST_ALREADY_DECIDED: spec(
    409,
    false,
    (p: { requestId: string; state: string; decidedBy: string | null }) =>
      p.state === "expired"
        ? `Cancel request ${p.requestId} has expired; it can no longer be approved or rejected`
        : `Cancel request ${p.requestId} was already ${p.state}${p.decidedBy ? ` by ${p.decidedBy}` : ""}; reload to see the decision`,
  ),
  /** An order update or a warehouse event that would break the quantity rules: nothing changed. */
  QUANTITY_CONFLICT: spec(409, false, (p: { conflicts: string }) => `Nothing was changed: ${p.conflicts}`),
  ORDER_CONFLICT: spec(409, false, (p: Problem) => p.problem),
  EVENT_ID_REUSED: spec(
    422,
    false,
    (p: { eventId: string }) =>
      `Event ${p.eventId} was already received with a different body; a new event needs a new id`,
  ),
  REQUEST_ID_REUSED: spec(
    422,
    false,
    (p: { requestId: string }) =>
      `Cancel request ${p.requestId} was already received with a different body; a new request needs a new id`,
  ),
  REASON_NOT_MAPPED: spec(
    422,
    false,
    (p: { channel: string; reason: string; field: string }) =>
      `${p.field}: ${p.channel} reason "${p.reason}" has no matching reason here; map it in Settings`,
  ),
  EXCEPTION_NOT_FOUND: spec(
    404,
    false,
    (p: { orderId: string }) => `Order ${p.orderId} has no such exception; reload the page`,
  ),
  UNSUPPORTED_MEDIA_TYPE: spec(415, false, (p: { accepted?: readonly string[] }) =>
    p.accepted
      ? `Send the body as ${p.accepted.map((t) => `\`${t}\``).join(" or ")} in \`Content-Type\`.`
      : "Send the body as JSON with `Content-Type: application/json`.",
  ),
  // Settings → Users.
  USER_NOT_FOUND: spec(404, false, (_: { id: string }) => "There is no such user; reload the page."),
  EMAIL_TAKEN: spec(
    409,
    false,
    (p: { email: string }) => `A user with the email ${p.email} already exists; change their role instead.`,
  ),
  LAST_ADMIN: spec(
    409,
    false,
    (p: { name: string; change: "demote" | "disable" | "reset" }) =>
      `${p.name} is the last active admin: add or enable another admin before you ${p.change === "demote" ? "change this role" : p.change === "disable" ? "disable this user" : "reset this password"}.`,
  ),
  OWN_ACCOUNT: spec(409, false, (p: { change: "disable" | "reset" }) =>
    p.change === "disable"
      ? "You cannot disable your own account; another admin can."
      : "You cannot reset your own password here; ask another admin for a new link.",
  ),
  PASSWORD_LINK_INVALID: spec(
    410,
    false,
    (p: { state: "unknown" | "used" | "expired" | "disabled" }) =>
      ({
        unknown:
          "This link is not valid: it was mistyped, or a newer link replaced it. Ask your administrator for a new one.",
        used: "This link was already used to set a password. Sign in, or ask your administrator for a new link.",
        expired: "This link has expired. Ask your administrator for a new one.",
        disabled: "This account is disabled. Ask your administrator.",
      })[p.state],
  ),
} as const;

const UNAUTHENTICATED = {
  session: "Your session has ended. Sign in again to continue.",
  "no-key": "Send an API key as `Authorization: Bearer <key>`.",
  "bad-key": "This API key is not valid or has been revoked.",
} as const;

function blockersMessage(p: { blockers: string; nothingLeftOn?: string }): string {
  return p.nothingLeftOn === undefined
    ? p.blockers
    : `Nothing left to cancel on ${p.nothingLeftOn}: ${p.blockers}`;
}

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]["message"]>[0];

/** The sentence of a code, from the facts of the case. */
export function errorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  return (ERRORS[code].message as (p: ErrorParams<C>) => string)(params);
}

export const statusOfCode = (code: ErrorCode): number => ERRORS[code].status;
export const isRetryable = (code: ErrorCode): boolean => ERRORS[code].retryable;

/** The codes a "Retry failed rows" run takes again; every other failure is terminal. */
export const RETRYABLE_CODES = ERROR_CODES.filter(isRetryable);

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

/** A failure of `code`, its sentence from the catalog. */
export function fail<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
  lineErrors?: LineError[],
): Result<never> {
  return failed({ code, message: errorMessage(code, params), lineErrors });
}

/** A failure already put in words by the catalog (a stored result, a line's errors): passed on as it is. */
export function failed(error: CancelError): Result<never> {
  const { code, message, lineErrors } = error;
  return { ok: false, error: lineErrors ? { code, message, lineErrors } : { code, message } };
}

/** A line's error, its sentence from the catalog. */
export function lineError<C extends ErrorCode>(sku: string, code: C, params: ErrorParams<C>): LineError {
  return { sku, code, message: errorMessage(code, params) };
}
