import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { FAKE_COMMERCE_TOKEN, type FakeCommerce, startFakeCommerce } from "@/dev/fakes/commerce";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";
import type { RecordedRequest } from "@/dev/fakes/server";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import {
  type ChannelDeliveryProgress,
  type ChannelNotification,
  type ChannelNotificationLine,
  COMMERCE_PARTIAL_UNITS_MESSAGE,
  channelNotifierFor,
  missingItemIdMessage,
  warehouseGateFor,
} from "./notification";
import { closedPortUrl, configFor } from "./test-helpers";
import type { WarehouseCancelRequest } from "./types";

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

/** The dropship channel's own (Mongo-style) ids, nothing like our order number or SKUs. */
const ORDER_ID = "66b1f0c2a9e4d3b2c1a09f87";
const ITEM_JEANS = "66b1f0c2a9e4d3b2c1a09f88";
const ITEM_SNEAKER = "66b1f0c2a9e4d3b2c1a09f89";
const ITEM_CAP = "66b1f0c2a9e4d3b2c1a09f8a";
const SKUS = ["JEANS-34-BLK", "SNEAKER-42-WHT", "CAP-ONE-RED", "MUG-WHT", "TSHIRT-M-RED"];

const base: ChannelNotification = {
  idempotencyKey: "ledger-7",
  channelOrderId: ORDER_ID,
  channelOrderNo: "ACME-PO-730001",
  subOrderId: "SO-000007-1",
  wholeSubOrder: false,
  unfulfilledOnly: false,
  lines: [],
  reasonCode: "OUT_OF_STOCK",
  channelReasonCode: null,
  cargoRefund: false,
};

/** A notification line; `remainingQuantity` defaults to `newQuantity` (nothing shipped). */
function line(
  sku: string,
  channelItemId: string | null,
  cancelledQuantity: number,
  newQuantity: number,
  remainingQuantity = newQuantity,
): ChannelNotificationLine {
  return { sku, channelItemId, cancelledQuantity, newQuantity, remainingQuantity };
}

/** No request names a SKU where the document asks for the channel's item id (path or body). */
function expectNoSkuSent(requests: RecordedRequest[]) {
  for (const request of requests) {
    for (const sku of SKUS) {
      expect(request.path).not.toContain(sku);
      expect(request.rawBody).not.toContain(sku);
    }
  }
}

