/**
 * The orders API through its real handlers, API key and database: order intake and warehouse
 * events to build orders, GET /orders (cursor-paged search) and GET /orders/{id}, POST
 * /orders/{id}/cancel across sub-orders, and POST /sub-orders/{id}/lines/{sku}/cancel by units to
 * cancel or to keep. Every answer is checked against its operation's own zod schema (success) or
 * the problem details schema with a code the operation declares (error).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { z } from "zod";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import type { Db } from "@/db/client";
import { getOrderDetail } from "@/db/queries/order-detail";
import { channels } from "@/db/schema";
import { seedDemoUsers } from "@/db/seed-users";
import { errorsOf, type Operation } from "@/lib/api/contract/operation";
import { putChannelOrder, receiveWarehouseEvent } from "@/lib/api/contract/operations/intake";
import { cancelLineItem, cancelOrder, getOrder, listOrders } from "@/lib/api/contract/operations/orders";
import { PROBLEM_CONTENT_TYPE, problemSchema } from "@/lib/api/problem";
import { createApiKey } from "@/lib/auth/api-keys";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase } from "@/test/database";
import {
  insertBulkSubOrders,
  insertReferenceData,
  ledgerReport,
  readLines,
  TEST_REASON,
} from "@/test/fixtures";
import { PUT as putOrderRoute } from "../channels/[channelId]/orders/[channelOrderId]/route";
import { POST as cancelLineRoute } from "../sub-orders/[id]/lines/[sku]/cancel/route";
import { POST as eventRoute } from "../warehouses/[warehouseId]/events/route";
import { POST as cancelOrderRoute } from "./[id]/cancel/route";
import { GET as getOrderRoute } from "./[id]/route";
import { GET as listOrdersRoute } from "./route";

let secret: string;

beforeAll(async () => {
  state.database = await createTestDatabase();
  await seedDemoUsers(state.database.db);
  await insertReferenceData(state.database.db);
  await state.database.db.insert(channels).values([
    { id: "CH-WHOLE", name: "Whole lines channel", partialQuantities: false },
    { id: "CH-LIST", name: "Listing channel" },
  ]);
  ({ secret } = await createApiKey(
    { name: "ERP", scopes: ["read", "cancel", "orders:write"], createdBy: "demo-admin" },
    state.database.db,
  ));
});
afterAll(() => state.database?.drop());

function db() {
  if (!state.database) throw new Error("no database");
  return state.database.db;
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// biome-ignore lint/suspicious/noExplicitAny: answers are checked against their schemas in call(), then read freely
type Answer = { status: number; body: any; headers: Headers };

/** Calls a route handler as an integration would, and checks the answer against the operation. */
async function call(
  operation: Operation,
  handler: Handler,
  options: { path: string; params?: Record<string, string>; body?: unknown; key?: string },
): Promise<Answer> {
  const headers = new Headers({ authorization: `Bearer ${secret}` });
  if (options.body !== undefined) headers.set("content-type", "application/json");
  if (options.key) headers.set("idempotency-key", options.key);
  const response = await handler(
    new Request(`http://localhost:3000/api/v1${options.path}`, {
      method: operation.method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    }),
    { params: Promise.resolve(options.params ?? {}) },
  );
  const answer = { status: response.status, body: await response.json(), headers: response.headers };
  if (answer.status < 400) {
    const schema = operation.responses[answer.status as 200 | 201 | 202]?.schema as z.ZodType | undefined;
    expect(schema, `${operation.operationId} documents ${answer.status}`).toBeDefined();
    // The schemas are strict about keys in the document; here, parsing drops unknown ones.
    expect(schema?.parse(answer.body)).toEqual(answer.body);
  } else {
    expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(problemSchema.parse(answer.body)).toEqual(answer.body);
    expect(answer.body.status).toBe(answer.status);
    expect(errorsOf(operation), `${operation.operationId} declares ${answer.body.code}`).toContain(
      answer.body.code,
    );
  }
  return answer;
}

