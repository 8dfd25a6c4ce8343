import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { channelNotifierFor } from "@/lib/connectors/notification";
import { WMS_DOCUMENTED } from "@/lib/connectors/wms/contract";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  DJANGO_SERVER_ERROR_HTML,
  FAKE_COMMERCE_TOKEN,
  type FakeCommerce,
  orderItemNotFoundMessage,
  startFakeCommerce,
} from "./commerce";
import { demoConnectorConfigs, demoRefuses, startDemoFakes } from "./demo";
import { demoCommerceOrders, demoDropshipOrders } from "./demo-orders";
import {
  FAKE_DROPSHIP_TOKEN,
  type FakeDropship,
  itemNotFoundMessage,
  orderNotFoundMessage,
  startFakeDropship,
} from "./dropship";
import { seededRandom } from "./server";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "./wms";

/** A raw request to a fake, for shapes the adapters never send. */
async function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const response = await fetch(`${url}${path}`, { method, headers, body });
  return { status: response.status, text: await response.text() };
}

let wms: FakeWms;
let dropship: FakeDropship;
let commerce: FakeCommerce;
beforeAll(async () => {
  [wms, dropship, commerce] = await Promise.all([startFakeWms(), startFakeDropship(), startFakeCommerce()]);
});
afterAll(() => Promise.all([wms.close(), dropship.close(), commerce.close()]));
beforeEach(() => {
  wms.reset();
  dropship.reset();
  commerce.reset();
});

describe("fake WMS validates the documented contract", () => {
  const path = "/v3/fulfillment/outbound/oms/cancel";
  const json = { "x-api-key": FAKE_WMS_API_KEY, "content-type": "application/json" };
  const body = (cancellation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ data: { cancellation }, ...extra });
  const good = { order_no: "SO-1", cancel_reason: "r", warehouse_id: "PMU" };

  test.each([
    ["missing field", body({ order_no: "SO-1", cancel_reason: "r" })],
    ["extra field", body({ ...good, qty: 1 })],
    ["extra top-level key", body(good, { meta: 1 })],
    ["not nested under data", JSON.stringify({ cancellation: good })],
    ["order_no not a string", body({ ...good, order_no: 12 })],
    ["order_no too long", body({ ...good, order_no: "x".repeat(51) })],
    ["warehouse_id too long", body({ ...good, warehouse_id: "x".repeat(21) })],
    ["cancel_reason too long", body({ ...good, cancel_reason: "x".repeat(51) })],
    ["empty body", ""],
    ["not JSON", "{data:"],
  ])("%s -> the documented 400/810 body, verbatim", async (_name, sent) => {
    const answer = await raw(wms.url, "PATCH", path, json, sent);
    expect(answer).toEqual({ status: 400, text: JSON.stringify(WMS_DOCUMENTED.invalidInput400) });
  });

  test("wrong content type -> 400/810", async () => {
    const answer = await raw(wms.url, "PATCH", path, { ...json, "content-type": "text/plain" }, body(good));
    expect(answer.status).toBe(400);
  });

  test.each([
    ["no key", {}],
    ["wrong key", { "x-api-key": "other" }],
  ])("%s -> the documented 401/802 body, verbatim", async (_name, headers) => {
    const answer = await raw(
      wms.url,
      "PATCH",
      path,
      { "content-type": "application/json", ...headers },
      body(good),
    );
    expect(answer).toEqual({ status: 401, text: JSON.stringify(WMS_DOCUMENTED.unauthorized401) });
  });

  test("error500 -> the documented 500/803 body, verbatim", async () => {
    wms.setMode("error500");
    expect(await raw(wms.url, "PATCH", path, json, body(good))).toEqual({
      status: 500,
      text: JSON.stringify(WMS_DOCUMENTED.internal500),
    });
  });

  test("wrong method and path", async () => {
    expect((await raw(wms.url, "POST", path, json, body(good))).status).toBe(405);
    expect(
      (await raw(wms.url, "PATCH", "/v2/fulfillment/outbound/oms/cancel", json, body(good))).status,
    ).toBe(404);
  });

  test("records every request, including faulted ones", async () => {
    wms.setMode("error500");
    await raw(wms.url, "PATCH", `${path}?x=1`, json, body(good));
    expect(wms.requests).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: `${path}?x=1`,
        body: { data: { cancellation: good } },
      }),
    ]);
  });
});

