import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  FAKE_DROPSHIP_TOKEN,
  type FakeDropship,
  itemNotFoundMessage,
  orderNotFoundMessage,
  orderRefusedMessage,
  startFakeDropship,
} from "@/dev/fakes/dropship";
import { closedPortUrl, configFor } from "../test-helpers";
import type { ConnectorAnswer } from "../types";
import { cancelOrder, cancelOrderItem, dropshipMessage, newItemIdOf } from "./dropship";

let fake: FakeDropship;
const config = (timeoutMs = 2000) => configFor(fake.url, { token: FAKE_DROPSHIP_TOKEN }, timeoutMs);

beforeAll(async () => {
  fake = await startFakeDropship();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("dropship: the requests", () => {
  test("a whole item cancel is a bodiless POST to the item's cancel path, with the bearer token", async () => {
    fake.seedOrder("ACME-PO-730001", [{ _id: "item 1", quantity: 1 }]);
    const answer = await cancelOrderItem(config(), {
      orderId: "ACME-PO-730001",
      itemId: "item 1",
      idempotencyKey: "L1",
    });
    expect(answer).toEqual({ kind: "accepted" });
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/orders/ACME-PO-730001/items/item%201/cancel");
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${FAKE_DROPSHIP_TOKEN}`,
      "idempotency-key": "L1",
    });
    expect(request?.headers["content-type"]).toBeUndefined();
    expect(request?.rawBody).toBe("");
    expect(fake.orders.get("ACME-PO-730001")?.items).toEqual([
      { _id: "item 1", quantity: 1, fulfilledQuantity: 0, cancelled: true },
    ]);
  });

  test("a partial item cancel sends newQuantity and returns the new item's id", async () => {
    fake.seedOrder("O1", [{ _id: "I1", quantity: 5 }]);
    const answer = await cancelOrderItem(config(), {
      orderId: "O1",
      itemId: "I1",
      newQuantity: 3,
      idempotencyKey: "L2",
    });
    const created = fake.orders.get("O1")?.items.at(-1);
    expect(created).toMatchObject({ quantity: 3, cancelled: false });
    expect(created?._id).toMatch(/^[0-9a-f]{24}$/);
    expect(answer).toEqual({ kind: "accepted", newItemId: created?._id });
    const [request] = fake.requests;
    expect(request?.path).toBe("/orders/O1/items/I1/cancel");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual({ newQuantity: 3 });
  });

  test("newQuantity 0 is a whole item cancel", async () => {
    fake.seedOrder("O1", [{ _id: "I1", quantity: 2 }]);
    await cancelOrderItem(config(), { orderId: "O1", itemId: "I1", newQuantity: 0, idempotencyKey: "L" });
    expect(fake.requests[0]?.rawBody).toBe("");
  });

  test.each([-1, 1.5, Number.NaN])("newQuantity %s is refused before sending", async (newQuantity) => {
    const answer = await cancelOrderItem(config(), {
      orderId: "O1",
      itemId: "I1",
      newQuantity,
      idempotencyKey: "L",
    });
    expect(answer).toMatchObject({ kind: "rejected", code: "invalid_input" });
    expect(fake.requests).toHaveLength(0);
  });

  test.each([
    [undefined, ""],
    [false, ""],
    [true, '{"unfulfilledOnly":true}'],
  ])("an order cancel with unfulfilledOnly=%s sends %s", async (unfulfilledOnly, rawBody) => {
    fake.seedOrder("O9", [{ _id: "I", quantity: 2 }]);
    const answer = await cancelOrder(config(), { orderId: "O9", unfulfilledOnly, idempotencyKey: "L3" });
    expect(answer).toEqual({ kind: "accepted" });
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/orders/O9/cancel", rawBody });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${FAKE_DROPSHIP_TOKEN}`);
  });

  test("unfulfilledOnly on a partly fulfilled order cancels the rest and marks it shipped", async () => {
    fake.seedOrder("O2", [
      { _id: "A", quantity: 5, fulfilledQuantity: 3 },
      { _id: "B", quantity: 2 },
    ]);
    expect(await cancelOrder(config(), { orderId: "O2", idempotencyKey: "L" })).toMatchObject({
      kind: "rejected",
      message: "Order O2 has fulfilled quantities; cancel with unfulfilledOnly",
    });
    expect(
      await cancelOrder(config(), { orderId: "O2", unfulfilledOnly: true, idempotencyKey: "L4" }),
    ).toEqual({
      kind: "accepted",
    });
    expect(fake.orders.get("O2")).toMatchObject({ shipped: true, hasCancellations: true });
  });

  test("a retried call with the same key is one delivery", async () => {
    fake.seedOrder("O3", [{ _id: "I", quantity: 4 }]);
    const first = await cancelOrderItem(config(), {
      orderId: "O3",
      itemId: "I",
      newQuantity: 1,
      idempotencyKey: "K",
    });
    const again = await cancelOrderItem(config(), {
      orderId: "O3",
      itemId: "I",
      newQuantity: 1,
      idempotencyKey: "K",
    });
    expect(again).toEqual(first);
    expect(fake.distinctDeliveries).toBe(1);
    expect(fake.orders.get("O3")?.items).toHaveLength(2);
  });
});

describe("dropship: the fake holds the API to the document", () => {
  const item = (itemId: string, newQuantity: number | undefined, key: string) =>
    cancelOrderItem(config(), { orderId: "O8", itemId, newQuantity, idempotencyKey: key });

  test("a partial cancel replaces the item: the next one addresses the new id, the old id is refused", async () => {
    fake.seedOrder("O8", [{ _id: "I", quantity: 5, fulfilledQuantity: 1 }]);
    const first = await item("I", 4, "a");
    if (first.kind !== "accepted" || first.newItemId === undefined) throw new Error("no new item id");
    expect(await item("I", 3, "b")).toEqual({
      kind: "rejected",
      code: "http_400",
      message: "Order item I is already cancelled",
    });
    const second = await item(first.newItemId, 2, "c");
    if (second.kind !== "accepted" || second.newItemId === undefined) throw new Error("no new item id");
    expect(second.newItemId).not.toBe(first.newItemId);
    expect(fake.orders.get("O8")?.items).toEqual([
      { _id: "I", quantity: 5, fulfilledQuantity: 1, cancelled: true },
      { _id: first.newItemId, quantity: 4, fulfilledQuantity: 1, cancelled: true },
      { _id: second.newItemId, quantity: 2, fulfilledQuantity: 1, cancelled: false },
    ]);
  });

  test.each([
    [3, "newQuantity must be less than the item's quantity (3)"],
    [4, "newQuantity must be less than the item's quantity (3)"],
    [1, "newQuantity cannot be less than the fulfilled quantity (2)"],
    [undefined, "Order item I has fulfilled quantities that cannot be cancelled"],
  ])("newQuantity %s on an item of 3 with 2 fulfilled is refused", async (newQuantity, message) => {
    fake.seedOrder("O8", [{ _id: "I", quantity: 3, fulfilledQuantity: 2 }]);
    expect(await item("I", newQuantity, "k")).toEqual({ kind: "rejected", code: "http_400", message });
    expect(fake.orders.get("O8")?.items).toHaveLength(1);
  });

  test("unknown order and item ids are 404s, never created on first sight", async () => {
    expect(await item("I", undefined, "k")).toEqual({
      kind: "rejected",
      code: "http_404",
      message: orderNotFoundMessage("O8"),
    });
    expect(await cancelOrder(config(), { orderId: "O8", idempotencyKey: "k2" })).toMatchObject({
      code: "http_404",
    });
    fake.seedOrder("O8", [{ _id: "I", quantity: 1 }]);
    expect(await item("SKU-1", undefined, "k3")).toEqual({
      kind: "rejected",
      code: "http_404",
      message: itemNotFoundMessage("O8", "SKU-1"),
    });
    expect([...fake.orders.keys()]).toEqual(["O8"]);
    expect(fake.orders.get("O8")?.items).toEqual([
      { _id: "I", quantity: 1, fulfilledQuantity: 0, cancelled: false },
    ]);
  });
});

describe("dropship: responses", () => {
  test.each<[string, { status: number; body?: unknown; raw?: string }, ConnectorAnswer]>([
    ["200 without a body", { status: 200, raw: "" }, { kind: "accepted" }],
    ["204", { status: 204, raw: "" }, { kind: "accepted" }],
    [
      "400 {message}",
      { status: 400, body: { message: "Item is already fulfilled" } },
      { kind: "rejected", code: "http_400", message: "Item is already fulfilled" },
    ],
    [
      "422 {error}",
      { status: 422, body: { error: "Unprocessable order" } },
      { kind: "rejected", code: "http_422", message: "Unprocessable order" },
    ],
    [
      "404 {errors:[{message}]}",
      { status: 404, body: { errors: [{ message: "Order not found" }, "try again"] } },
      { kind: "rejected", code: "http_404", message: "Order not found; try again" },
    ],
    [
      "401",
      { status: 401, body: { message: "Unauthorized" } },
      { kind: "rejected", code: "http_401", message: "Unauthorized", credentialsProblem: true },
    ],
    [
      "500",
      { status: 500, body: { message: "Internal Server Error" } },
      { kind: "unavailable", message: "Dropship API answered HTTP 500: Internal Server Error" },
    ],
    [
      "503 unparseable",
      { status: 503, raw: "upstream connect error" },
      { kind: "unavailable", message: "Dropship API answered HTTP 503: upstream connect error" },
    ],
  ])("%s", async (_name, reply, expected) => {
    fake.respondOnce(reply);
    expect(await cancelOrder(config(), { orderId: "O", idempotencyKey: "L" })).toEqual(expected);
  });

  test("the fake's refusal, wrong token and 500 are mapped", async () => {
    fake.seedOrder("O5", [{ _id: "I", quantity: 1 }]);
    fake.refuse("O5");
    expect(await cancelOrderItem(config(), { orderId: "O5", itemId: "I", idempotencyKey: "L" })).toEqual({
      kind: "rejected",
      code: "http_400",
      message: orderRefusedMessage("O5"),
    });
    const wrong = await cancelOrder(configFor(fake.url, { token: "nope-token" }), {
      orderId: "O6",
      idempotencyKey: "L",
    });
    expect(wrong).toEqual({
      kind: "rejected",
      code: "http_401",
      message: "Unauthorized",
      credentialsProblem: true,
    });
    fake.setMode("error500");
    expect(await cancelOrder(config(), { orderId: "O6", idempotencyKey: "L" })).toMatchObject({
      kind: "unavailable",
    });
  });

  test("an item cancelled twice (new key) is refused with the remote's message", async () => {
    fake.seedOrder("O7", [{ _id: "I", quantity: 1 }]);
    await cancelOrderItem(config(), { orderId: "O7", itemId: "I", idempotencyKey: "a" });
    expect(
      await cancelOrderItem(config(), { orderId: "O7", itemId: "I", idempotencyKey: "b" }),
    ).toMatchObject({
      kind: "rejected",
      message: "Order item I is already cancelled",
    });
  });

  test("a missing token is a credentials problem, nothing is sent", async () => {
    const answer = await cancelOrder(configFor(fake.url, {}), { orderId: "O", idempotencyKey: "L" });
    expect(answer).toMatchObject({ kind: "rejected", credentialsProblem: true });
    expect(fake.requests).toHaveLength(0);
  });

  test("dropshipMessage handles the usual shapes", () => {
    expect(dropshipMessage({ error: { message: "nested" } })).toBe("nested");
    expect(dropshipMessage("plain")).toBe("plain");
    expect(dropshipMessage({})).toBeNull();
  });

  test.each([
    ["{newItem}", { newItem: { _id: "N", quantity: 2 } }, "N"],
    ["the item itself", { _id: "N", quantity: 2, cancelled: false }, "N"],
    [
      "the order, new item appended",
      {
        _id: "O",
        items: [
          { _id: "X", quantity: 2 },
          { _id: "I", quantity: 5, cancelled: true },
          { _id: "N", quantity: 2 },
        ],
      },
      "N",
    ],
    ["nothing recognisable", { ok: true }, null],
  ])("newItemIdOf: %s", (_name, body, expected) => {
    expect(newItemIdOf(body, "I", 2)).toBe(expected);
  });
});

describe("dropship: transport failures are unavailable", () => {
  test("timeout", async () => {
    fake.setMode("hang");
    expect(await cancelOrder(config(200), { orderId: "O", idempotencyKey: "L" })).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: timed out after 200 ms",
    });
  });

  test("connection refused", async () => {
    const answer = await cancelOrderItem(configFor(await closedPortUrl(), { token: "t" }), {
      orderId: "O",
      itemId: "I",
      idempotencyKey: "L",
    });
    expect(answer).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: connection refused",
      notSent: true,
    });
  });

  test("connection dropped mid-response", async () => {
    fake.setMode("drop");
    expect(await cancelOrder(config(), { orderId: "O", idempotencyKey: "L" })).toEqual({
      kind: "unavailable",
      message: "Dropship API did not answer: connection dropped mid-response",
    });
  });
});