type IntakeLine = { sku: string; quantity: number; unitPriceMinor?: number };

async function putOrder(
  channelId: string,
  channelOrderId: string,
  subOrders: { id: string; lines: IntakeLine[] }[],
): Promise<Answer> {
  return call(putChannelOrder, putOrderRoute, {
    path: `/channels/${channelId}/orders/${channelOrderId}`,
    params: { channelId, channelOrderId },
    body: {
      orderNumber: channelOrderId,
      currency: "EUR",
      customerName: "Ada Lovelace",
      subOrders: subOrders.map((s) => ({
        id: s.id,
        warehouseId: "WH-MANUAL",
        lines: s.lines.map((l) => ({ unitPriceMinor: 1000, ...l })),
      })),
    },
  });
}

/** Creates an order (201) and answers its id. */
async function newOrder(channelId: string, number: string, subOrders: { id: string; lines: IntakeLine[] }[]) {
  const created = await putOrder(channelId, number, subOrders);
  expect(created.status).toBe(201);
  return created.body.data.id as string;
}

let eventSeq = 0;
function event(
  type: "allocated" | "shipped",
  subOrderId: string,
  lines: { sku: string; quantity: number }[],
) {
  eventSeq += 1;
  return call(receiveWarehouseEvent, eventRoute, {
    path: "/warehouses/WH-MANUAL/events",
    params: { warehouseId: "WH-MANUAL" },
    body: {
      eventId: `orders-api-${eventSeq}`,
      type,
      subOrderId,
      lines,
      ...(type === "shipped" ? { shipment: { reference: `ASN-${eventSeq}`, carrier: "DHL" } } : {}),
    },
  });
}

const cancelOrderCall = (orderId: string, body: unknown, key?: string) =>
  call(cancelOrder, cancelOrderRoute, {
    path: `/orders/${orderId}/cancel`,
    params: { id: orderId },
    body,
    key,
  });

const cancelLineCall = (subOrderId: string, sku: string, body: unknown, key?: string) =>
  call(cancelLineItem, cancelLineRoute, {
    path: `/sub-orders/${subOrderId}/lines/${sku}/cancel`,
    params: { id: subOrderId, sku },
    body,
    key,
  });

const getOrderCall = (orderId: string) =>
  call(getOrder, getOrderRoute, { path: `/orders/${orderId}`, params: { id: orderId } });

const listOrdersCall = (query: string) => call(listOrders, listOrdersRoute, { path: `/orders?${query}` });

async function cancelledOf(subOrderId: string) {
  return (await readLines(db(), subOrderId)).map((l) => [l.sku, l.cancelled, l.pendingCancel]);
}

