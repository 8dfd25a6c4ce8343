import {
  type FakeOptions,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./server";

/**
 * A fake dropship partner API (seeds/003, "Cancelling orders"), as strict as the document:
 *
 *   POST /orders/{order._id}/items/{item._id}/cancel  (no body / {} / {"newQuantity": n > 0})
 *   POST /orders/{order._id}/cancel                   (no body / {} / {"unfulfilledOnly": bool})
 *
 * with `Authorization: Bearer <token>` (the document does not show authentication; this is the
 * scheme our adapter uses). It knows only the orders it was given (`seedOrder`, or
 * `resolveUnknownOrder` on first sight, the way a real channel knows its own orders): an unknown
 * order or item id is a 404. `newQuantity` is the item's new total quantity: it must be below the
 * item's quantity and not below what was fulfilled ("fulfilled quantities ... will not be
 * cancellable"). A partial cancel cancels the item and appends a new, uncancelled item with its own
 * `_id` and the kept quantity, as the document describes; the old id is cancelled for good and
 * refused from then on. Answers carry the updated order `{ _id, hasCancellations, shipped, items }`;
 * errors are `{"message": "..."}`.
 */

export const FAKE_DROPSHIP_TOKEN = "fake-dropship-token";

/** An item as a test or a resolver describes it. */
export type DropshipSeedItem = {
  _id: string;
  quantity: number;
  fulfilledQuantity?: number;
  cancelled?: boolean;
};

export type FakeDropshipOptions = FakeOptions & {
  token?: string;
  /**
   * Asked once about an order id the fake has not seen: the order's items, or undefined when
   * there is no such order (then 404). The demo wiring reads the demo database (dev/fakes/demo.ts).
   */
  resolveUnknownOrder?: (orderId: string) => Promise<DropshipSeedItem[] | undefined>;
};

export type DropshipItem = { _id: string; quantity: number; fulfilledQuantity: number; cancelled: boolean };
export type DropshipOrder = {
  _id: string;
  hasCancellations: boolean;
  shipped: boolean;
  items: DropshipItem[];
};

export type FakeDropship = FakeServer & {
  readonly orders: ReadonlyMap<string, DropshipOrder>;
  /** Makes an order known (replacing any earlier state of it). */
  seedOrder(orderId: string, items: DropshipSeedItem[]): void;
  /** From now on, cancels on this order are refused (as if fulfilled). */
  refuse(orderId: string): void;
  allow(orderId: string): void;
  /** Forgets requests, orders and refusals. */
  reset(): void;
};

const ITEM_CANCEL = /^\/orders\/([^/]+)\/items\/([^/]+)\/cancel$/;
const ORDER_CANCEL = /^\/orders\/([^/]+)\/cancel$/;

const fail = (status: number, message: string): FakeReply => ({ status, body: { message } });

export function orderRefusedMessage(orderId: string): string {
  return `Order ${orderId} has been fulfilled and cannot be cancelled`;
}

export function orderNotFoundMessage(orderId: string): string {
  return `Order ${orderId} not found`;
}

export function itemNotFoundMessage(orderId: string, itemId: string): string {
  return `Order item ${itemId} not found on order ${orderId}`;
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

function orderFrom(orderId: string, items: DropshipSeedItem[]): DropshipOrder {
  return {
    _id: orderId,
    hasCancellations: items.some((i) => i.cancelled === true),
    shipped: false,
    items: items.map((i) => ({
      _id: i._id,
      quantity: i.quantity,
      fulfilledQuantity: i.fulfilledQuantity ?? 0,
      cancelled: i.cancelled ?? false,
    })),
  };
}

export async function startFakeDropship(options: FakeDropshipOptions = {}): Promise<FakeDropship> {
  const token = options.token ?? FAKE_DROPSHIP_TOKEN;
  const orders = new Map<string, DropshipOrder>();
  const refused = new Set<string>();
  let nextId = 1;
  /** A new Mongo-style `_id` (24 hex digits) that no known item has. */
  const newId = () => {
    const taken = new Set([...orders.values()].flatMap((o) => o.items.map((i) => i._id)));
    let id: string;
    do id = `66a0${(nextId++).toString(16).padStart(20, "0")}`;
    while (taken.has(id));
    return id;
  };

  const findOrder = async (orderId: string): Promise<DropshipOrder | undefined> => {
    const known = orders.get(orderId);
    if (known !== undefined || options.resolveUnknownOrder === undefined) return known;
    const items = await options.resolveUnknownOrder(orderId);
    if (items === undefined) return undefined;
    // Requests are handled one at a time (server.ts), so nothing learnt this order meanwhile.
    const order = orderFrom(orderId, items);
    orders.set(orderId, order);
    return order;
  };
  const snapshot = (order: DropshipOrder): FakeReply => ({ status: 200, body: structuredClone(order) });

  const cancelItem = async (
    orderId: string,
    itemId: string,
    request: RecordedRequest,
  ): Promise<FakeReply> => {
    const body = optionsBody(request, ["newQuantity"]);
    if (typeof body === "string") return fail(400, body);
    const { newQuantity } = body;
    if (
      newQuantity !== undefined &&
      (typeof newQuantity !== "number" || !Number.isInteger(newQuantity) || newQuantity < 1)
    ) {
      return fail(400, "newQuantity must be a positive integer");
    }
    const order = await findOrder(orderId);
    if (order === undefined) return fail(404, orderNotFoundMessage(orderId));
    if (refused.has(orderId)) return fail(400, orderRefusedMessage(orderId));
    const item = order.items.find((i) => i._id === itemId);
    if (item === undefined) return fail(404, itemNotFoundMessage(orderId, itemId));
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

  const cancelWholeOrder = async (orderId: string, request: RecordedRequest): Promise<FakeReply> => {
    const body = optionsBody(request, ["unfulfilledOnly"]);
    if (typeof body === "string") return fail(400, body);
    if (body.unfulfilledOnly !== undefined && typeof body.unfulfilledOnly !== "boolean") {
      return fail(400, "unfulfilledOnly must be a boolean");
    }
    const order = await findOrder(orderId);
    if (order === undefined) return fail(404, orderNotFoundMessage(orderId));
    if (refused.has(orderId)) return fail(400, orderRefusedMessage(orderId));
    const open = order.items.filter((i) => !i.cancelled);
    const fulfilled = open.some((i) => i.fulfilledQuantity > 0);
    if (fulfilled && body.unfulfilledOnly !== true) {
      return fail(400, `Order ${orderId} has fulfilled quantities; cancel with unfulfilledOnly`);
    }
    const cancellable = open.filter((i) => i.fulfilledQuantity < i.quantity);
    if (cancellable.length === 0) return fail(400, `Order ${orderId} has nothing left to cancel`);
    for (const item of cancellable) {
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

  const handle = (request: RecordedRequest): FakeReply | Promise<FakeReply> => {
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
    seedOrder: (orderId: string, items: DropshipSeedItem[]) => {
      orders.set(orderId, orderFrom(orderId, items));
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
