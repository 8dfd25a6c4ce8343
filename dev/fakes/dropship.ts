import {
  type FakeOptions,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./server";

/**
 * A fake dropship partner API (seeds/003, "Cancelling orders"):
 *
 *   POST /orders/{orderId}/items/{itemId}/cancel  (no body / {} / {"newQuantity": n > 0})
 *   POST /orders/{orderId}/cancel                 (no body / {} / {"unfulfilledOnly": bool})
 *
 * with `Authorization: Bearer <token>` (the document does not show authentication; this is the
 * scheme our adapter uses). Answers carry the updated order `{ _id, hasCancellations, shipped,
 * items }`; a partial item cancel cancels the item and appends a new, uncancelled item with the
 * kept quantity, as the document describes. Errors are `{"message": "..."}`.
 *
 * Orders are created on first sight (each item with the quantity the request implies) unless
 * `seedOrder` describes them first; seeded items know their quantity and fulfilled units, and
 * the document's rule "fulfilled quantities ... will not be cancellable" is enforced on them.
 */

export const FAKE_DROPSHIP_TOKEN = "fake-dropship-token";

export type FakeDropshipOptions = FakeOptions & { token?: string };

export type DropshipItem = { _id: string; quantity: number; fulfilledQuantity: number; cancelled: boolean };
export type DropshipOrder = {
  _id: string;
  hasCancellations: boolean;
  shipped: boolean;
  items: DropshipItem[];
};

export type FakeDropship = FakeServer & {
  readonly orders: ReadonlyMap<string, DropshipOrder>;
  seedOrder(orderId: string, items: { _id: string; quantity: number; fulfilledQuantity?: number }[]): void;
  /** From now on, cancels on this order are refused (as if fulfilled). */
  refuse(orderId: string): void;
  allow(orderId: string): void;
  reset(): void;
};

const ITEM_CANCEL = /^\/orders\/([^/]+)\/items\/([^/]+)\/cancel$/;
const ORDER_CANCEL = /^\/orders\/([^/]+)\/cancel$/;

const fail = (status: number, message: string): FakeReply => ({ status, body: { message } });

export function orderRefusedMessage(orderId: string): string {
  return `Order ${orderId} has been fulfilled and cannot be cancelled`;
}

/** The body as an object with only the allowed keys, or an error message. */
function optionsBody(request: RecordedRequest, allowed: string[]): Record<string, unknown> | string {
  if (request.rawBody.trim() === "") return {};
  if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
    return "Content-Type must be application/json";
  }
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return "Request body must be a JSON object";
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) return `Unknown field(s): ${unknown.join(", ")}`;
  return body as Record<string, unknown>;
}

