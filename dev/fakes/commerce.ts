import {
  type FakeOptions,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./server";

/**
 * A fake commerce platform speaking the "Order Cancellation" contract (seeds/004), as strict as
 * the document:
 *
 *   POST /api/i1/orders/{order_id}/cancel/   Authorization: Token <token>
 *   {"order", "is_all", "cancel_items", "forced_refund_amount", "reasons", "is_cargo_refund"}
 *
 * `order` is an integer equal to the path's id, `forced_refund_amount` is sent and null ("default
 * null must be sent"), `is_all` and `is_cargo_refund` are booleans, `reasons` has exactly one entry
 * per order item being cancelled (`cancel_items`, or every item still open when `is_all`). It knows
 * only the orders it was given (`seedOrder`, or `resolveUnknownOrder` on first sight, as a real
 * platform knows its own orders): an unknown order or order item is a 404. Items are cancelled
 * whole; a cancelled or shipped item cannot be cancelled.
 *
 * Its bad responses follow the platform's Django REST framework conventions: `{"detail": ...}`
 * for authentication, routing, not-found and parse errors, `{"field": [...]}` for field errors and
 * `{"non_field_errors": [...]}` for rule violations (a refused order, is_all with items). A server
 * fault is Django's plain HTML 500 page, so the adapter meets an unparseable 5xx body.
 */

export const FAKE_COMMERCE_TOKEN = "fake-commerce-token";

/** An order item as a test or a resolver describes it. */
export type CommerceSeedItem = { id: number | string; cancelled?: boolean; shipped?: boolean };

export type FakeCommerceOptions = FakeOptions & {
  token?: string;
  /**
   * Asked once about an order id (the path's integer, as text) the fake has not seen: the order's
   * items, or undefined when there is no such order (then 404). The demo wiring reads the demo
   * database (dev/fakes/demo.ts).
   */
  resolveUnknownOrder?: (orderId: string) => Promise<CommerceSeedItem[] | undefined>;
};

export type CommerceItem = { id: string; cancelled: boolean; shipped: boolean };
export type CommerceOrderState = { id: number; allCancelled: boolean; items: CommerceItem[] };

export type FakeCommerce = FakeServer & {
  readonly orders: ReadonlyMap<number, CommerceOrderState>;
  /** Makes an order known (replacing any earlier state of it). */
  seedOrder(orderId: number, items: CommerceSeedItem[]): void;
  /** From now on, cancelling this order is refused (already shipped). */
  refuse(orderId: number | string): void;
  allow(orderId: number | string): void;
  /** Forgets requests, orders and refusals. */
  reset(): void;
};

const CANCEL_PATH = /^\/api\/i1\/orders\/(\d+)\/cancel\/$/;
const REQUIRED = ["order", "is_all", "cancel_items", "forced_refund_amount", "reasons", "is_cargo_refund"];
const OPTIONAL = ["refund_invoice_number", "ibans", "holder_names", "return_details"];

export const DJANGO_SERVER_ERROR_HTML =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n';

export function orderNotCancellableMessage(orderId: number | string): string {
  return `Order ${orderId} is not cancellable: its items have been shipped.`;
}

export function orderItemNotFoundMessage(orderId: number, itemId: string): string {
  return `Order item ${itemId} not found in order ${orderId}.`;
}

const detail = (status: number, text: string): FakeReply => ({ status, body: { detail: text } });
const isId = (v: unknown) =>
  (typeof v === "number" && Number.isInteger(v) && v > 0) || (typeof v === "string" && v !== "");

type CancelData = {
  is_all: boolean;
  cancel_items: (number | string)[];
  reasons: Record<string, unknown>;
  return_details?: unknown;
};

/** DRF-style validation of the body's shape: field errors as lists, rule violations under non_field_errors. */
function validate(body: unknown, pathId: number): Record<string, string[]> | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { non_field_errors: ["Invalid data. Expected a dictionary, but got list."] };
  }
  const data = body as Record<string, unknown>;
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    errors[key] = [...(errors[key] ?? []), message];
  };
  for (const key of REQUIRED) if (!(key in data)) add(key, "This field is required.");
  const unknown = Object.keys(data).filter((k) => !REQUIRED.includes(k) && !OPTIONAL.includes(k));
  if (unknown.length > 0) add("non_field_errors", `Unknown field(s): ${unknown.join(", ")}.`);
  if ("order" in data) {
    if (typeof data.order !== "number" || !Number.isInteger(data.order))
      add("order", "A valid integer is required.");
    else if (data.order !== pathId)
      add("order", `Order ${data.order} does not match the order in the URL (${pathId}).`);
  }
  for (const key of ["is_all", "is_cargo_refund"]) {
    if (key in data && typeof data[key] !== "boolean") add(key, "Must be a valid boolean.");
  }
  if ("forced_refund_amount" in data && data.forced_refund_amount !== null) {
    add("forced_refund_amount", "Must be null: the platform computes the refund.");
  }
  const items = data.cancel_items;
  if ("cancel_items" in data && (!Array.isArray(items) || !items.every(isId))) {
    add("cancel_items", "Expected a list of order item ids.");
  }
  const reasons = data.reasons;
  if ("reasons" in data && (typeof reasons !== "object" || reasons === null || Array.isArray(reasons))) {
    add("reasons", "Expected a dictionary of items.");
  }
  if (Object.keys(errors).length > 0) return errors;

  const list = items as unknown[];
  if (data.is_all === true && list.length > 0)
    add("non_field_errors", "cancel_items must be an empty list when is_all is true.");
  if (data.is_all === false && list.length === 0)
    add("non_field_errors", "Select at least one order item to cancel.");
  const ids = list.map(String);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0) add("cancel_items", `Order item ${repeated[0]} is listed twice.`);
  return Object.keys(errors).length > 0 ? errors : null;
}