describe("channelNotifierFor('dropship')", () => {
  const notifier = () =>
    channelNotifierFor("dropship", configFor(dropship.url, { token: FAKE_DROPSHIP_TOKEN }));
  const notify = (n: ChannelNotification, progress: ChannelDeliveryProgress = {}) => notifier()(n, progress);

  test.each([
    [false, ""],
    [true, '{"unfulfilledOnly":true}'],
  ])(
    "a whole sub-order is one order cancel on the channel's order id (unfulfilledOnly=%s)",
    async (unfulfilledOnly, rawBody) => {
      dropship.seedOrder(ORDER_ID, [{ _id: ITEM_JEANS, quantity: 2 }]);
      const answer = await notify({
        ...base,
        wholeSubOrder: true,
        unfulfilledOnly,
        lines: [line("JEANS-34-BLK", ITEM_JEANS, 2, 0)],
      });
      expect(answer).toEqual({ kind: "accepted" });
      expect(
        dropship.requests.map((r) => [r.method, r.path, r.rawBody, r.headers["idempotency-key"]]),
      ).toEqual([["POST", `/orders/${ORDER_ID}/cancel`, rawBody, "ledger-7"]]);
    },
  );

  test("lines become item cancels by channel item id: newQuantity = the item's new total, shipped units included; none kept, no body", async () => {
    dropship.seedOrder(ORDER_ID, [
      { _id: ITEM_JEANS, quantity: 5, fulfilledQuantity: 1 },
      { _id: ITEM_SNEAKER, quantity: 1 },
      { _id: ITEM_CAP, quantity: 4 },
    ]);
    const answer = await notify({
      ...base,
      lines: [
        // 5 ordered, 1 shipped, 2 cancelled now: the item keeps 3 (1 shipped + 2 to ship).
        line("JEANS-34-BLK", ITEM_JEANS, 2, 3, 2),
        line("SNEAKER-42-WHT", ITEM_SNEAKER, 1, 0),
        line("CAP-ONE-RED", ITEM_CAP, 0, 4),
      ],
    });
    const created = dropship.orders.get(ORDER_ID)?.items.at(-1);
    expect(created).toMatchObject({ quantity: 3, fulfilledQuantity: 1, cancelled: false });
    expect(answer).toEqual({
      kind: "accepted",
      progress: {
        deliveredSkus: ["JEANS-34-BLK", "SNEAKER-42-WHT"],
        replacedItemIds: { [ITEM_JEANS]: created?._id },
      },
    });
    expect(dropship.requests.map((r) => [r.path, r.rawBody, r.headers["idempotency-key"]])).toEqual([
      [`/orders/${ORDER_ID}/items/${ITEM_JEANS}/cancel`, '{"newQuantity":3}', `ledger-7:${ITEM_JEANS}`],
      [`/orders/${ORDER_ID}/items/${ITEM_SNEAKER}/cancel`, "", `ledger-7:${ITEM_SNEAKER}`],
    ]);
    expectNoSkuSent(dropship.requests);
  });

  test("a whole sub-order that is not the whole channel order is announced item by item", async () => {
    dropship.seedOrder(ORDER_ID, [
      { _id: ITEM_JEANS, quantity: 1 },
      { _id: ITEM_CAP, quantity: 1 },
    ]);
    const answer = await notify({
      ...base,
      wholeSubOrder: true,
      wholeOrder: false,
      lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0)],
    });
    expect(answer).toEqual({ kind: "accepted", progress: { deliveredSkus: ["JEANS-34-BLK"] } });
    expect(dropship.requests.map((r) => r.path)).toEqual([`/orders/${ORDER_ID}/items/${ITEM_JEANS}/cancel`]);
    expect(dropship.orders.get(ORDER_ID)?.items.map((i) => i.cancelled)).toEqual([true, false]);
  });

  test("a line without a channel item id is refused naming its SKU, and nothing is sent", async () => {
    dropship.seedOrder(ORDER_ID, [{ _id: ITEM_JEANS, quantity: 2 }]);
    const answer = await notify({
      ...base,
      lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 1), line("SNEAKER-42-WHT", null, 1, 0)],
    });
    expect(answer).toEqual({
      kind: "rejected",
      code: "missing_item_id",
      message: missingItemIdMessage(["SNEAKER-42-WHT"], "ACME-PO-730001"),
    });
    expect(answer.kind === "rejected" && answer.message).toContain(
      "the order intake never gave its channel item id",
    );
    expect(dropship.requests).toHaveLength(0);
  });

  test("two partial cancels of one line: the second addresses the item id the first one created", async () => {
    dropship.seedOrder(ORDER_ID, [{ _id: ITEM_JEANS, quantity: 5 }]);
    const first = await notify({ ...base, lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 4)] });
    const replaced = first.progress?.replacedItemIds ?? {};
    const newId = replaced[ITEM_JEANS];
    expect(first.kind).toBe("accepted");
    expect(newId).toMatch(/^[0-9a-f]{24}$/);
    expect(newId).not.toBe(ITEM_JEANS);

    // The dispatcher writes replacedItemIds onto the line; the next notification carries the new id.
    const current = replaced[ITEM_JEANS] ?? ITEM_JEANS;
    const second = await notify({
      ...base,
      idempotencyKey: "ledger-8",
      lines: [line("JEANS-34-BLK", current, 2, 2)],
    });
    const latest = dropship.orders.get(ORDER_ID)?.items.at(-1);
    expect(second).toEqual({
      kind: "accepted",
      progress: { deliveredSkus: ["JEANS-34-BLK"], replacedItemIds: { [current]: latest?._id } },
    });
    expect(dropship.requests.map((r) => [r.path, r.rawBody])).toEqual([
      [`/orders/${ORDER_ID}/items/${ITEM_JEANS}/cancel`, '{"newQuantity":4}'],
      [`/orders/${ORDER_ID}/items/${newId}/cancel`, '{"newQuantity":2}'],
    ]);
    expect(dropship.orders.get(ORDER_ID)?.items.map((i) => [i.quantity, i.cancelled])).toEqual([
      [5, true],
      [4, true],
      [2, false],
    ]);

    // Without the replacement the channel refuses: the old id is cancelled for good.
    const stale = await notify({
      ...base,
      idempotencyKey: "ledger-9",
      lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 1)],
    });
    expect(stale).toMatchObject({
      kind: "rejected",
      message: `Order item ${ITEM_JEANS} is already cancelled`,
    });
  });

  test("a second item that fails keeps the first one's progress, and the retry does not send the first again", async () => {
    dropship.seedOrder(ORDER_ID, [
      { _id: ITEM_JEANS, quantity: 3 },
      { _id: ITEM_SNEAKER, quantity: 2 },
    ]);
    const n: ChannelNotification = {
      ...base,
      lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 2), line("SNEAKER-42-WHT", ITEM_SNEAKER, 2, 0)],
    };
    dropship.respondOnceWhen((r) => r.path.includes(ITEM_SNEAKER), {
      status: 503,
      body: { message: "Service Unavailable" },
    });
    const first = await notify(n);
    const jeansNow = dropship.orders.get(ORDER_ID)?.items.at(-1)?._id;
    expect(first).toEqual({
      kind: "unavailable",
      message: `SKU SNEAKER-42-WHT (item ${ITEM_SNEAKER}): Dropship API answered HTTP 503: Service Unavailable`,
      progress: { deliveredSkus: ["JEANS-34-BLK"], replacedItemIds: { [ITEM_JEANS]: jeansNow } },
    });

    // The outbox keeps the progress; the dispatcher has applied the replacement to the line.
    const retry = await notify(
      {
        ...n,
        lines: [line("JEANS-34-BLK", jeansNow ?? "", 1, 2), line("SNEAKER-42-WHT", ITEM_SNEAKER, 2, 0)],
      },
      first.progress,
    );
    expect(retry).toEqual({
      kind: "accepted",
      progress: {
        deliveredSkus: ["JEANS-34-BLK", "SNEAKER-42-WHT"],
        replacedItemIds: { [ITEM_JEANS]: jeansNow },
      },
    });
    expect(dropship.requests.map((r) => r.path)).toEqual([
      `/orders/${ORDER_ID}/items/${ITEM_JEANS}/cancel`,
      `/orders/${ORDER_ID}/items/${ITEM_SNEAKER}/cancel`,
      `/orders/${ORDER_ID}/items/${ITEM_SNEAKER}/cancel`,
    ]);
    expect(dropship.distinctDeliveries).toBe(2);
    expect(dropship.orders.get(ORDER_ID)?.items.map((i) => [i.quantity, i.cancelled])).toEqual([
      [3, true],
      [2, true],
      [2, false],
    ]);
  });

  test("a permanent refusal of a later item also keeps the earlier items' progress", async () => {
    dropship.seedOrder(ORDER_ID, [{ _id: ITEM_JEANS, quantity: 1 }]);
    const answer = await notify({
      ...base,
      lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0), line("SNEAKER-42-WHT", ITEM_SNEAKER, 1, 0)],
    });
    expect(answer).toEqual({
      kind: "rejected",
      code: "http_404",
      message: `SKU SNEAKER-42-WHT (item ${ITEM_SNEAKER}): Order item ${ITEM_SNEAKER} not found on order ${ORDER_ID}`,
      progress: { deliveredSkus: ["JEANS-34-BLK"] },
    });
  });

  test("every line already delivered: nothing is sent, the earlier progress comes back", async () => {
    const progress = { deliveredSkus: ["JEANS-34-BLK"], replacedItemIds: { a: "b" } };
    expect(await notify({ ...base, lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0)] }, progress)).toEqual({
      kind: "accepted",
      progress,
    });
    expect(dropship.requests).toHaveLength(0);
  });

  test("a whole sub-order with earlier item progress is finished item by item, not with an order cancel", async () => {
    dropship.seedOrder(ORDER_ID, [
      { _id: ITEM_JEANS, quantity: 1, cancelled: true },
      { _id: ITEM_SNEAKER, quantity: 1 },
    ]);
    const answer = await notify(
      {
        ...base,
        wholeSubOrder: true,
        lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0), line("SNEAKER-42-WHT", ITEM_SNEAKER, 1, 0)],
      },
      { deliveredSkus: ["JEANS-34-BLK"] },
    );
    expect(answer).toEqual({
      kind: "accepted",
      progress: { deliveredSkus: ["JEANS-34-BLK", "SNEAKER-42-WHT"] },
    });
    expect(dropship.requests.map((r) => r.path)).toEqual([
      `/orders/${ORDER_ID}/items/${ITEM_SNEAKER}/cancel`,
    ]);
  });

  test("an answer lost in transit is retried safely: one delivery, and the retry learns the new item", async () => {
    dropship.seedOrder(ORDER_ID, [{ _id: ITEM_JEANS, quantity: 3 }]);
    const n = { ...base, lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 2)] };
    dropship.setMode("drop");
    expect(await notify(n)).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: connection dropped mid-response",
    });
    expect(dropship.distinctDeliveries).toBe(1);
    dropship.setMode("ok");
    const retried = await notify(n);
    const created = dropship.orders.get(ORDER_ID)?.items.at(-1);
    expect(retried).toEqual({
      kind: "accepted",
      progress: { deliveredSkus: ["JEANS-34-BLK"], replacedItemIds: { [ITEM_JEANS]: created?._id } },
    });
    expect(dropship.distinctDeliveries).toBe(1);
    expect(dropship.orders.get(ORDER_ID)?.items).toHaveLength(2);
  });

  test("an order the channel does not know is refused by it (404), not created", async () => {
    const answer = await notify({ ...base, lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0)] });
    expect(answer).toMatchObject({
      kind: "rejected",
      code: "http_404",
      message: `Order ${ORDER_ID} not found`,
    });
    expect(dropship.orders.size).toBe(0);
  });

  test("nothing to cancel, or no channel order id, is a rejection", async () => {
    expect(await notify(base)).toMatchObject({ kind: "rejected", message: "Nothing to cancel" });
    expect(
      await notify({ ...base, channelOrderId: " ", lines: [line("JEANS-34-BLK", ITEM_JEANS, 1, 0)] }),
    ).toMatchObject({ kind: "rejected", code: "missing_order_id" });
    expect(dropship.requests).toHaveLength(0);
  });

  test("a timeout is unavailable", async () => {
    dropship.setMode("hang");
    const n = channelNotifierFor("dropship", configFor(dropship.url, { token: FAKE_DROPSHIP_TOKEN }, 200));
    expect(await n({ ...base, wholeSubOrder: true }, {})).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: timed out after 200 ms",
    });
  });
});

