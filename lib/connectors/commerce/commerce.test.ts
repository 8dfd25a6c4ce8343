import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  FAKE_COMMERCE_TOKEN,
  type FakeCommerce,
  orderItemNotFoundMessage,
  orderNotCancellableMessage,
  startFakeCommerce,
} from "@/dev/fakes/commerce";
import { closedPortUrl, configFor } from "../test-helpers";
import type { ConnectorAnswer } from "../types";
import {
  type CommerceCancelInput,
  cancelCommerceOrder,
  commerceIdOf,
  commerceMessage,
  parseCommerceOrderId,
} from "./commerce";

let fake: FakeCommerce;
const config = (timeoutMs = 2000) => configFor(fake.url, { token: FAKE_COMMERCE_TOKEN }, timeoutMs);
const partial: CommerceCancelInput = {
  orderId: 40010000,
  all: false,
  items: [17, 18],
  reasons: { "17": 3, "18": 3 },
  cargoRefund: false,
  idempotencyKey: "ledger-1",
};

beforeAll(async () => {
  fake = await startFakeCommerce();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.seedOrder(40010000, [{ id: 17 }, { id: 18 }]);
});

describe("commerce: the request", () => {
  test("a partial cancel posts the documented body with the Token header", async () => {
    expect(await cancelCommerceOrder(config(), partial)).toEqual({ kind: "accepted" });
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/api/i1/orders/40010000/cancel/");
    expect(request?.headers).toMatchObject({
      authorization: `Token ${FAKE_COMMERCE_TOKEN}`,
      "content-type": "application/json",
      "idempotency-key": "ledger-1",
    });
    expect(request?.body).toEqual({
      order: 40010000,
      is_all: false,
      cancel_items: [17, 18],
      forced_refund_amount: null,
      reasons: { "17": 3, "18": 3 },
      is_cargo_refund: false,
    });
    // forced_refund_amount "default null must be sent": present, not omitted.
    expect(request?.rawBody).toContain('"forced_refund_amount":null');
  });

  test("is_cargo_refund carries the channel's setting", async () => {
    expect(await cancelCommerceOrder(config(), { ...partial, cargoRefund: true })).toEqual({
      kind: "accepted",
    });
    expect(fake.requests[0]?.body).toMatchObject({ is_cargo_refund: true });
  });

  test("a whole-order cancel sends is_all with an empty cancel_items list", async () => {
    expect(await cancelCommerceOrder(config(), { ...partial, all: true })).toEqual({ kind: "accepted" });
    expect(fake.requests[0]?.body).toMatchObject({ is_all: true, cancel_items: [] });
    expect(fake.orders.get(40010000)?.allCancelled).toBe(true);
  });

  test.each([
    [{ orderId: 0 }, /not a positive integer/],
    [{ orderId: 1.5 }, /not a positive integer/],
    [{ items: [] }, /No order items/],
  ])("%o is refused before sending", async (override, message) => {
    const answer = await cancelCommerceOrder(config(), { ...partial, ...override });
    expect(answer).toMatchObject({ kind: "rejected", message: expect.stringMatching(message) });
    expect(fake.requests).toHaveLength(0);
  });

  test("a retry with the same ledger id is one delivery", async () => {
    await cancelCommerceOrder(config(), partial);
    expect(await cancelCommerceOrder(config(), partial)).toEqual({ kind: "accepted" });
    expect(fake.distinctDeliveries).toBe(1);
  });
});