/** `reasons` must name exactly the items being cancelled, each with a valid reason code. */
function reasonErrors(reasons: Record<string, unknown>, cancelled: string[]): string[] {
  const errors: string[] = [];
  for (const item of cancelled) {
    const reason = reasons[item];
    if (reason === undefined) errors.push(`A reason is required for order item ${item}.`);
    else if (!isId(reason)) errors.push(`Invalid reason for order item ${item}.`);
  }
  for (const key of Object.keys(reasons)) {
    if (!cancelled.includes(key)) errors.push(`Order item ${key} is not being cancelled.`);
  }
  return errors;
}

function orderFrom(orderId: number, items: CommerceSeedItem[]): CommerceOrderState {
  return {
    id: orderId,
    allCancelled: false,
    items: items.map((i) => ({
      id: String(i.id),
      cancelled: i.cancelled ?? false,
      shipped: i.shipped ?? false,
    })),
  };
}

export async function startFakeCommerce(options: FakeCommerceOptions = {}): Promise<FakeCommerce> {
  const token = options.token ?? FAKE_COMMERCE_TOKEN;
  const orders = new Map<number, CommerceOrderState>();
  const refused = new Set<string>();

  const findOrder = async (orderId: number): Promise<CommerceOrderState | undefined> => {
    const known = orders.get(orderId);
    if (known !== undefined || options.resolveUnknownOrder === undefined) return known;
    const items = await options.resolveUnknownOrder(String(orderId));
    if (items === undefined) return undefined;
    // Requests are handled one at a time (server.ts), so nothing learnt this order meanwhile.
    const order = orderFrom(orderId, items);
    orders.set(orderId, order);
    return order;
  };

  const handle = async (request: RecordedRequest): Promise<FakeReply> => {
    const path = request.path.split("?")[0] ?? "";
    const match = CANCEL_PATH.exec(path);
    if (match?.[1] === undefined) return detail(404, "Not found.");
    if (request.method !== "POST") return detail(405, `Method "${request.method}" not allowed.`);
    const auth = request.headers.authorization;
    if (auth === undefined) return detail(401, "Authentication credentials were not provided.");
    if (auth !== `Token ${token}`) return detail(401, "Invalid token.");
    if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("application/json")) {
      return detail(415, `Unsupported media type "${request.headers["content-type"] ?? ""}" in request.`);
    }
    if (request.body === undefined)
      return detail(400, "JSON parse error - Expecting value: line 1 column 1 (char 0)");
    const orderId = Number(match[1]);
    const errors = validate(request.body, orderId);
    if (errors !== null) return { status: 400, body: errors };
    const order = await findOrder(orderId);
    if (order === undefined) return detail(404, "Not found.");
    if (refused.has(String(orderId)))
      return { status: 400, body: { non_field_errors: [orderNotCancellableMessage(orderId)] } };
    if (order.allCancelled)
      return { status: 400, body: { non_field_errors: [`Order ${orderId} is already cancelled.`] } };

    const data = request.body as CancelData;
    const asked = data.cancel_items.map(String);
    const unknown = asked.find((id) => !order.items.some((i) => i.id === id));
    if (unknown !== undefined) return detail(404, orderItemNotFoundMessage(orderId, unknown));
    const itemsOf = (ids: string[]) => order.items.filter((i) => ids.includes(i.id));
    const again = itemsOf(asked).filter((i) => i.cancelled);
    if (again.length > 0) {
      return {
        status: 400,
        body: { cancel_items: again.map((i) => `Order item ${i.id} is already cancelled.`) },
      };
    }
    const shipped = itemsOf(asked).filter((i) => i.shipped);
    if (shipped.length > 0) {
      return {
        status: 400,
        body: { cancel_items: shipped.map((i) => `Order item ${i.id} has been shipped.`) },
      };
    }
    const targets = data.is_all
      ? order.items.filter((i) => !i.cancelled && !i.shipped).map((i) => i.id)
      : asked;
    if (targets.length === 0) {
      return { status: 400, body: { non_field_errors: [`Order ${orderId} has nothing left to cancel.`] } };
    }
    const wrongReasons = reasonErrors(data.reasons, targets);
    if (wrongReasons.length > 0) return { status: 400, body: { reasons: wrongReasons } };

    for (const item of itemsOf(targets)) item.cancelled = true;
    if (data.is_all) order.allCancelled = true;
    if (data.return_details === false) return { status: 200, body: {} };
    return {
      status: 200,
      body: {
        id: orderId,
        number: String(orderId),
        status: data.is_all ? "cancellation_waiting" : "approved",
        orderitem_set: order.items.map((i) => ({
          id: /^\d+$/.test(i.id) ? Number(i.id) : i.id,
          status: i.cancelled ? "cancellation_waiting" : i.shipped ? "shipped" : "approved",
        })),
      },
    };
  };

  const base = await startFakeServer(options, {
    handle,
    serverError: () => ({
      status: 500,
      raw: DJANGO_SERVER_ERROR_HTML,
      contentType: "text/html; charset=utf-8",
    }),
  });
  return Object.assign(base, {
    orders,
    seedOrder: (orderId: number, items: CommerceSeedItem[]) => {
      orders.set(orderId, orderFrom(orderId, items));
    },
    refuse: (orderId: number | string) => void refused.add(String(orderId)),
    allow: (orderId: number | string) => void refused.delete(String(orderId)),
    reset: () => {
      base.resetBase();
      orders.clear();
      refused.clear();
    },
  });
}
