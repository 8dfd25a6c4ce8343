import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { FAKE_COMMERCE_TOKEN, type FakeCommerce, startFakeCommerce } from "@/dev/fakes/commerce";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import {
  type ChannelNotification,
  COMMERCE_PARTIAL_UNITS_MESSAGE,
  channelNotifierFor,
  warehouseGateFor,
} from "./notification";
import { closedPortUrl, configFor } from "./test-helpers";

let dropship: FakeDropship;
let commerce: FakeCommerce;
let wms: FakeWms;

beforeAll(async () => {
  [dropship, commerce, wms] = await Promise.all([startFakeDropship(), startFakeCommerce(), startFakeWms()]);
});
afterAll(() => Promise.all([dropship.close(), commerce.close(), wms.close()]));
beforeEach(() => {
  dropship.reset();
  commerce.reset();
  wms.reset();
});

const base: ChannelNotification = {
  idempotencyKey: "ledger-7",
  channelOrderNo: "ACME-PO-730001",
  subOrderId: "SO-000007-1",
  wholeSubOrder: false,
  unfulfilledOnly: false,
  lines: [],
  reasonCode: "OUT_OF_STOCK",
};

describe("channelNotifierFor('dropship')", () => {
  const notify = (n: ChannelNotification) =>
    channelNotifierFor("dropship", configFor(dropship.url, { token: FAKE_DROPSHIP_TOKEN }))(n);

  test.each([
    [false, ""],
    [true, '{"unfulfilledOnly":true}'],
  ])("a whole sub-order is one order cancel (unfulfilledOnly=%s)", async (unfulfilledOnly, rawBody) => {
    const answer = await notify({
      ...base,
      wholeSubOrder: true,
      unfulfilledOnly,
      lines: [{ sku: "JEANS-34-BLK", cancelledQuantity: 2, remainingQuantity: 0 }],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(dropship.requests.map((r) => [r.method, r.path, r.rawBody, r.headers["idempotency-key"]])).toEqual(
      [["POST", "/orders/ACME-PO-730001/cancel", rawBody, "ledger-7"]],
    );
  });

  test("lines become item cancels: partial with newQuantity = units left, whole without a body", async () => {
    dropship.seedOrder("ACME-PO-730001", [
      { _id: "it-1", quantity: 5 },
      { _id: "SNEAKER-42-WHT", quantity: 1 },
    ]);
    const answer = await notify({
      ...base,
      lines: [
        { sku: "JEANS-34-BLK", channelItemId: "it-1", cancelledQuantity: 2, remainingQuantity: 3 },
        { sku: "SNEAKER-42-WHT", cancelledQuantity: 1, remainingQuantity: 0 },
        { sku: "UNTOUCHED", cancelledQuantity: 0, remainingQuantity: 4 },
      ],
    });
    const newItem = dropship.orders
      .get("ACME-PO-730001")
      ?.items.find((i) => i.quantity === 3 && !i.cancelled);
    expect(answer).toEqual({
      kind: "accepted",
      details: { newItemIds: { "it-1": newItem?._id }, newItemId: newItem?._id },
    });
    expect(dropship.requests.map((r) => [r.path, r.rawBody, r.headers["idempotency-key"]])).toEqual([
      ["/orders/ACME-PO-730001/items/it-1/cancel", '{"newQuantity":3}', "ledger-7:it-1"],
      ["/orders/ACME-PO-730001/items/SNEAKER-42-WHT/cancel", "", "ledger-7:SNEAKER-42-WHT"],
    ]);
  });

  test("a whole sub-order that is not the whole channel order is announced item by item", async () => {
    const answer = await notify({
      ...base,
      wholeSubOrder: true,
      wholeOrder: false,
      lines: [{ sku: "A", cancelledQuantity: 1, remainingQuantity: 0 }],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(dropship.requests.map((r) => r.path)).toEqual(["/orders/ACME-PO-730001/items/A/cancel"]);
  });

  test("stops at the first failing item and says which", async () => {
    dropship.seedOrder("ACME-PO-730001", [{ _id: "A", quantity: 1 }]);
    await notify({
      ...base,
      idempotencyKey: "earlier",
      lines: [{ sku: "A", cancelledQuantity: 1, remainingQuantity: 0 }],
    });
    dropship.requests.length = 0;
    const answer = await notify({
      ...base,
      lines: [
        { sku: "A", cancelledQuantity: 1, remainingQuantity: 0 },
        { sku: "B", cancelledQuantity: 1, remainingQuantity: 0 },
      ],
    });
    expect(answer).toEqual({
      kind: "rejected",
      code: "http_400",
      message: "Item A: Order item A is already cancelled",
    });
    expect(dropship.requests).toHaveLength(1);
  });

  test("an answer lost in transit is retried safely: one delivery, and the retry learns the new item", async () => {
    dropship.seedOrder("ACME-PO-730001", [{ _id: "A", quantity: 3 }]);
    const n = { ...base, lines: [{ sku: "A", cancelledQuantity: 1, remainingQuantity: 2 }] };
    dropship.setMode("drop");
    expect(await notify(n)).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: connection dropped mid-response",
    });
    expect(dropship.distinctDeliveries).toBe(1);
    dropship.setMode("ok");
    const retried = await notify(n);
    const created = dropship.orders.get("ACME-PO-730001")?.items.at(-1);
    expect(retried).toEqual({
      kind: "accepted",
      details: { newItemIds: { A: created?._id }, newItemId: created?._id },
    });
    expect(dropship.distinctDeliveries).toBe(1);
    expect(dropship.orders.get("ACME-PO-730001")?.items).toHaveLength(2);
  });

  test("nothing to cancel is a rejection", async () => {
    expect(await notify(base)).toMatchObject({ kind: "rejected", message: "Nothing to cancel" });
  });

  test("a timeout is unavailable", async () => {
    dropship.setMode("hang");
    const n = channelNotifierFor("dropship", configFor(dropship.url, { token: FAKE_DROPSHIP_TOKEN }, 200));
    expect(await n({ ...base, wholeSubOrder: true })).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: timed out after 200 ms",
    });
  });
});

