import {
  type FakeOptions,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "./server";

/**
 * A fake commerce platform speaking the "Order Cancellation" contract (seeds/004):
 *
 *   POST /api/i1/orders/{order_id}/cancel/   Authorization: Token <token>
 *   {"order", "is_all", "cancel_items", "forced_refund_amount", "reasons", "is_cargo_refund"}
 *
 * Its bad responses follow the platform's Django REST framework conventions: `{"detail": ...}`
 * for authentication, routing and parse errors, `{"field": [...]}` for field errors and
 * `{"non_field_errors": [...]}` for rule violations (a refused order, is_all with items). A server
 * fault is Django's plain HTML 500 page, so the adapter meets an unparseable 5xx body.
 */

export const FAKE_COMMERCE_TOKEN = "fake-commerce-token";

export type FakeCommerceOptions = FakeOptions & { token?: string };

export type CommerceOrderState = { id: number; allCancelled: boolean; cancelledItems: Set<string> };

export type FakeCommerce = FakeServer & {
  readonly orders: ReadonlyMap<number, CommerceOrderState>;
  /** From now on, cancelling this order is refused (already shipped). */
  refuse(orderId: number | string): void;
  allow(orderId: number | string): void;
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

const detail = (status: number, text: string): FakeReply => ({ status, body: { detail: text } });
const isId = (v: unknown) =>
  (typeof v === "number" && Number.isInteger(v) && v > 0) || (typeof v === "string" && v !== "");

/** DRF-style validation: field errors as lists, rule violations under non_field_errors. */
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
  if (
    "forced_refund_amount" in data &&
    data.forced_refund_amount !== null &&
    typeof data.forced_refund_amount !== "string"
  ) {
    add("forced_refund_amount", "Not a valid string.");
  }
  const items = data.cancel_items;
  if ("cancel_items" in data && (!Array.isArray(items) || !items.every(isId))) {
    add("cancel_items", "Expected a list of order item ids.");
  }
  const reasons = data.reasons;
  const reasonsOk = typeof reasons === "object" && reasons !== null && !Array.isArray(reasons);
  if ("reasons" in data && !reasonsOk) add("reasons", "Expected a dictionary of items.");
  if (Object.keys(errors).length > 0) return errors;

  const list = items as unknown[];
  if (data.is_all === true && list.length > 0)
    add("non_field_errors", "cancel_items must be an empty list when is_all is true.");
  if (data.is_all === false && list.length === 0)
    add("non_field_errors", "Select at least one order item to cancel.");
  if (data.is_all === false && reasonsOk) {
    const given = reasons as Record<string, unknown>;
    for (const item of list) {
      const reason = given[String(item)];
      if (reason === undefined) add("reasons", `A reason is required for order item ${String(item)}.`);
      else if (!isId(reason)) add("reasons", `Invalid reason for order item ${String(item)}.`);
    }
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

export async function startFakeCommerce(options: FakeCommerceOptions = {}): Promise<FakeCommerce> {
  const token = options.token ?? FAKE_COMMERCE_TOKEN;
  const orders = new Map<number, CommerceOrderState>();
  const refused = new Set<string>();

  const handle = (request: RecordedRequest): FakeReply => {
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
    if (refused.has(String(orderId)))
      return { status: 400, body: { non_field_errors: [orderNotCancellableMessage(orderId)] } };

    const data = request.body as {
      is_all: boolean;
      cancel_items: (number | string)[];
      return_details?: unknown;
    };
    let order = orders.get(orderId);
    if (order === undefined) {
      order = { id: orderId, allCancelled: false, cancelledItems: new Set() };
      orders.set(orderId, order);
    }
    if (order.allCancelled)
      return { status: 400, body: { non_field_errors: [`Order ${orderId} is already cancelled.`] } };
    const again = data.cancel_items.map(String).filter((i) => order.cancelledItems.has(i));
    if (again.length > 0) {
      return {
        status: 400,
        body: { cancel_items: again.map((i) => `Order item ${i} is already cancelled.`) },
      };
    }
    if (data.is_all) order.allCancelled = true;
    for (const item of data.cancel_items) order.cancelledItems.add(String(item));
    if (data.return_details === false) return { status: 200, body: {} };
    return {
      status: 200,
      body: {
        id: orderId,
        number: String(orderId),
        status: data.is_all ? "cancellation_waiting" : "approved",
        orderitem_set: [...order.cancelledItems].map((id) => ({ id, status: "cancellation_waiting" })),
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
    refuse: (orderId: number | string) => void refused.add(String(orderId)),
    allow: (orderId: number | string) => void refused.delete(String(orderId)),
    reset: () => {
      base.resetBase();
      orders.clear();
      refused.clear();
    },
  });
}
