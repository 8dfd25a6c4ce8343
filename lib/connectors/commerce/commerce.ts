import { answerFrom, isRecord, sendJson } from "../http";
import type { ConnectorAnswer, ConnectorConfig } from "../types";

/**
 * Adapter for the commerce platform's "Order Cancellation" API (seeds/004):
 *
 *   POST {baseUrl}/api/i1/orders/{order_id}/cancel/
 *   Authorization: Token <credentials.token>
 *   {"order": <int>, "is_all": bool, "cancel_items": [...], "forced_refund_amount": null,
 *    "reasons": {"<order item id>": <reason code>}, "is_cargo_refund": bool}
 *
 * The document lists `cancel_items` as "dict" but also says to send "an empty list" when
 * `is_all`; we send a list of order item ids. `forced_refund_amount` "default null must be sent".
 * The document's example bodies are missing; its bad responses are "greater than/equal to 400 less
 * than 500" with "the reason why it is not an acceptable request" — in this platform's (Django
 * REST framework) style that is `{"detail": "..."}`, `{"non_field_errors": [...]}` or per-field
 * lists, all of which are joined into one readable message.
 *
 * 2xx accepted; 4xx rejected (401/403 a credentials problem); 5xx, 408/429, timeouts and
 * network errors unavailable.
 */

export const COMMERCE_SYSTEM = "Commerce platform";

export function commerceCancelPath(orderId: number): string {
  return `/api/i1/orders/${orderId}/cancel/`;
}

export type CommerceId = number | string;

export type CommerceCancelInput = {
  orderId: number;
  /** `is_all`: cancel the order with every item under it. */
  all: boolean;
  /** Order item ids to cancel; ignored (sent as []) when `all`. */
  items: CommerceId[];
  /** Reason code per order item id. */
  reasons: Record<string, CommerceId>;
  /** `is_cargo_refund`: the cargo cost is refunded too (the channel's setting). */
  cargoRefund: boolean;
  idempotencyKey: string;
};

export type CommerceCancelBody = {
  order: number;
  is_all: boolean;
  cancel_items: CommerceId[];
  forced_refund_amount: null;
  reasons: Record<string, CommerceId>;
  is_cargo_refund: boolean;
};

export function commerceCancelBody(input: CommerceCancelInput): CommerceCancelBody {
  return {
    order: input.orderId,
    is_all: input.all,
    cancel_items: input.all ? [] : input.items,
    forced_refund_amount: null,
    reasons: input.reasons,
    is_cargo_refund: input.cargoRefund,
  };
}

/** Asks the platform to cancel a whole order or some of its items. Never throws. */
export async function cancelCommerceOrder(
  config: ConnectorConfig,
  input: CommerceCancelInput,
): Promise<ConnectorAnswer> {
  if (!Number.isSafeInteger(input.orderId) || input.orderId <= 0) {
    return {
      kind: "rejected",
      code: "invalid_input",
      message: `Order id ${input.orderId} is not a positive integer`,
    };
  }
  if (!input.all && input.items.length === 0) {
    return { kind: "rejected", code: "invalid_input", message: "No order items to cancel" };
  }
  const token = config.credentials.token;
  if (token === undefined || token === "") {
    return {
      kind: "rejected",
      code: "missing_credentials",
      message: "No commerce platform API token is configured",
      credentialsProblem: true,
    };
  }
  const result = await sendJson(
    config,
    "POST",
    commerceCancelPath(input.orderId),
    commerceCancelBody(input),
    {
      authorization: `Token ${token}`,
      // Not in the document; harmless, and lets a server that honours it (our fake does) treat a
      // retried notification as the same request.
      "Idempotency-Key": input.idempotencyKey,
    },
  );
  return answerFrom(config, result, { system: COMMERCE_SYSTEM, messageOf: commerceMessage });
}

/**
 * One readable line from a Django REST framework error body:
 *   {"detail": "Not found."}                       -> "Not found."
 *   {"non_field_errors": ["Order is shipped."]}    -> "Order is shipped."
 *   {"cancel_items": ["This field is required."]}  -> "cancel_items: This field is required."
 *   ["Some error"], nested objects/lists           -> "reasons.17: A valid integer is required."
 */
export function commerceMessage(body: unknown): string | null {
  const parts = flatten(body, "");
  return parts.length > 0 ? parts.join("; ") : null;
}

const GENERAL_KEYS = new Set(["detail", "non_field_errors", "message", "error", "errors"]);

function flatten(value: unknown, path: string): string[] {
  const label = (text: string) => (path === "" ? text : `${path}: ${text}`);
  if (typeof value === "string") return value.trim() === "" ? [] : [label(value.trim())];
  if (typeof value === "number" || typeof value === "boolean") return [label(String(value))];
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string")) {
      const texts = value.map((v) => (v as string).trim()).filter((v) => v !== "");
      return texts.length > 0 ? [label(texts.join(" "))] : [];
    }
    return value.flatMap((v, i) =>
      flatten(v, isRecord(v) || Array.isArray(v) ? join(path, String(i)) : path),
    );
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    // General messages first, then field errors in the remote's order.
    const general = entries.filter(([k]) => GENERAL_KEYS.has(k)).flatMap(([, v]) => flatten(v, path));
    const fields = entries
      .filter(([k]) => !GENERAL_KEYS.has(k))
      .flatMap(([k, v]) => flatten(v, join(path, k)));
    return [...general, ...fields];
  }
  return [];
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

/**
 * The platform's integer `order` from the channel's own order id as the intake stored it
 * (orders.channelOrderId, e.g. "40010003"); null when it is not a positive integer. Never cut out
 * of an order number people read.
 */
export function parseCommerceOrderId(channelOrderId: string): number | null {
  if (!/^\d{1,15}$/.test(channelOrderId)) return null;
  const id = Number(channelOrderId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Ids and reason codes are integers on the platform; numeric strings are sent as numbers. */
export function commerceIdOf(value: string): CommerceId {
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}
