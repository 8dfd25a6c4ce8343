import { answerFrom, isRecord, nonEmptyString, sendJson } from "../http";
import type { ConnectorAnswer, ConnectorConfig } from "../types";

/**
 * Adapter for the dropship partner API's cancellation endpoints (seeds/003, "Cancelling orders"):
 *
 *   POST {baseUrl}/orders/{order._id}/items/{item._id}/cancel   (no body: cancel the whole item)
 *   POST {baseUrl}/orders/{order._id}/items/{item._id}/cancel   {"newQuantity": n}  (keep n units)
 *   POST {baseUrl}/orders/{order._id}/cancel                    (no body, or {"unfulfilledOnly": true})
 *
 * `{order._id}` and `{item._id}` are the channel's own ids (orders.channelOrderId,
 * lineItems.channelItemId), never our order number or a SKU. Authentication is not shown in the
 * document; we send `Authorization: Bearer <credentials.token>`, the usual scheme for this kind of
 * API. A partial item cancel creates a new order item carrying the kept quantity; its `_id` comes
 * back as `newItemId` so the caller can address the item by it from then on (the document warns
 * the old id is cancelled for good).
 *
 * 2xx accepted; 4xx rejected with the body's message/error; 401/403 a credentials problem;
 * 5xx, 408/429, timeouts and network errors unavailable.
 */

export const DROPSHIP_SYSTEM = "Dropship API";

export function dropshipItemCancelPath(orderId: string, itemId: string): string {
  return `/orders/${encodeURIComponent(orderId)}/items/${encodeURIComponent(itemId)}/cancel`;
}

export function dropshipOrderCancelPath(orderId: string): string {
  return `/orders/${encodeURIComponent(orderId)}/cancel`;
}

export type DropshipItemCancel = {
  /** The channel's `order._id`. */
  orderId: string;
  /** The channel's `item._id`. */
  itemId: string;
  /**
   * The item's new total quantity (everything not cancelled, fulfilled units included; the API
   * refuses less than it fulfilled); omitted (or 0) cancels the whole item.
   */
  newQuantity?: number;
  idempotencyKey: string;
};

/** An item cancel's answer; an accepted partial cancel names the item the API created for the kept units. */
export type DropshipItemAnswer =
  | Exclude<ConnectorAnswer, { kind: "accepted" }>
  | {
      kind: "accepted";
      /** The new item's `_id`; absent after a whole cancel, or when the answer did not show it. */
      newItemId?: string;
    };

export type DropshipOrderCancel = {
  /** The channel's `order._id`. */
  orderId: string;
  /** Cancel only what is not fulfilled yet (the order is then considered shipped). */
  unfulfilledOnly?: boolean;
  idempotencyKey: string;
};

/** Cancels one order item, or part of it. Never throws. */
export async function cancelOrderItem(
  config: ConnectorConfig,
  input: DropshipItemCancel,
): Promise<DropshipItemAnswer> {
  const { newQuantity } = input;
  if (newQuantity !== undefined && (!Number.isInteger(newQuantity) || newQuantity < 0)) {
    return {
      kind: "rejected",
      code: "invalid_input",
      message: `newQuantity must be a whole number of units, got ${newQuantity}`,
    };
  }
  const partial = newQuantity !== undefined && newQuantity > 0;
  const auth = authHeaders(config, input.idempotencyKey);
  if (auth === null) return missingToken();
  const result = await sendJson(
    config,
    "POST",
    dropshipItemCancelPath(input.orderId, input.itemId),
    partial ? { newQuantity } : undefined,
    auth,
  );
  const answer = answerFrom(config, result, { system: DROPSHIP_SYSTEM, messageOf: dropshipMessage });
  if (answer.kind !== "accepted" || !partial || result.kind !== "response") return answer;
  const newItemId = newItemIdOf(result.body, input.itemId, newQuantity);
  return newItemId === null ? answer : { kind: "accepted", newItemId };
}

/** Cancels a whole order, or with `unfulfilledOnly` whatever of it is not fulfilled. Never throws. */
export async function cancelOrder(
  config: ConnectorConfig,
  input: DropshipOrderCancel,
): Promise<ConnectorAnswer> {
  const auth = authHeaders(config, input.idempotencyKey);
  if (auth === null) return missingToken();
  const result = await sendJson(
    config,
    "POST",
    dropshipOrderCancelPath(input.orderId),
    input.unfulfilledOnly ? { unfulfilledOnly: true } : undefined,
    auth,
  );
  return answerFrom(config, result, { system: DROPSHIP_SYSTEM, messageOf: dropshipMessage });
}

function authHeaders(config: ConnectorConfig, idempotencyKey: string): Record<string, string> | null {
  const token = config.credentials.token;
  if (token === undefined || token === "") return null;
  return {
    authorization: `Bearer ${token}`,
    // Not in the document; harmless, and lets a server that honours it (our fake does) treat a
    // retried call as the same request.
    "Idempotency-Key": idempotencyKey,
  };
}

function missingToken(): ConnectorAnswer {
  return {
    kind: "rejected",
    code: "missing_credentials",
    message: "No dropship API token is configured",
    credentialsProblem: true,
  };
}

/** `message`, `error` (string or {message}) or `errors` (strings or {message}) of an error body. */
export function dropshipMessage(body: unknown): string | null {
  if (typeof body === "string") return nonEmptyString(body);
  if (!isRecord(body)) return null;
  const direct = nonEmptyString(body.message) ?? nonEmptyString(body.error);
  if (direct !== null) return direct;
  if (isRecord(body.error)) return nonEmptyString(body.error.message);
  if (Array.isArray(body.errors)) {
    const parts = body.errors
      .map((e) => (isRecord(e) ? nonEmptyString(e.message) : nonEmptyString(e)))
      .filter((m): m is string => m !== null);
    return parts.length > 0 ? parts.join("; ") : null;
  }
  return null;
}

/**
 * The new item created by a partial cancel. The document says it is attached to the order; the
 * answer may be the new item itself, `{ newItem: {...} }`, or the updated order with its `items`
 * (then: the last item that is not cancelled, not the one we cancelled, and has the kept
 * quantity). Null when none can be recognised — the cancel still happened.
 */
export function newItemIdOf(
  body: unknown,
  cancelledItemId: string,
  newQuantity: number | undefined,
): string | null {
  const matches = (item: unknown): item is Record<string, unknown> =>
    isRecord(item) &&
    typeof item._id === "string" &&
    item._id !== cancelledItemId &&
    item.cancelled !== true &&
    (newQuantity === undefined || item.quantity === undefined || item.quantity === newQuantity);
  if (!isRecord(body)) return null;
  if (matches(body.newItem)) return body.newItem._id as string;
  if (Array.isArray(body.items)) {
    const found = body.items.filter(matches).at(-1);
    if (found !== undefined) return found._id as string;
  }
  if (matches(body) && body.items === undefined) return body._id as string;
  return null;
}
