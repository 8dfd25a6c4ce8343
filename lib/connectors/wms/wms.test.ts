import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import { closedPortUrl, configFor } from "../test-helpers";
import type { ConnectorAnswer, WarehouseCancelRequest as GateRequest } from "../types";
import { WMS_DOCUMENTED } from "./contract";
import { cancelSalesOrder, WMS_PARTIAL_MESSAGE, wmsGate, wmsMessage } from "./wms";

let fake: FakeWms;
const config = (timeoutMs = 2000) => configFor(fake.url, { apiKey: FAKE_WMS_API_KEY }, timeoutMs);
const input = {
  orderNo: "SO-000002-2",
  warehouseId: "TGR04",
  cancelReason: "CUSTOMER_CHANGED_MIND",
  idempotencyKey: "0d6c1f6e-ledger-1",
};
const gateRequest: GateRequest = {
  idempotencyKey: "0d6c1f6e-ledger-1",
  subOrderId: "SO-000002-2",
  warehouseExternalId: "TGR04",
  reasonCode: "CUSTOMER_CHANGED_MIND",
  reasonText: "Customer changed their mind",
  lines: [{ sku: "TSHIRT-M-RED", quantity: 2 }],
};

beforeAll(async () => {
  fake = await startFakeWms();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe("WMS cancel: the request", () => {
  test("is the documented PATCH with x-api-key and exactly the documented body", async () => {
    expect(await cancelSalesOrder(config(), input)).toEqual({ kind: "accepted" });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("PATCH");
    expect(request?.path).toBe("/v3/fulfillment/outbound/oms/cancel");
    expect(request?.headers).toMatchObject({
      "x-api-key": FAKE_WMS_API_KEY,
      "content-type": "application/json",
      "idempotency-key": "0d6c1f6e-ledger-1",
    });
    expect(request?.body).toEqual({
      data: {
        cancellation: {
          order_no: "SO-000002-2",
          cancel_reason: "CUSTOMER_CHANGED_MIND",
          warehouse_id: "TGR04",
        },
      },
    });
    expect(fake.cancelled.has("SO-000002-2")).toBe(true);
  });

  test("the document's own sample request is accepted by the fake", async () => {
    const answer = await cancelSalesOrder(config(), {
      orderNo: WMS_DOCUMENTED.sampleRequest.data.cancellation.order_no,
      warehouseId: WMS_DOCUMENTED.sampleRequest.data.cancellation.warehouse_id,
      cancelReason: WMS_DOCUMENTED.sampleRequest.data.cancellation.cancel_reason,
      idempotencyKey: "k",
    });
    expect(answer).toEqual({ kind: "accepted" });
    expect(fake.requests[0]?.body).toEqual(WMS_DOCUMENTED.sampleRequest);
  });

  test("cancel_reason is cut to the documented 50 characters", async () => {
    await cancelSalesOrder(config(), { ...input, cancelReason: "r".repeat(80) });
    const body = fake.requests[0]?.body as { data: { cancellation: { cancel_reason: string } } };
    expect(body.data.cancellation.cancel_reason).toBe("r".repeat(50));
  });

  test("the cut never leaves half of a character made of two UTF-16 units", async () => {
    await cancelSalesOrder(config(), { ...input, cancelReason: `${"r".repeat(49)}📦 damaged` });
    const body = fake.requests[0]?.body as { data: { cancellation: { cancel_reason: string } } };
    expect(body.data.cancellation.cancel_reason).toBe("r".repeat(49));
  });

  test.each([
    [{ orderNo: "x".repeat(51) }, /longer than the 50 characters/],
    [{ warehouseId: "W".repeat(21) }, /longer than the 20 characters/],
    [{ warehouseId: "" }, /no WMS warehouse_id/],
  ])("%o is refused before sending", async (override, message) => {
    const answer = await cancelSalesOrder(config(), { ...input, ...override });
    expect(answer).toMatchObject({
      kind: "rejected",
      code: "invalid_input",
      message: expect.stringMatching(message),
    });
    expect(fake.requests).toHaveLength(0);
  });

  test("a missing API key is a credentials problem, nothing is sent", async () => {
    const answer = await cancelSalesOrder(configFor(fake.url, {}), input);
    expect(answer).toMatchObject({ kind: "rejected", credentialsProblem: true });
    expect(fake.requests).toHaveLength(0);
  });

  test("a retry with the same ledger id is one delivery", async () => {
    await cancelSalesOrder(config(), input);
    await cancelSalesOrder(config(), input);
    expect(fake.requests).toHaveLength(2);
    expect(fake.distinctDeliveries).toBe(1);
    expect(fake.replays).toBe(1);
  });

  test("the same ledger id for a different request is refused by the fake (a caller bug)", async () => {
    await cancelSalesOrder(config(), input);
    expect(await cancelSalesOrder(config(), { ...input, orderNo: "SO-000003-1" })).toEqual({
      kind: "rejected",
      code: "http_422",
      message: "Idempotency-Key 0d6c1f6e-ledger-1 was already used for a different request",
    });
  });
});

describe("WMS cancel: every documented response", () => {
  test.each<[string, { status: number; body: unknown }, ConnectorAnswer]>([
    ["200", { status: 200, body: WMS_DOCUMENTED.ok200 }, { kind: "accepted" }],
    [
      "400 / 810",
      { status: 400, body: WMS_DOCUMENTED.invalidInput400 },
      { kind: "rejected", code: "810", message: "810: Invalid Input. Please Validate Your Input." },
    ],
    [
      "401 / 802 (its own shape)",
      { status: 401, body: WMS_DOCUMENTED.unauthorized401 },
      {
        kind: "rejected",
        code: "802",
        message: "802: Unauthorized Access. You are not authorized to access this resource.",
        credentialsProblem: true,
      },
    ],
    [
      "500 / 803",
      { status: 500, body: WMS_DOCUMENTED.internal500 },
      { kind: "unavailable", message: "WMS answered HTTP 500: 803: Internal Server error." },
    ],
    [
      "502 with an HTML body",
      { status: 502, body: undefined },
      { kind: "unavailable", message: "WMS answered HTTP 502: Bad Gateway" },
    ],
    [
      "409 in an undocumented shape",
      { status: 409, body: { message: "Order is being packed" } },
      { kind: "rejected", code: "http_409", message: "Order is being packed" },
    ],
    [
      "404 without a message",
      { status: 404, body: { metadata: { http_status_code: 404, http_status: "Not Found" } } },
      { kind: "rejected", code: "http_404", message: expect.stringMatching(/^WMS refused the request/) },
    ],
  ])("%s", async (_name, reply, expected) => {
    fake.respondOnce(
      reply.body === undefined
        ? {
            status: reply.status,
            raw: "<html><body><h1>Bad Gateway</h1></body></html>",
            contentType: "text/html",
          }
        : reply,
    );
    expect(await cancelSalesOrder(config(), input)).toEqual(expected);
  });

  test("the fake answers a wrong key with the documented 401 body, verbatim", async () => {
    const answer = await cancelSalesOrder(configFor(fake.url, { apiKey: "wrong-key" }), input);
    expect(answer).toMatchObject({ kind: "rejected", code: "802", credentialsProblem: true });
    expect(answer.kind === "rejected" && answer.message).not.toContain("wrong-key");
    expect(fake.distinctDeliveries).toBe(0);
  });

  test("the fake answers server errors with the documented 500 body", async () => {
    fake.setMode("error500");
    expect(await cancelSalesOrder(config(), input)).toEqual({
      kind: "unavailable",
      message: "WMS answered HTTP 500: 803: Internal Server error.",
    });
  });

  test("allocated stock is refused with the WMS's own message", async () => {
    fake.refuse("SO-000002-2");
    expect(await cancelSalesOrder(config(), input)).toEqual({
      kind: "rejected",
      code: "810",
      message: "810: Stock already allocated for order SO-000002-2",
    });
    expect(fake.cancelled.size).toBe(0);
  });

  test("several errors are joined", () => {
    expect(
      wmsMessage({
        metadata: { errors: [{ code: 810, message: "a" }, { code: 811, message: "b" }, { message: "c" }] },
      }),
    ).toBe("810: a; 811: b; c");
  });
});

describe("WMS cancel: transport failures are unavailable", () => {
  test("timeout (the WMS hangs)", async () => {
    fake.setMode("hang");
    expect(await cancelSalesOrder(config(200), input)).toEqual({
      kind: "unavailable",
      message: "WMS did not answer: timed out after 200 ms",
    });
  });

  test("connection refused", async () => {
    const answer = await cancelSalesOrder(configFor(await closedPortUrl(), { apiKey: "k" }), input);
    // Refused before anything was sent: the WMS cannot have acted on it.
    expect(answer).toEqual({
      kind: "unavailable",
      message: "WMS did not answer: connection refused",
      notSent: true,
    });
  });

  test("connection dropped mid-response (the WMS did cancel; the retry is recognised)", async () => {
    fake.setMode("drop");
    expect(await cancelSalesOrder(config(), input)).toEqual({
      kind: "unavailable",
      message: "WMS did not answer: connection dropped mid-response",
    });
    expect(fake.cancelled.has(input.orderNo)).toBe(true);
    fake.setMode("ok");
    expect(await cancelSalesOrder(config(), input)).toEqual({ kind: "accepted" });
    expect(fake.distinctDeliveries).toBe(1);
    expect(fake.replays).toBe(1);
  });

  test("connection reset on arrival", async () => {
    fake.setMode("down");
    expect(await cancelSalesOrder(config(), input)).toMatchObject({ kind: "unavailable" });
  });
});

describe("wmsGate", () => {
  test("a whole sub-order cancel asks the WMS with the reason's readable label, and is accepted", async () => {
    expect(await wmsGate(config())(gateRequest)).toEqual({ kind: "accepted" });
    expect(fake.requests[0]?.headers["idempotency-key"]).toBe(gateRequest.idempotencyKey);
    expect(fake.requests[0]?.body).toEqual({
      data: {
        cancellation: {
          order_no: "SO-000002-2",
          cancel_reason: "Customer changed their mind",
          warehouse_id: "TGR04",
        },
      },
    });
  });

  test("a label longer than the documented 50 characters is cut, and the fake accepts it", async () => {
    const reasonText = "Seller cannot fulfil: the supplier discontinued this article for good";
    expect(await wmsGate(config())({ ...gateRequest, reasonText })).toEqual({ kind: "accepted" });
    const body = fake.requests[0]?.body as { data: { cancellation: { cancel_reason: string } } };
    expect(body.data.cancellation.cancel_reason).toBe(reasonText.slice(0, 50));
  });

  test("an empty label falls back to the code: cancel_reason is mandatory", async () => {
    await wmsGate(config())({ ...gateRequest, reasonText: "  " });
    const body = fake.requests[0]?.body as { data: { cancellation: { cancel_reason: string } } };
    expect(body.data.cancellation.cancel_reason).toBe("CUSTOMER_CHANGED_MIND");
  });

  test("a refusal becomes a rejected gate answer with the WMS's message", async () => {
    fake.refuse("SO-000002-2");
    expect(await wmsGate(config())(gateRequest)).toEqual({
      kind: "rejected",
      code: "810",
      message: "810: Stock already allocated for order SO-000002-2",
    });
  });

  test("a timeout becomes an unavailable gate answer", async () => {
    fake.setMode("hang");
    expect(await wmsGate(config(200))(gateRequest)).toEqual({
      kind: "unavailable",
      message: "WMS did not answer: timed out after 200 ms",
    });
  });

  test("a partial cancel is refused without calling the WMS", async () => {
    expect(await wmsGate(config())({ ...gateRequest, partial: true })).toEqual({
      kind: "rejected",
      code: "partial",
      message: WMS_PARTIAL_MESSAGE,
    });
    expect(fake.requests).toHaveLength(0);
  });

  test("a warehouse without external id is refused without calling the WMS", async () => {
    expect(await wmsGate(config())({ ...gateRequest, warehouseExternalId: null })).toMatchObject({
      kind: "rejected",
    });
    expect(fake.requests).toHaveLength(0);
  });
});