describe("channelNotifierFor('commerce')", () => {
  const notify = (n: ChannelNotification) =>
    channelNotifierFor("commerce", configFor(commerce.url, { token: FAKE_COMMERCE_TOKEN }))(n);
  const northwind: ChannelNotification = {
    ...base,
    channelOrderNo: "NW-40010003",
    reasonCode: "CUSTOMER_CHANGED_MIND",
  };

  test("a whole sub-order is is_all with no items, reasons per line", async () => {
    const answer = await notify({
      ...northwind,
      wholeSubOrder: true,
      lines: [{ sku: "MUG", channelItemId: "501", cancelledQuantity: 3, remainingQuantity: 0 }],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(commerce.requests[0]?.path).toBe("/api/i1/orders/40010003/cancel/");
    expect(commerce.requests[0]?.body).toEqual({
      order: 40010003,
      is_all: true,
      cancel_items: [],
      forced_refund_amount: null,
      reasons: { "501": "CUSTOMER_CHANGED_MIND" },
      is_cargo_refund: false,
    });
  });

  test("lines are cancel_items (channel item id, else SKU) with a reason each", async () => {
    const answer = await notify({
      ...northwind,
      reasonCode: "12",
      lines: [
        { sku: "MUG", channelItemId: "501", cancelledQuantity: 1, remainingQuantity: 0 },
        { sku: "TSHIRT-M-RED", cancelledQuantity: 2, remainingQuantity: 0 },
      ],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(commerce.requests[0]?.body).toMatchObject({
      is_all: false,
      cancel_items: [501, "TSHIRT-M-RED"],
      reasons: { "501": 12, "TSHIRT-M-RED": 12 },
    });
  });

  test("whole sub-order with wholeOrder=false lists its items instead of is_all", async () => {
    await notify({
      ...northwind,
      wholeSubOrder: true,
      wholeOrder: false,
      lines: [{ sku: "MUG", channelItemId: "501", cancelledQuantity: 1, remainingQuantity: 0 }],
    });
    expect(commerce.requests[0]?.body).toMatchObject({ is_all: false, cancel_items: [501] });
  });

  test("a line that keeps units cannot be expressed and is refused, not over-cancelled", async () => {
    const answer = await notify({
      ...northwind,
      lines: [{ sku: "MUG", channelItemId: "501", cancelledQuantity: 1, remainingQuantity: 2 }],
    });
    expect(answer).toEqual({
      kind: "rejected",
      code: "partial_item",
      message: `${COMMERCE_PARTIAL_UNITS_MESSAGE} (501: 1 cancelled, 2 kept)`,
    });
    expect(commerce.requests).toHaveLength(0);
  });

  test("an order number without the platform's integer id is refused", async () => {
    expect(await notify({ ...northwind, channelOrderNo: "NW-ABC", wholeSubOrder: true })).toMatchObject({
      kind: "rejected",
      code: "invalid_input",
    });
  });

  test("refused connection is unavailable", async () => {
    const n = channelNotifierFor("commerce", configFor(await closedPortUrl(), { token: "t" }));
    expect(await n({ ...northwind, wholeSubOrder: true })).toEqual({
      kind: "unavailable",
      message: "Commerce platform did not answer: connection refused",
      notSent: true,
    });
  });
});

describe("manual and unknown connectors", () => {
  test("manual accepts at once", async () => {
    expect(await channelNotifierFor("manual")(base)).toEqual({ kind: "accepted" });
  });

  test("an unknown channel type is unavailable, not a crash", async () => {
    const notify = channelNotifierFor("fax" as never, configFor("http://x", {}));
    expect(await notify(base)).toMatchObject({ kind: "unavailable" });
  });
});

describe("warehouseGateFor", () => {
  const request = {
    idempotencyKey: "ledger-9",
    subOrderId: "SO-000002-2",
    warehouseExternalId: "TGR04",
    reasonCode: "OUT_OF_STOCK",
    lines: [{ sku: "A", quantity: 1 }],
  };

  test("manual accepts without a remote", async () => {
    expect(await warehouseGateFor("manual")(request)).toEqual({ kind: "accepted" });
  });

  test("wms asks the WMS", async () => {
    const gate = warehouseGateFor("wms", configFor(wms.url, { apiKey: FAKE_WMS_API_KEY }));
    expect(await gate(request)).toEqual({ kind: "accepted" });
    expect(wms.cancelled.has("SO-000002-2")).toBe(true);
    wms.refuse("SO-000012-1");
    expect(await gate({ ...request, idempotencyKey: "ledger-10", subOrderId: "SO-000012-1" })).toEqual({
      kind: "rejected",
      code: "810",
      message: "810: Stock already allocated for order SO-000012-1",
    });
  });

  test("an unknown warehouse type is unavailable", async () => {
    expect(await warehouseGateFor("carrier-pigeon" as never)(request)).toMatchObject({ kind: "unavailable" });
  });
});
