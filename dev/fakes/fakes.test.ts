import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { WMS_DOCUMENTED } from "@/lib/connectors/wms/contract";
import {
  DJANGO_SERVER_ERROR_HTML,
  FAKE_COMMERCE_TOKEN,
  type FakeCommerce,
  startFakeCommerce,
} from "./commerce";
import { demoConnectorConfigs, demoRefuses, startDemoFakes } from "./demo";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "./dropship";
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
    const answer = await raw(
      dropship.url,
      "POST",
      "/orders/O/items/I/cancel",
      { authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}`, "content-type": "application/json" },
      "{}",
    );
    expect(answer.status).toBe(200);
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
  ])("commerce: %s -> DRF-style 400", async (_name, sent, expected) => {
    const answer = await raw(commerce.url, "POST", "/api/i1/orders/5/cancel/", auth, JSON.stringify(sent));
    expect(answer).toEqual({ status: 400, text: JSON.stringify(expected) });
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
    const fakes = await startDemoFakes({ wmsPort: 0, dropshipPort: 0, commercePort: 0, latencyMs: 0 });
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