export async function startFakeDropship(options: FakeDropshipOptions = {}): Promise<FakeDropship> {
  const token = options.token ?? FAKE_DROPSHIP_TOKEN;
  const orders = new Map<string, DropshipOrder>();
  const refused = new Set<string>();
  let nextId = 1;
  const newId = () => `66a0${(nextId++).toString(16).padStart(20, "0")}`;

  const orderOf = (orderId: string): DropshipOrder => {
    let order = orders.get(orderId);
    if (order === undefined) {
      order = { _id: orderId, hasCancellations: false, shipped: false, items: [] };
      orders.set(orderId, order);
    }
    return order;
  };
  const snapshot = (order: DropshipOrder): FakeReply => ({ status: 200, body: structuredClone(order) });

  const cancelItem = (orderId: string, itemId: string, request: RecordedRequest): FakeReply => {
    const body = optionsBody(request, ["newQuantity"]);
    if (typeof body === "string") return fail(400, body);
    const { newQuantity } = body;
    if (
      newQuantity !== undefined &&
      (typeof newQuantity !== "number" || !Number.isInteger(newQuantity) || newQuantity < 1)
    ) {
      return fail(400, "newQuantity must be a positive integer");
    }
    if (refused.has(orderId)) return fail(400, orderRefusedMessage(orderId));
    const order = orderOf(orderId);
    let item = order.items.find((i) => i._id === itemId);
    if (item === undefined) {
      item = { _id: itemId, quantity: (newQuantity ?? 0) + 1, fulfilledQuantity: 0, cancelled: false };
      order.items.push(item);
    }
    if (item.cancelled) return fail(400, `Order item ${itemId} is already cancelled`);
    if (newQuantity === undefined) {
      if (item.fulfilledQuantity > 0)
        return fail(400, `Order item ${itemId} has fulfilled quantities that cannot be cancelled`);
    } else {
      if (newQuantity >= item.quantity) {
        return fail(400, `newQuantity must be less than the item's quantity (${item.quantity})`);
      }
      if (newQuantity < item.fulfilledQuantity) {
        return fail(
          400,
          `newQuantity cannot be less than the fulfilled quantity (${item.fulfilledQuantity})`,
        );
      }
    }
    item.cancelled = true;
    order.hasCancellations = true;
    if (newQuantity !== undefined) {
      order.items.push({
        _id: newId(),
        quantity: newQuantity,
        fulfilledQuantity: item.fulfilledQuantity,
        cancelled: false,
      });
    }
    return snapshot(order);
  };

  const cancelWholeOrder = (orderId: string, request: RecordedRequest): FakeReply => {
    const body = optionsBody(request, ["unfulfilledOnly"]);
    if (typeof body === "string") return fail(400, body);
    if (body.unfulfilledOnly !== undefined && typeof body.unfulfilledOnly !== "boolean") {
      return fail(400, "unfulfilledOnly must be a boolean");
    }
    if (refused.has(orderId)) return fail(400, orderRefusedMessage(orderId));
    const order = orderOf(orderId);
    const fulfilled = order.items.some((i) => !i.cancelled && i.fulfilledQuantity > 0);
    if (fulfilled && body.unfulfilledOnly !== true) {
      return fail(400, `Order ${orderId} has fulfilled quantities; cancel with unfulfilledOnly`);
    }
    const open = order.items.filter((i) => !i.cancelled);
    for (const item of open) {
      item.cancelled = true;
      // "If an order item has been partially fulfilled then this will cancel the remaining quantity."
      if (item.fulfilledQuantity > 0) {
        order.items.push({
          _id: newId(),
          quantity: item.fulfilledQuantity,
          fulfilledQuantity: item.fulfilledQuantity,
          cancelled: false,
        });
      }
    }
    order.hasCancellations = true;
    if (fulfilled) order.shipped = true;
    return snapshot(order);
  };

  const handle = (request: RecordedRequest): FakeReply => {
    const path = request.path.split("?")[0] ?? "";
    const item = ITEM_CANCEL.exec(path);
    const whole = item === null ? ORDER_CANCEL.exec(path) : null;
    if (item === null && whole === null) return fail(404, `Cannot ${request.method} ${path}`);
    if (request.method !== "POST") return fail(405, `Method ${request.method} not allowed`);
    if (request.headers.authorization !== `Bearer ${token}`) return fail(401, "Unauthorized");
    if (item !== null)
      return cancelItem(decodeURIComponent(item[1] ?? ""), decodeURIComponent(item[2] ?? ""), request);
    return cancelWholeOrder(decodeURIComponent(whole?.[1] ?? ""), request);
  };

  const base = await startFakeServer(options, {
    handle,
    serverError: () => fail(500, "Internal Server Error"),
  });
  return Object.assign(base, {
    orders,
    seedOrder: (orderId: string, items: { _id: string; quantity: number; fulfilledQuantity?: number }[]) => {
      orders.set(orderId, {
        _id: orderId,
        hasCancellations: false,
        shipped: false,
        items: items.map((i) => ({
          _id: i._id,
          quantity: i.quantity,
          fulfilledQuantity: i.fulfilledQuantity ?? 0,
          cancelled: false,
        })),
      });
    },
    refuse: (orderId: string) => void refused.add(orderId),
    allow: (orderId: string) => void refused.delete(orderId),
    reset: () => {
      base.resetBase();
      orders.clear();
      refused.clear();
      nextId = 1;
    },
  });
}