describe("commerce: 4xx bodies become one readable rejection", () => {
  test.each<[string, { status: number; body: unknown }, ConnectorAnswer]>([
    [
      "{detail}",
      { status: 404, body: { detail: "Not found." } },
      { kind: "rejected", code: "http_404", message: "Not found." },
    ],
    [
      "{non_field_errors}",
      { status: 400, body: { non_field_errors: ["Order is shipped.", "Refund is not possible."] } },
      { kind: "rejected", code: "http_400", message: "Order is shipped. Refund is not possible." },
    ],
    [
      "field errors",
      {
        status: 400,
        body: { cancel_items: ["This field is required."], order: ["A valid integer is required."] },
      },
      {
        kind: "rejected",
        code: "http_400",
        message: "cancel_items: This field is required.; order: A valid integer is required.",
      },
    ],
    [
      "nested field errors and general first",
      { status: 400, body: { reasons: { "17": ["Invalid reason."] }, non_field_errors: ["Cannot cancel."] } },
      { kind: "rejected", code: "http_400", message: "Cannot cancel.; reasons.17: Invalid reason." },
    ],
    [
      "a bare list",
      { status: 400, body: ["Some error"] },
      { kind: "rejected", code: "http_400", message: "Some error" },
    ],
    [
      "401 {detail}",
      { status: 401, body: { detail: "Invalid token." } },
      { kind: "rejected", code: "http_401", message: "Invalid token.", credentialsProblem: true },
    ],
    [
      "403 {detail}",
      { status: 403, body: { detail: "You do not have permission to perform this action." } },
      {
        kind: "rejected",
        code: "http_403",
        message: "You do not have permission to perform this action.",
        credentialsProblem: true,
      },
    ],
  ])("%s", async (_name, reply, expected) => {
    fake.respondOnce(reply);
    expect(await cancelCommerceOrder(config(), partial)).toEqual(expected);
  });

  test("the fake's own answers: refusal, validation, wrong token, no token", async () => {
    fake.refuse(40010000);
    expect(await cancelCommerceOrder(config(), partial)).toEqual({
      kind: "rejected",
      code: "http_400",
      message: orderNotCancellableMessage(40010000),
    });
    fake.allow(40010000);
    expect(await cancelCommerceOrder(config(), { ...partial, reasons: { "17": 3 } })).toEqual({
      kind: "rejected",
      code: "http_400",
      message: "reasons: A reason is required for order item 18.",
    });
    expect(await cancelCommerceOrder(configFor(fake.url, { token: "bad-token" }), partial)).toEqual({
      kind: "rejected",
      code: "http_401",
      message: "Invalid token.",
      credentialsProblem: true,
    });
  });

  test("unknown orders and order items are 404s, and reasons must name exactly the cancelled items", async () => {
    expect(await cancelCommerceOrder(config(), { ...partial, orderId: 40010099 })).toEqual({
      kind: "rejected",
      code: "http_404",
      message: "Not found.",
    });
    expect(
      await cancelCommerceOrder(config(), { ...partial, items: [17, 99], reasons: { "17": 3, "99": 3 } }),
    ).toEqual({ kind: "rejected", code: "http_404", message: orderItemNotFoundMessage(40010000, "99") });
    expect(await cancelCommerceOrder(config(), { ...partial, items: [17] })).toEqual({
      kind: "rejected",
      code: "http_400",
      message: "reasons: Order item 18 is not being cancelled.",
    });
    expect(fake.orders.get(40010000)?.items.every((i) => !i.cancelled)).toBe(true);
    expect(fake.orders.has(40010099)).toBe(false);
  });

  test("cancelling the same items again (new ledger id) is refused by the platform", async () => {
    await cancelCommerceOrder(config(), partial);
    expect(await cancelCommerceOrder(config(), { ...partial, idempotencyKey: "ledger-2" })).toEqual({
      kind: "rejected",
      code: "http_400",
      message: "cancel_items: Order item 17 is already cancelled. Order item 18 is already cancelled.",
    });
  });

  test("commerceMessage of nothing readable is null", () => {
    expect(commerceMessage(undefined)).toBeNull();
    expect(commerceMessage({})).toBeNull();
  });
});

describe("commerce: transient failures are unavailable", () => {
  test("500 with Django's HTML page", async () => {
    fake.setMode("error500");
    expect(await cancelCommerceOrder(config(), partial)).toEqual({
      kind: "unavailable",
      message: "Commerce platform answered HTTP 500: Server Error (500)",
    });
  });

  test("timeout", async () => {
    fake.setMode("hang");
    expect(await cancelCommerceOrder(config(200), partial)).toEqual({
      kind: "unavailable",
      message: "Commerce platform did not answer: timed out after 200 ms",
    });
  });

  test("connection refused", async () => {
    expect(await cancelCommerceOrder(configFor(await closedPortUrl(), { token: "t" }), partial)).toEqual({
      kind: "unavailable",
      message: "Commerce platform did not answer: connection refused",
      notSent: true,
    });
  });

  test("connection dropped mid-response", async () => {
    fake.setMode("drop");
    expect(await cancelCommerceOrder(config(), partial)).toEqual({
      kind: "unavailable",
      message: "Commerce platform did not answer: connection dropped mid-response",
    });
  });
});

describe("commerce ids", () => {
  test.each([
    ["40010000", 40010000],
    ["12", 12],
    // Only the channel's own id is read; nothing is cut out of an order number people read.
    ["NW-40010000", null],
    [" 12 ", null],
    ["12.0", null],
    ["ABC", null],
    ["", null],
    ["0", null],
    ["99999999999999999999", null],
  ])("parseCommerceOrderId(%j) = %s", (input, expected) => {
    expect(parseCommerceOrderId(input)).toBe(expected);
  });

  test.each([
    ["17", 17],
    ["SKU-1", "SKU-1"],
    ["CUSTOMER_CHANGED_MIND", "CUSTOMER_CHANGED_MIND"],
  ])("commerceIdOf(%s) = %s", (input, expected) => {
    expect(commerceIdOf(input)).toBe(expected);
  });
});