async function ledgerEntries(subOrderIds: string[]): Promise<number> {
  const [row] = (
    await db().execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM cancellations WHERE sub_order_id = ANY(${sql.param(subOrderIds)}::text[])`,
    )
  ).rows;
  return row?.n ?? 0;
}

describe("intake and warehouse events, as problem details when refused", () => {
  test("PUT creates (201) then updates (200); events apply (200); refusals are problems naming the field", async () => {
    const id = await newOrder("CH-TEST", "PO-INTAKE-1", [
      { id: "SO-IN-1", lines: [{ sku: "A", quantity: 3 }] },
    ]);
    const again = await putOrder("CH-TEST", "PO-INTAKE-1", [
      { id: "SO-IN-1", lines: [{ sku: "A", quantity: 3 }] },
    ]);
    expect(again).toMatchObject({
      status: 200,
      body: { ok: true, data: { id, subOrders: [{ id: "SO-IN-1" }] } },
    });

    const shipped = await event("shipped", "SO-IN-1", [{ sku: "A", quantity: 1 }]);
    expect(shipped).toMatchObject({
      status: 200,
      body: {
        data: { type: "shipped", exception: null, fillOrKill: null, subOrder: { lines: [{ fulfilled: 1 }] } },
      },
    });
    const below = await putOrder("CH-TEST", "PO-INTAKE-1", [
      { id: "SO-IN-1", lines: [{ sku: "A", quantity: 0 }] },
    ]);
    expect(below).toMatchObject({ status: 409, body: { code: "QUANTITY_CONFLICT" } });

    const bad = await call(receiveWarehouseEvent, eventRoute, {
      path: "/warehouses/WH-MANUAL/events",
      params: { warehouseId: "WH-MANUAL" },
      body: { eventId: "bad-1", type: "shipped", subOrderId: "SO-IN-1", lines: [{ sku: "A", quantity: 1 }] },
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { code: "INVALID_INPUT", detail: /^shipment: /, errors: [{ field: "shipment" }] },
    });
    const unknown = await event("allocated", "SO-NOPE", [{ sku: "A", quantity: 1 }]);
    expect(unknown).toMatchObject({ status: 404, body: { code: "SUB_ORDER_NOT_FOUND" } });
  });
});

describe("GET /orders/{id}", () => {
  test("sub-orders, lines with every quantity, and the history; an unknown order is a 404", async () => {
    const id = await newOrder("CH-TEST", "PO-DETAIL-1", [
      {
        id: "SO-DET-1",
        lines: [
          { sku: "A", quantity: 2 },
          { sku: "B", quantity: 1 },
        ],
      },
      { id: "SO-DET-2", lines: [{ sku: "C", quantity: 4, unitPriceMinor: 250 }] },
    ]);
    await event("allocated", "SO-DET-2", [{ sku: "C", quantity: 1 }]);
    expect((await cancelLineCall("SO-DET-1", "B", { reasonCode: TEST_REASON, quantity: 1 })).status).toBe(
      200,
    );

    const detail = await getOrderCall(id);
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({
      id,
      orderNumber: "PO-DETAIL-1",
      channel: { id: "CH-TEST", partialQuantities: true },
      subOrders: [
        {
          id: "SO-DET-1",
          status: "partially_cancelled",
          lines: [
            { sku: "A", ordered: 2, cancelled: 0, cancellable: 2 },
            { sku: "B", ordered: 1, cancelled: 1, cancellable: 0 },
          ],
        },
        {
          id: "SO-DET-2",
          status: "in_processing",
          lines: [{ sku: "C", ordered: 4, processing: 1, cancellable: 3, unitPriceMinor: 250 }],
        },
      ],
      exceptions: [],
    });
    const kinds = detail.body.data.history.map((h: { kind: string }) => h.kind);
    expect(kinds).toEqual(expect.arrayContaining(["placed", "intake", "warehouse_event", "cancellation"]));
    expect(detail.body.data.history.find((h: { kind: string }) => h.kind === "cancellation")).toMatchObject({
      units: 1,
      valueMinor: 1000,
      status: "CONFIRMED",
    });

    // Integrations see staff by user id, never by email; the panel's own page shows the email.
    const byStaff = await cancelSubOrder(state.database?.db as Db, {
      subOrderId: "SO-DET-2",
      mode: "unfulfilled_only",
      reasonCode: TEST_REASON,
      actor: { type: "user", id: "demo-ops" },
      source: "single",
    });
    expect(byStaff.ok).toBe(true);
    const history = JSON.stringify((await getOrderCall(id)).body.data.history);
    expect(history).toContain("user demo-ops");
    expect(history).not.toContain("ops@demo.test");
    const page = await getOrderDetail(state.database?.db as Db, id);
    expect(JSON.stringify(page?.timeline)).toContain("ops@demo.test");

    const missing = await getOrderCall("ORD-NOPE");
    expect(missing).toMatchObject({
      status: 404,
      body: { code: "ORDER_NOT_FOUND", detail: "Order ORD-NOPE does not exist" },
    });
  });
});

describe("POST /orders/{id}/cancel", () => {
  test("strict: each sub-order whole or refused, one result per sub-order, 200", async () => {
    const id = await newOrder("CH-TEST", "PO-STRICT-1", [
      {
        id: "SO-STR-1",
        lines: [
          { sku: "A", quantity: 2 },
          { sku: "B", quantity: 1 },
        ],
      },
      { id: "SO-STR-2", lines: [{ sku: "C", quantity: 3 }] },
    ]);
    await event("shipped", "SO-STR-2", [{ sku: "C", quantity: 1 }]);

    const answer = await cancelOrderCall(id, { reasonCode: TEST_REASON });
    expect(answer).toMatchObject({
      status: 200,
      body: {
        ok: true,
        data: {
          orderId: id,
          units: 3,
          subOrders: [
            { subOrderId: "SO-STR-1", status: "SUCCESS", units: 3 },
            {
              subOrderId: "SO-STR-2",
              status: "ERROR",
              units: 0,
              code: "PARTIALLY_FULFILLED",
              message: /SKU C/,
            },
          ],
        },
      },
    });
    expect(await cancelledOf("SO-STR-1")).toEqual([
      ["A", 2, 0],
      ["B", 1, 0],
    ]);
    expect(await cancelledOf("SO-STR-2")).toEqual([["C", 0, 0]]);
  });

  test("unfulfilledOnly: what is not shipped or in processing, on every sub-order", async () => {
    const id = await newOrder("CH-TEST", "PO-UNF-1", [
      { id: "SO-UNF-1", lines: [{ sku: "A", quantity: 2 }] },
      { id: "SO-UNF-2", lines: [{ sku: "C", quantity: 5 }] },
    ]);
    await event("shipped", "SO-UNF-2", [{ sku: "C", quantity: 1 }]);
    await event("allocated", "SO-UNF-2", [{ sku: "C", quantity: 1 }]);

    const answer = await cancelOrderCall(id, { reasonCode: TEST_REASON, unfulfilledOnly: true });
    expect(answer.body.data).toEqual({
      orderId: id,
      units: 5,
      subOrders: [
        { subOrderId: "SO-UNF-1", status: "SUCCESS", units: 2 },
        { subOrderId: "SO-UNF-2", status: "SUCCESS", units: 3 },
      ],
    });
    expect(await cancelledOf("SO-UNF-2")).toEqual([["C", 3, 0]]);
    // Again: nothing is left, each sub-order says why.
    const again = await cancelOrderCall(id, { reasonCode: TEST_REASON, unfulfilledOnly: true });
    expect(again.body.data.subOrders.map((s: { code: string }) => s.code)).toEqual([
      "ALREADY_CANCELLED",
      "NOTHING_CANCELLABLE",
    ]);
  });

  test("one Idempotency-Key: simultaneous and later replays get the same answer, one cancellation per sub-order", async () => {
    const id = await newOrder("CH-TEST", "PO-IDEM-1", [
      { id: "SO-IDM-1", lines: [{ sku: "A", quantity: 2 }] },
      { id: "SO-IDM-2", lines: [{ sku: "B", quantity: 1 }] },
    ]);
    const body = { reasonCode: TEST_REASON };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => cancelOrderCall(id, body, "order-key-1")),
    );
    const [first] = answers;
    expect(first).toMatchObject({ status: 200, body: { data: { units: 3 } } });
    for (const answer of answers)
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: first?.status,
        body: first?.body,
      });
    const later = await cancelOrderCall(id, body, "order-key-1");
    expect({ status: later.status, body: later.body }).toEqual({ status: first?.status, body: first?.body });
    expect(later.headers.get("idempotent-replayed")).toBe("true");
    expect(await ledgerEntries(["SO-IDM-1", "SO-IDM-2"])).toBe(2);

    const reused = await cancelOrderCall(
      id,
      { reasonCode: TEST_REASON, unfulfilledOnly: true },
      "order-key-1",
    );
    expect(reused).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED" } });
    expect(await ledgerEntries(["SO-IDM-1", "SO-IDM-2"])).toBe(2);
    expect(await ledgerReport(db())).toEqual({ mismatchedLines: [], reservedUnits: 0, pendingEntries: 0 });
  });

  test("an unknown order (404), an unknown reason (422) or a bad body (400) cancels nothing", async () => {
    const id = await newOrder("CH-TEST", "PO-REFUSE-1", [
      { id: "SO-REF-1", lines: [{ sku: "A", quantity: 2 }] },
    ]);
    expect(await cancelOrderCall("ORD-NOPE", { reasonCode: TEST_REASON })).toMatchObject({
      status: 404,
      body: { code: "ORDER_NOT_FOUND" },
    });
    expect(await cancelOrderCall(id, { reasonCode: "RETIRED" })).toMatchObject({
      status: 422,
      body: { code: "REASON_NOT_FOUND", detail: /RETIRED/ },
    });
    expect(await cancelOrderCall(id, { reasonCode: TEST_REASON, unfulfilledOnly: "yes" })).toMatchObject({
      status: 400,
      body: { code: "INVALID_INPUT", errors: [{ field: "unfulfilledOnly" }] },
    });
    expect(await cancelOrderCall(id, { reasonCode: TEST_REASON, mode: "strict" })).toMatchObject({
      status: 400,
      body: { code: "INVALID_INPUT" },
    });
    expect(await ledgerEntries(["SO-REF-1"])).toBe(0);
  });
});

describe("POST /sub-orders/{id}/lines/{sku}/cancel", () => {
  test("quantity cancels that many; newQuantity keeps that many of what is left", async () => {
    await newOrder("CH-TEST", "PO-LINE-1", [
      {
        id: "SO-LIN-1",
        lines: [
          { sku: "A", quantity: 5 },
          { sku: "B", quantity: 6 },
        ],
      },
    ]);
    const two = await cancelLineCall("SO-LIN-1", "A", { reasonCode: TEST_REASON, quantity: 2 });
    expect(two).toMatchObject({
      status: 200,
      body: {
        data: { subOrderId: "SO-LIN-1", units: 2, lines: [{ sku: "A", quantity: 2 }], status: "CONFIRMED" },
      },
    });
    // 5 ordered, 2 cancelled: 3 left; keep 1, so 2 more go.
    const keepOne = await cancelLineCall("SO-LIN-1", "A", { reasonCode: TEST_REASON, newQuantity: 1 });
    expect(keepOne).toMatchObject({
      status: 200,
      body: { data: { units: 2, lines: [{ sku: "A", quantity: 2 }] } },
    });
    expect(await cancelledOf("SO-LIN-1")).toEqual([
      ["A", 4, 0],
      ["B", 0, 0],
    ]);

    // B: 6 ordered, 2 shipped; keeping 3 cancels 3 (shipped units count among those kept).
    await event("shipped", "SO-LIN-1", [{ sku: "B", quantity: 2 }]);
    const keepThree = await cancelLineCall("SO-LIN-1", "B", { reasonCode: TEST_REASON, newQuantity: 3 });
    expect(keepThree).toMatchObject({ status: 200, body: { data: { units: 3 } } });
    // 3 left of which 2 shipped: keeping only 1 would cancel a shipped unit.
    expect(await cancelLineCall("SO-LIN-1", "B", { reasonCode: TEST_REASON, newQuantity: 1 })).toMatchObject({
      status: 409,
      body: { code: "QUANTITY_EXCEEDS_CANCELLABLE", lineErrors: [{ sku: "B" }] },
    });
    // Keeping all that is left, or more, is not a cancellation.
    expect(await cancelLineCall("SO-LIN-1", "B", { reasonCode: TEST_REASON, newQuantity: 3 })).toMatchObject({
      status: 422,
      body: { code: "INVALID_QUANTITY", detail: /^newQuantity: SKU B keeps 3 units already/ },
    });
    expect(await cancelLineCall("SO-LIN-1", "B", { reasonCode: TEST_REASON, newQuantity: 9 })).toMatchObject({
      status: 422,
      body: { code: "INVALID_QUANTITY", detail: /^newQuantity: 9 is more than the 3 units/ },
    });
    expect(await cancelledOf("SO-LIN-1")).toEqual([
      ["A", 4, 0],
      ["B", 3, 0],
    ]);
  });

  test("exactly one of quantity and newQuantity; unknown lines, sub-orders and reasons", async () => {
    await newOrder("CH-TEST", "PO-LINE-2", [{ id: "SO-LIN-2", lines: [{ sku: "A", quantity: 2 }] }]);
    expect(
      await cancelLineCall("SO-LIN-2", "A", { reasonCode: TEST_REASON, quantity: 1, newQuantity: 1 }),
    ).toMatchObject({ status: 400, body: { code: "INVALID_INPUT", errors: [{ field: "newQuantity" }] } });
    expect(await cancelLineCall("SO-LIN-2", "A", { reasonCode: TEST_REASON })).toMatchObject({
      status: 400,
      body: { errors: [{ field: "quantity", message: /exactly one of quantity/ }] },
    });
    expect(await cancelLineCall("SO-LIN-2", "A", { reasonCode: TEST_REASON, quantity: 0 })).toMatchObject({
      status: 400,
      body: { errors: [{ field: "quantity" }] },
    });
    expect(await cancelLineCall("SO-LIN-2", "Z", { reasonCode: TEST_REASON, newQuantity: 0 })).toMatchObject({
      status: 422,
      body: { code: "LINE_ITEM_NOT_FOUND" },
    });
    expect(await cancelLineCall("SO-LIN-2", "Z", { reasonCode: TEST_REASON, quantity: 1 })).toMatchObject({
      status: 422,
      body: { code: "LINE_ITEM_NOT_FOUND" },
    });
    expect(await cancelLineCall("SO-NOPE", "A", { reasonCode: TEST_REASON, quantity: 1 })).toMatchObject({
      status: 404,
      body: { code: "SUB_ORDER_NOT_FOUND" },
    });
    expect(await cancelLineCall("SO-LIN-2", "A", { reasonCode: "RETIRED", newQuantity: 0 })).toMatchObject({
      status: 422,
      body: { code: "REASON_NOT_FOUND" },
    });
    expect(await cancelLineCall("SO-LIN-2", "A", { reasonCode: TEST_REASON, newQuantity: 0 })).toMatchObject({
      status: 200,
      body: { data: { units: 2 } },
    });
    expect(await cancelLineCall("SO-LIN-2", "A", { reasonCode: TEST_REASON, newQuantity: 0 })).toMatchObject({
      status: 409,
      body: { code: "ALREADY_CANCELLED" },
    });
  });

  test("a whole-lines-only channel refuses part of a line before anything is reserved, and takes all of it", async () => {
    await newOrder("CH-WHOLE", "PO-WHOLE-1", [{ id: "SO-WHL-1", lines: [{ sku: "A", quantity: 4 }] }]);
    for (const body of [
      { reasonCode: TEST_REASON, quantity: 1 },
      { reasonCode: TEST_REASON, newQuantity: 2 },
    ]) {
      expect(await cancelLineCall("SO-WHL-1", "A", body)).toMatchObject({
        status: 409,
        body: {
          code: "WHOLE_LINES_ONLY",
          detail: /Whole lines channel cancels whole lines only/,
          lineErrors: [{ sku: "A", code: "WHOLE_LINES_ONLY" }],
        },
      });
    }
    expect(await cancelledOf("SO-WHL-1")).toEqual([["A", 0, 0]]);
    expect(await ledgerEntries(["SO-WHL-1"])).toBe(0);

    const all = await cancelLineCall("SO-WHL-1", "A", { reasonCode: TEST_REASON, newQuantity: 0 }, "whole-1");
    expect(all).toMatchObject({ status: 200, body: { data: { units: 4 } } });
    // The same key again: the same answer, nothing more cancelled.
    const replay = await cancelLineCall(
      "SO-WHL-1",
      "A",
      { reasonCode: TEST_REASON, newQuantity: 0 },
      "whole-1",
    );
    expect({ status: replay.status, body: replay.body }).toEqual({ status: all.status, body: all.body });
    expect(await ledgerEntries(["SO-WHL-1"])).toBe(1);
  });
});

describe("GET /orders", () => {
  test("cursor pages cover the search once, in order, across the query's own pages", async () => {
    await insertBulkSubOrders(db(), "PAGED", 60);
    const everything = await listOrdersCall("q=ORD-PAGED-&limit=50");
    expect(everything.body.data).toHaveLength(50);
    expect(everything.body.capped).toBe(false);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `q=ORD-PAGED-&limit=40${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await listOrdersCall(query);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    // Newest first, then by id: created together, these come in descending id order.
    expect(seen).toEqual([...seen].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(seen.slice(0, 50)).toEqual(everything.body.data.map((r: { id: string }) => r.id));

    const smaller: string[] = [];
    cursor = null;
    do {
      const page: Answer = await listOrdersCall(`q=ORD-PAGED-&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      smaller.push(...page.body.data.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(smaller).toEqual(seen);
  });

  test("filters, and the rows' quantities and derived status", async () => {
    const one = await newOrder("CH-LIST", "PO-LIST-1", [
      { id: "SO-LST-1", lines: [{ sku: "A", quantity: 2 }] },
    ]);
    const two = await newOrder("CH-LIST", "PO-LIST-2", [
      { id: "SO-LST-2", lines: [{ sku: "A", quantity: 3 }] },
    ]);
    await cancelOrderCall(two, { reasonCode: TEST_REASON });
    const all = await listOrdersCall("channel=CH-LIST");
    expect(all.body).toMatchObject({ ok: true, nextCursor: null, capped: false });
    expect(all.body.data).toHaveLength(2);
    expect(new Set(all.body.data.map((r: { id: string }) => r.id))).toEqual(new Set([one, two]));
    const cancelled = await listOrdersCall("channel=CH-LIST&status=cancelled");
    expect(cancelled.body.data).toEqual([
      expect.objectContaining({
        id: two,
        orderNumber: "PO-LIST-2",
        channelName: "Listing channel",
        subOrders: 1,
        ordered: 3,
        cancelled: 3,
        status: "cancelled",
        openExceptions: 0,
      }),
    ]);
    expect((await listOrdersCall("channel=CH-LIST&exceptions=true")).body.data).toEqual([]);
    expect(
      (await listOrdersCall("channel=CH-LIST&q=PO-LIST-1")).body.data.map((r: { id: string }) => r.id),
    ).toEqual([one]);
  });

  test("a cursor that is not this search's nextCursor, or a bad limit, is a 400 naming the field", async () => {
    const first = await listOrdersCall("q=ORD-PAGED-&limit=5");
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    for (const query of [
      "cursor=nope",
      `cursor=${cursor}`, // the same cursor, another search
      `q=ORD-PAGED-&status=open&cursor=${cursor}`,
      `q=ORD-PAGED-&cursor=${cursor}x`,
    ]) {
      expect(await listOrdersCall(query)).toMatchObject({
        status: 400,
        body: {
          code: "INVALID_INPUT",
          detail: "cursor: is not the nextCursor of an earlier page of this search",
          errors: [{ field: "cursor" }],
        },
      });
    }
    // Another page size is the same search: the cursor still holds.
    expect((await listOrdersCall(`q=ORD-PAGED-&limit=10&cursor=${cursor}`)).status).toBe(200);
    for (const limit of ["0", "51", "x"]) {
      expect(await listOrdersCall(`limit=${limit}`)).toMatchObject({
        status: 400,
        body: { errors: [{ field: "limit" }] },
      });
    }
    expect(await listOrdersCall("status=lost")).toMatchObject({
      status: 400,
      body: { errors: [{ field: "status" }] },
    });
  });
});