describe("fake dropship and commerce validate their contracts", () => {
  test.each([
    ["/orders/O/items/I/cancel", '{"newQuantity":0}', "newQuantity must be a positive integer"],
    ["/orders/O/items/I/cancel", '{"quantity":1}', "Unknown field(s): quantity"],
    ["/orders/O/cancel", '{"unfulfilledOnly":"yes"}', "unfulfilledOnly must be a boolean"],
    ["/orders/O/cancel", "[1]", "Request body must be a JSON object"],
  ])("dropship %s %s -> 400", async (path, sent, message) => {
    const answer = await raw(
      dropship.url,
      "POST",
      path,
      { authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}`, "content-type": "application/json" },
      sent,
    );
    expect(answer).toEqual({ status: 400, text: JSON.stringify({ message }) });
  });

  test("dropship accepts an empty object as a bodiless cancel", async () => {
    dropship.seedOrder("O", [{ _id: "I", quantity: 1 }]);
    const answer = await raw(
      dropship.url,
      "POST",
      "/orders/O/items/I/cancel",
      { authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}`, "content-type": "application/json" },
      "{}",
    );
    expect(answer.status).toBe(200);
  });

  const bearer = { authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}`, "content-type": "application/json" };

  test.each([
    ["unknown order, item cancel", "/orders/O404/items/I/cancel", "", 404, orderNotFoundMessage("O404")],
    ["unknown order, order cancel", "/orders/O404/cancel", "", 404, orderNotFoundMessage("O404")],
    ["unknown item", "/orders/O/items/SKU-1/cancel", "", 404, itemNotFoundMessage("O", "SKU-1")],
    ["item of another order", "/orders/O/items/J/cancel", "", 404, itemNotFoundMessage("O", "J")],
    [
      "newQuantity = quantity",
      "/orders/O/items/I/cancel",
      '{"newQuantity":4}',
      400,
      "newQuantity must be less than the item's quantity (4)",
    ],
    [
      "newQuantity > quantity",
      "/orders/O/items/I/cancel",
      '{"newQuantity":9}',
      400,
      "newQuantity must be less than the item's quantity (4)",
    ],
    [
      "newQuantity below fulfilled",
      "/orders/O/items/I/cancel",
      '{"newQuantity":1}',
      400,
      "newQuantity cannot be less than the fulfilled quantity (2)",
    ],
    [
      "whole cancel of a fulfilled item",
      "/orders/O/items/I/cancel",
      "",
      400,
      "Order item I has fulfilled quantities that cannot be cancelled",
    ],
    ["a cancelled item", "/orders/O/items/C/cancel", "", 400, "Order item C is already cancelled"],
    [
      "order cancel with fulfilled items",
      "/orders/O/cancel",
      "",
      400,
      "Order O has fulfilled quantities; cancel with unfulfilledOnly",
    ],
  ])("dropship refuses %s (%s %s)", async (_name, path, sent, status, message) => {
    dropship.seedOrder("O", [
      { _id: "I", quantity: 4, fulfilledQuantity: 2 },
      { _id: "C", quantity: 1, cancelled: true },
    ]);
    dropship.seedOrder("P", [{ _id: "J", quantity: 1 }]);
    const before = structuredClone([...dropship.orders.entries()]);
    expect(await raw(dropship.url, "POST", path, bearer, sent)).toEqual({
      status,
      text: JSON.stringify({ message }),
    });
    expect([...dropship.orders.entries()]).toEqual(before);
  });

  test("dropship learns an unknown order once through resolveUnknownOrder; undefined stays a 404", async () => {
    const asked: string[] = [];
    const fake = await startFakeDropship({
      resolveUnknownOrder: async (orderId) => {
        asked.push(orderId);
        return orderId === "known" ? [{ _id: "I", quantity: 3 }] : undefined;
      },
    });
    try {
      const cancel = (orderId: string, itemId: string, body = "") =>
        raw(fake.url, "POST", `/orders/${orderId}/items/${itemId}/cancel`, bearer, body);
      // Two requests at once: the fake handles one at a time, so the order is learnt once.
      const [first, second] = await Promise.all([
        cancel("known", "I", '{"newQuantity":2}'),
        cancel("known", "I"),
      ]);
      expect(first.status).toBe(200);
      expect(second).toEqual({
        status: 400,
        text: JSON.stringify({ message: "Order item I is already cancelled" }),
      });
      expect((await cancel("unknown", "I")).status).toBe(404);
      expect(asked).toEqual(["known", "unknown"]);
      expect(fake.orders.get("known")?.items.map((i) => [i.quantity, i.cancelled])).toEqual([
        [3, true],
        [2, false],
      ]);
      expect(fake.orders.has("unknown")).toBe(false);
    } finally {
      await fake.close();
    }
  });

  test("a resolver that fails is the contract's 500 (retried), not a crash", async () => {
    const fake = await startFakeCommerce({
      resolveUnknownOrder: async () => {
        throw new Error("database closed");
      },
    });
    try {
      const answer = await raw(
        fake.url,
        "POST",
        "/api/i1/orders/5/cancel/",
        { authorization: `Token ${FAKE_COMMERCE_TOKEN}`, "content-type": "application/json" },
        JSON.stringify({
          order: 5,
          is_all: true,
          cancel_items: [],
          forced_refund_amount: null,
          reasons: {},
          is_cargo_refund: false,
        }),
      );
      expect(answer).toEqual({ status: 500, text: DJANGO_SERVER_ERROR_HTML });
    } finally {
      await fake.close();
    }
  });

  const auth = { authorization: `Token ${FAKE_COMMERCE_TOKEN}`, "content-type": "application/json" };
  const good = {
    order: 5,
    is_all: false,
    cancel_items: [1],
    forced_refund_amount: null,
    reasons: { "1": 2 },
    is_cargo_refund: false,
  };
  test.each([
    [
      "missing forced_refund_amount",
      { ...good, forced_refund_amount: undefined },
      { forced_refund_amount: ["This field is required."] },
    ],
    [
      "order mismatch",
      { ...good, order: 6 },
      { order: ["Order 6 does not match the order in the URL (5)."] },
    ],
    ["order as a string", { ...good, order: "5" }, { order: ["A valid integer is required."] }],
    [
      "is_all with items",
      { ...good, is_all: true },
      { non_field_errors: ["cancel_items must be an empty list when is_all is true."] },
    ],
    [
      "no items",
      { ...good, cancel_items: [] },
      { non_field_errors: ["Select at least one order item to cancel."] },
    ],
    [
      "is_cargo_refund not boolean",
      { ...good, is_cargo_refund: "no" },
      { is_cargo_refund: ["Must be a valid boolean."] },
    ],
    [
      "missing is_cargo_refund",
      { ...good, is_cargo_refund: undefined },
      { is_cargo_refund: ["This field is required."] },
    ],
    [
      "forced_refund_amount not null",
      { ...good, forced_refund_amount: "5.00" },
      { forced_refund_amount: ["Must be null: the platform computes the refund."] },
    ],
    [
      "an item listed twice",
      { ...good, cancel_items: [1, "1"] },
      { cancel_items: ["Order item 1 is listed twice."] },
    ],
    [
      "a reason missing",
      { ...good, cancel_items: [1, 2], reasons: { "1": 2 } },
      { reasons: ["A reason is required for order item 2."] },
    ],
    [
      "a reason for an item not cancelled",
      { ...good, reasons: { "1": 2, "2": 2 } },
      { reasons: ["Order item 2 is not being cancelled."] },
    ],
    [
      "a reason that is no code",
      { ...good, reasons: { "1": "" } },
      { reasons: ["Invalid reason for order item 1."] },
    ],
    [
      "is_all with reasons that miss an open item",
      { ...good, is_all: true, cancel_items: [], reasons: { "1": 2 } },
      { reasons: ["A reason is required for order item 2."] },
    ],
    [
      "a shipped item",
      { ...good, cancel_items: [3], reasons: { "3": 2 } },
      { cancel_items: ["Order item 3 has been shipped."] },
    ],
  ])("commerce: %s -> DRF-style 400", async (_name, sent, expected) => {
    commerce.seedOrder(5, [{ id: 1 }, { id: 2 }, { id: 3, shipped: true }]);
    const answer = await raw(commerce.url, "POST", "/api/i1/orders/5/cancel/", auth, JSON.stringify(sent));
    expect(answer).toEqual({ status: 400, text: JSON.stringify(expected) });
    expect(commerce.orders.get(5)?.items.every((i) => !i.cancelled)).toBe(true);
  });

  test.each([
    ["an unknown order", "/api/i1/orders/6/cancel/", { ...good, order: 6 }, { detail: "Not found." }],
    [
      "an unknown item",
      "/api/i1/orders/5/cancel/",
      { ...good, cancel_items: [9], reasons: { "9": 2 } },
      { detail: orderItemNotFoundMessage(5, "9") },
    ],
  ])("commerce: %s -> 404", async (_name, path, sent, expected) => {
    commerce.seedOrder(5, [{ id: 1 }]);
    expect(await raw(commerce.url, "POST", path, auth, JSON.stringify(sent))).toEqual({
      status: 404,
      text: JSON.stringify(expected),
    });
    expect(commerce.orders.has(6)).toBe(false);
  });

  test("commerce: the documented body for a known item is accepted; is_all cancels what is still open", async () => {
    commerce.seedOrder(5, [{ id: 1 }, { id: 2 }, { id: 3, shipped: true }]);
    expect(
      (await raw(commerce.url, "POST", "/api/i1/orders/5/cancel/", auth, JSON.stringify(good))).status,
    ).toBe(200);
    const all = { ...good, is_all: true, cancel_items: [], reasons: { "2": 2 } };
    expect(
      (await raw(commerce.url, "POST", "/api/i1/orders/5/cancel/", auth, JSON.stringify(all))).status,
    ).toBe(200);
    expect(commerce.orders.get(5)).toMatchObject({
      allCancelled: true,
      items: [
        { id: "1", cancelled: true },
        { id: "2", cancelled: true },
        { id: "3", cancelled: false, shipped: true },
      ],
    });
  });

  test.each([
    ["no trailing slash", "POST", "/api/i1/orders/5/cancel", auth, 404, { detail: "Not found." }],
    ["GET", "GET", "/api/i1/orders/5/cancel/", auth, 405, { detail: 'Method "GET" not allowed.' }],
    [
      "no token",
      "POST",
      "/api/i1/orders/5/cancel/",
      {},
      401,
      { detail: "Authentication credentials were not provided." },
    ],
    [
      "bearer instead of Token",
      "POST",
      "/api/i1/orders/5/cancel/",
      { authorization: `Bearer ${FAKE_COMMERCE_TOKEN}` },
      401,
      { detail: "Invalid token." },
    ],
  ])("commerce: %s", async (_name, method, path, headers, status, expected) => {
    const answer = await raw(
      commerce.url,
      method,
      path,
      headers,
      method === "GET" ? undefined : JSON.stringify(good),
    );
    expect(answer).toEqual({ status, text: JSON.stringify(expected) });
  });

  test("commerce 500 is Django's HTML page", async () => {
    commerce.setMode("error500");
    expect(await raw(commerce.url, "POST", "/api/i1/orders/5/cancel/", auth, JSON.stringify(good))).toEqual({
      status: 500,
      text: DJANGO_SERVER_ERROR_HTML,
    });
  });
});

describe("fault injection", () => {
  test("the PRNG is deterministic per seed", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test("failRate answers about that share with the contract's 500, the same ones for the same seed", async () => {
    const run = async () => {
      const fake = await startFakeWms({ failRate: 0.3, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 100; i++) {
        const answer = await raw(
          fake.url,
          "PATCH",
          "/v3/fulfillment/outbound/oms/cancel",
          { "x-api-key": FAKE_WMS_API_KEY, "content-type": "application/json" },
          JSON.stringify({
            data: { cancellation: { order_no: `SO-${i}`, cancel_reason: "r", warehouse_id: "W" } },
          }),
        );
        statuses.push(answer.status);
      }
      const deliveries = fake.distinctDeliveries;
      await fake.close();
      return { statuses, deliveries };
    };
    const first = await run();
    const failures = first.statuses.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(15);
    expect(failures).toBeLessThan(45);
    expect(first.deliveries).toBe(100 - failures);
    expect((await run()).statuses).toEqual(first.statuses);
  });

  test("respondOnceWhen answers the first matching request only", async () => {
    const fake = await startFakeDropship();
    fake.seedOrder("O", [
      { _id: "A", quantity: 1 },
      { _id: "B", quantity: 1 },
    ]);
    fake.respondOnceWhen((r) => r.path.includes("/B/"), { status: 503, body: { message: "busy" } });
    const headers = { authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}` };
    expect((await raw(fake.url, "POST", "/orders/O/items/A/cancel", headers)).status).toBe(200);
    expect((await raw(fake.url, "POST", "/orders/O/items/B/cancel", headers)).status).toBe(503);
    expect((await raw(fake.url, "POST", "/orders/O/items/B/cancel", headers)).status).toBe(200);
    await fake.close();
  });

  test("hangRate leaves requests unanswered", async () => {
    const fake = await startFakeDropship({ hangRate: 1 });
    const answer = fetch(`${fake.url}/orders/O/cancel`, { method: "POST", signal: AbortSignal.timeout(150) });
    await expect(answer).rejects.toThrow();
    expect(fake.requests).toHaveLength(1);
    await fake.close();
  });

  test("close() ends hanging connections", async () => {
    const fake = await startFakeCommerce();
    fake.setMode("hang");
    const pending = fetch(`${fake.url}/api/i1/orders/1/cancel/`, { method: "POST" }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await fake.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("demo fakes", () => {
  test.each([
    ["SO-000007-1", true],
    ["SO-000017-2", true],
    ["SO-000002-2", false],
    ["SO-000070-7", false],
    ["NO-DIGITS", false],
  ])("demoRefuses(%s) = %s", (orderNo, expected) => {
    expect(demoRefuses(orderNo)).toBe(expected);
  });

  test("start on the given ports, refuse the demo orders, close", async () => {
    const fakes = await startDemoFakes({
      wmsPort: 0,
      dropshipPort: 0,
      commercePort: 0,
      latencyMs: 0,
      orders: null,
    });
    try {
      const configs = demoConnectorConfigs(fakes.urls);
      const send = (orderNo: string) =>
        raw(
          fakes.urls.wms,
          "PATCH",
          "/v3/fulfillment/outbound/oms/cancel",
          { "x-api-key": configs.wms.credentials.apiKey ?? "", "content-type": "application/json" },
          JSON.stringify({
            data: { cancellation: { order_no: orderNo, cancel_reason: "r", warehouse_id: "TGR04" } },
          }),
        );
      expect((await send("SO-000002-2")).status).toBe(200);
      expect(await send("SO-000017-1")).toMatchObject({
        status: 400,
        text: expect.stringContaining("Stock already allocated"),
      });
    } finally {
      await fakes.close();
    }
  });
});

describe("demo fakes learn demo orders from the database", () => {
  let database: TestDatabase;
  const DROP_ORDER = "66b1f0c2a9e4d3b2c1a09f87";
  const DROP_ITEM = {
    open: "66b1f0c2a9e4d3b2c1a0aa01",
    told: "66b1f0c2a9e4d3b2c1a0aa02",
    gone: "66b1f0c2a9e4d3b2c1a0aa03",
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    await db.execute(sql`
      INSERT INTO channels (id, name, connector) VALUES
        ('DROP', 'Dropship', 'dropship'), ('MKT', 'Commerce', 'commerce'), ('MAN', 'Manual', 'manual')`);
    await db.execute(sql`INSERT INTO warehouses (id, name) VALUES ('WH', 'Warehouse')`);
    await db.execute(sql`
      INSERT INTO cancellation_reasons (code, label, initiator) VALUES ('R', 'Reason', 'seller')`);
    await db.execute(sql`
      INSERT INTO orders (id, channel_id, channel_order_no, channel_order_id, currency, customer_name) VALUES
        ('O-D', 'DROP', 'ACME-1', ${DROP_ORDER}, 'EUR', 'A'),
        ('O-C', 'MKT', 'NW-1', '40010003', 'TRY', 'B'),
        ('O-M', 'MAN', 'MAN-1', '40010004', 'EUR', 'C')`);
    await db.execute(sql`
      INSERT INTO sub_orders (id, order_id, warehouse_id) VALUES
        ('SO-D', 'O-D', 'WH'), ('SO-C', 'O-C', 'WH'), ('SO-M', 'O-M', 'WH')`);
    // Dropship: "open" has 1 shipped and 2 cancelled by a notification not delivered yet (the
    // channel still sees 5); "told" lost 1 unit the channel was told of; "gone" is cancelled and told.
    // No item id: unknown to the channel.
    await db.execute(sql`
      INSERT INTO line_items (sub_order_id, sku, channel_item_id, unit_price_minor, ordered, fulfilled, cancelled) VALUES
        ('SO-D', 'JEANS', ${DROP_ITEM.open}, 100, 5, 1, 2),
        ('SO-D', 'CAP', ${DROP_ITEM.told}, 100, 3, 0, 1),
        ('SO-D', 'MUG', ${DROP_ITEM.gone}, 100, 2, 0, 2),
        ('SO-D', 'NOID', NULL, 100, 1, 0, 0),
        ('SO-C', 'SHIRT', '501', 100, 2, 0, 0),
        ('SO-C', 'SOCKS', '502', 100, 1, 1, 0),
        ('SO-C', 'HAT', '503', 100, 1, 0, 1),
        ('SO-M', 'X', '1', 100, 1, 0, 0)`);
    const ledger = async (id: string, sku: string, quantity: number, state: string) => {
      await db.execute(sql`
        INSERT INTO cancellations (id, sub_order_id, mode, status, reason_code, source, actor_type, actor_id)
        VALUES (${id}, 'SO-D', 'line_items', 'CONFIRMED', 'R', 'single', 'system', 'test')`);
      await db.execute(sql`
        INSERT INTO cancellation_lines (cancellation_id, line_item_id, quantity)
        SELECT ${id}, id, ${quantity} FROM line_items WHERE sku = ${sku} AND sub_order_id = 'SO-D'`);
      await db.execute(sql`
        INSERT INTO channel_notifications (cancellation_id, channel_id, order_id, payload, state)
        VALUES (${id}, 'DROP', 'O-D', '{}'::jsonb, ${state})`);
    };
    await ledger("00000000-0000-4000-8000-000000000001", "JEANS", 2, "pending");
    await ledger("00000000-0000-4000-8000-000000000002", "CAP", 1, "delivered");
    await ledger("00000000-0000-4000-8000-000000000003", "MUG", 2, "delivered");
    // A commerce line the channel was told is cancelled.
    await db.execute(sql`
      INSERT INTO cancellations (id, sub_order_id, mode, status, reason_code, source, actor_type, actor_id)
      VALUES ('00000000-0000-4000-8000-000000000004', 'SO-C', 'line_items', 'CONFIRMED', 'R', 'single', 'system', 'test')`);
    await db.execute(sql`
      INSERT INTO cancellation_lines (cancellation_id, line_item_id, quantity)
      SELECT '00000000-0000-4000-8000-000000000004', id, 1 FROM line_items WHERE sku = 'HAT'`);
    await db.execute(sql`
      INSERT INTO channel_notifications (cancellation_id, channel_id, order_id, payload, state)
      VALUES ('00000000-0000-4000-8000-000000000004', 'MKT', 'O-C', '{}'::jsonb, 'delivered')`);
  });
  afterAll(() => database.drop());

  test("dropship items as the channel holds them: undelivered cancellations left out, no-id lines skipped", async () => {
    expect(await demoDropshipOrders(() => database.db)(DROP_ORDER)).toEqual([
      { _id: DROP_ITEM.open, quantity: 5, fulfilledQuantity: 1 },
      { _id: DROP_ITEM.told, quantity: 2, fulfilledQuantity: 0 },
      { _id: DROP_ITEM.gone, quantity: 2, fulfilledQuantity: 0, cancelled: true },
    ]);
    expect(await demoDropshipOrders(() => database.db)("nope")).toBeUndefined();
    // Only orders of channels with that connector.
    expect(await demoDropshipOrders(() => database.db)("40010003")).toBeUndefined();
  });

  test("commerce items: shipped, cancelled, open", async () => {
    expect(await demoCommerceOrders(() => database.db)("40010003")).toEqual([
      { id: "501", cancelled: false, shipped: false },
      { id: "502", cancelled: false, shipped: true },
      { id: "503", cancelled: true, shipped: false },
    ]);
    expect(await demoCommerceOrders(() => database.db)("40010004")).toBeUndefined();
  });

  test("wired into the demo fakes, the connectors' calls on demo orders are accepted on first sight", async () => {
    const fakes = await startDemoFakes({
      wmsPort: 0,
      dropshipPort: 0,
      commercePort: 0,
      latencyMs: 0,
      orders: () => database.db,
    });
    try {
      const configs = demoConnectorConfigs(fakes.urls);
      const dropshipAnswer = await channelNotifierFor("dropship", configs.dropship)(
        {
          idempotencyKey: "00000000-0000-4000-8000-000000000001",
          channelOrderId: DROP_ORDER,
          channelOrderNo: "ACME-1",
          subOrderId: "SO-D",
          wholeSubOrder: false,
          unfulfilledOnly: false,
          lines: [
            {
              sku: "JEANS",
              channelItemId: DROP_ITEM.open,
              cancelledQuantity: 2,
              newQuantity: 3,
              remainingQuantity: 2,
            },
          ],
          reasonCode: "R",
          channelReasonCode: null,
          cargoRefund: false,
        },
        {},
      );
      expect(dropshipAnswer).toMatchObject({ kind: "accepted", progress: { deliveredSkus: ["JEANS"] } });
      const commerceAnswer = await channelNotifierFor("commerce", configs.commerce)(
        {
          idempotencyKey: "00000000-0000-4000-8000-000000000005",
          channelOrderId: "40010003",
          channelOrderNo: "NW-1",
          subOrderId: "SO-C",
          wholeSubOrder: false,
          unfulfilledOnly: false,
          lines: [
            {
              sku: "SHIRT",
              channelItemId: "501",
              cancelledQuantity: 2,
              newQuantity: 0,
              remainingQuantity: 0,
            },
          ],
          reasonCode: "R",
          channelReasonCode: "7",
          cargoRefund: false,
        },
        {},
      );
      expect(commerceAnswer).toEqual({ kind: "accepted" });
      // An order no demo channel has stays unknown.
      const unknown = await channelNotifierFor("commerce", configs.commerce)(
        {
          idempotencyKey: "k",
          channelOrderId: "40010004",
          channelOrderNo: "MAN-1",
          subOrderId: "SO-M",
          wholeSubOrder: true,
          unfulfilledOnly: false,
          lines: [
            { sku: "X", channelItemId: "1", cancelledQuantity: 1, newQuantity: 0, remainingQuantity: 0 },
          ],
          reasonCode: "R",
          channelReasonCode: null,
          cargoRefund: false,
        },
        {},
      );
      expect(unknown).toMatchObject({ kind: "rejected", code: "http_404" });
    } finally {
      await fakes.close();
    }
  });
});