describe("channelNotifierFor('commerce')", () => {
  const notify = (n: ChannelNotification) =>
    channelNotifierFor("commerce", configFor(commerce.url, { token: FAKE_COMMERCE_TOKEN }))(n, {});
  const northwind: ChannelNotification = {
    ...base,
    channelOrderId: "40010003",
    channelOrderNo: "NW-2024-0003",
    reasonCode: "CUSTOMER_CHANGED_MIND",
    channelReasonCode: "12",
  };
  beforeEach(() => commerce.seedOrder(40010003, [{ id: 501 }, { id: 502 }, { id: 503, shipped: true }]));

  test("a whole sub-order is is_all with no items; order, reasons and is_cargo_refund from the channel's ids and settings", async () => {
    const answer = await notify({
      ...northwind,
      wholeSubOrder: true,
      cargoRefund: true,
      lines: [line("MUG-WHT", "501", 3, 0), line("TSHIRT-M-RED", "502", 1, 0)],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(commerce.requests[0]?.path).toBe("/api/i1/orders/40010003/cancel/");
    expect(commerce.requests[0]?.body).toEqual({
      order: 40010003,
      is_all: true,
      cancel_items: [],
      forced_refund_amount: null,
      reasons: { "501": 12, "502": 12 },
      is_cargo_refund: true,
    });
    expect(commerce.orders.get(40010003)?.items.map((i) => [i.id, i.cancelled])).toEqual([
      ["501", true],
      ["502", true],
      ["503", false],
    ]);
    expectNoSkuSent(commerce.requests);
  });

  test("lines are cancel_items by integer channel item id, each with the mapped reason", async () => {
    const answer = await notify({
      ...northwind,
      lines: [
        line("MUG-WHT", "501", 1, 0),
        line("TSHIRT-M-RED", "502", 2, 0),
        line("CAP-ONE-RED", "503", 0, 1),
      ],
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(commerce.requests[0]?.body).toEqual({
      order: 40010003,
      is_all: false,
      cancel_items: [501, 502],
      forced_refund_amount: null,
      reasons: { "501": 12, "502": 12 },
      is_cargo_refund: false,
    });
    expectNoSkuSent(commerce.requests);
  });

  test("without a mapped reason our code is sent", async () => {
    await notify({ ...northwind, channelReasonCode: null, lines: [line("MUG-WHT", "501", 1, 0)] });
    expect(commerce.requests[0]?.body).toMatchObject({ reasons: { "501": "CUSTOMER_CHANGED_MIND" } });
  });

  test("whole sub-order with wholeOrder=false lists its items instead of is_all", async () => {
    await notify({
      ...northwind,
      wholeSubOrder: true,
      wholeOrder: false,
      lines: [line("MUG-WHT", "501", 1, 0)],
    });
    expect(commerce.requests[0]?.body).toMatchObject({ is_all: false, cancel_items: [501] });
  });

  test("a line that keeps units cannot be expressed and is refused, not over-cancelled (a safety net)", async () => {
    const answer = await notify({ ...northwind, lines: [line("MUG-WHT", "501", 1, 2)] });
    expect(answer).toEqual({
      kind: "rejected",
      code: "partial_item",
      message: `${COMMERCE_PARTIAL_UNITS_MESSAGE} (SKU MUG-WHT, item 501: 1 cancelled, 2 kept)`,
    });
    expect(commerce.requests).toHaveLength(0);
  });

  test.each(["NW-40010003", "40010003.0", "", "abc"])(
    "a channel order id %j that is not an integer is refused naming it, nothing is sent",
    async (channelOrderId) => {
      expect(
        await notify({
          ...northwind,
          channelOrderId,
          wholeSubOrder: true,
          lines: [line("MUG-WHT", "501", 1, 0)],
        }),
      ).toEqual({
        kind: "rejected",
        code: "invalid_input",
        message: `Order NW-2024-0003: its channel order id "${channelOrderId}" is not the platform's integer order id`,
      });
      expect(commerce.requests).toHaveLength(0);
    },
  );

  test("a line without a channel item id is refused naming its SKU, nothing is sent", async () => {
    expect(
      await notify({ ...northwind, lines: [line("MUG-WHT", "501", 1, 0), line("TSHIRT-M-RED", null, 1, 0)] }),
    ).toEqual({
      kind: "rejected",
      code: "missing_item_id",
      message: missingItemIdMessage(["TSHIRT-M-RED"], "NW-2024-0003"),
    });
    expect(commerce.requests).toHaveLength(0);
  });

  test("an unknown order is the platform's 404", async () => {
    expect(
      await notify({ ...northwind, channelOrderId: "40010004", lines: [line("MUG-WHT", "501", 1, 0)] }),
    ).toEqual({
      kind: "rejected",
      code: "http_404",
      message: "Not found.",
    });
  });

  test("refused connection is unavailable", async () => {
    const n = channelNotifierFor("commerce", configFor(await closedPortUrl(), { token: "t" }));
    expect(await n({ ...northwind, wholeSubOrder: true, lines: [line("MUG-WHT", "501", 1, 0)] }, {})).toEqual(
      {
        kind: "unavailable",
        message: "Commerce platform did not answer: connection refused",
        notSent: true,
      },
    );
  });
});

describe("manual and unknown connectors", () => {
  test("manual accepts at once", async () => {
    expect(await channelNotifierFor("manual")(base, {})).toEqual({ kind: "accepted" });
  });

  test("an unknown channel type is unavailable, not a crash", async () => {
    const notify = channelNotifierFor("fax" as never, configFor("http://x", {}));
    expect(await notify(base, {})).toMatchObject({ kind: "unavailable" });
  });
});

describe("warehouseGateFor", () => {
  const request: WarehouseCancelRequest = {
    idempotencyKey: "ledger-9",
    subOrderId: "SO-000002-2",
    warehouseExternalId: "TGR04",
    reasonCode: "OUT_OF_STOCK",
    reasonText: "Out of stock",
    lines: [{ sku: "A", quantity: 1 }],
  };

  test("manual accepts without a remote", async () => {
    expect(await warehouseGateFor("manual")(request)).toEqual({ kind: "accepted" });
  });

  test("wms asks the WMS with the reason's label", async () => {
    const gate = warehouseGateFor("wms", configFor(wms.url, { apiKey: FAKE_WMS_API_KEY }));
    expect(await gate(request)).toEqual({ kind: "accepted" });
    expect(wms.cancelled.has("SO-000002-2")).toBe(true);
    expect(wms.requests[0]?.body).toMatchObject({
      data: { cancellation: { cancel_reason: "Out of stock" } },
    });
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
