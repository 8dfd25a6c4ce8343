import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { seedDemoUsers } from "@/db/seed-users";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms, stockAllocatedMessage } from "@/dev/fakes/wms";
import { WarehouseAsker } from "@/lib/cancellation/service/ask-warehouse";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { connectFixtures, insertReferenceData, ledgerReport, readLines, TEST_REASON } from "@/test/fixtures";
import {
  approveCancelRequest,
  isCancelRequestCursor,
  listCancelRequests,
  rejectCancelRequest,
} from "./cancel-request-decisions";
import { type CancelRequestView, receiveCancelRequest } from "./cancel-requests";
import type { CancelRequestInput } from "./contracts";
import { upsertOrder } from "./intake";
import { receiveWarehouseEvent } from "./warehouse-events";

let database: TestDatabase;
let db: Db;
let wms: FakeWms;
const channelKey = { type: "api_key", id: "channel-key" } as const;
const agent = { type: "user", id: "demo-support" } as const;
const audit = { label: "support@demo.test", sourceIp: "192.0.2.7" };

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  await seedDemoUsers(db);
  await db.execute(sql`
    INSERT INTO channels (id, name, partial_quantities, webhook_url)
    VALUES ('CH-WHOLE', 'Seller portal', false, NULL),
           ('CH-LIST', 'List channel', true, NULL),
           ('CH-HOOK', 'Hooked channel', true, 'http://127.0.0.1:9/hooks/cancel-requests')`);
  wms = await startFakeWms();
  await connectFixtures(db, {
    wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 1_000, maxAttempts: 1 },
  });
});
beforeEach(() => wms.reset());
afterAll(async () => {
  await wms.close();
  await database.drop();
});

type SubOrderSpec = { id: string; warehouseId?: string; lines: { sku: string; quantity: number }[] };

async function placeOrder(channelId: string, channelOrderId: string, subOrders: SubOrderSpec[]) {
  const placed = await upsertOrder(db, {
    channelId,
    channelOrderId,
    order: {
      orderNumber: `PO-${channelOrderId}`,
      currency: "EUR",
      customerName: `Customer ${channelOrderId}`,
      subOrders: subOrders.map((s) => ({
        id: s.id,
        warehouseId: s.warehouseId ?? "WH-MANUAL",
        lines: s.lines.map((l) => ({ ...l, unitPriceMinor: 1000, channelItemId: `${s.id}:${l.sku}` })),
      })),
    },
    actor: channelKey,
  });
  expect(placed.ok).toBe(true);
}

/** A customer's request as the channel sends it; returns our id of it. */
async function customerAsks(channelId: string, request: CancelRequestInput): Promise<string> {
  const received = await receiveCancelRequest(db, { channelId, request, actor: channelKey });
  if (!received.ok) throw new Error(received.error.message);
  return (received.value.body as { data: CancelRequestView }).data.id;
}

const warehouseEvent = (
  type: "allocated" | "shipped",
  eventId: string,
  subOrderId: string,
  lines: { sku: string; quantity: number }[],
  shipment?: { reference: string; carrier?: string; trackingNumber?: string },
) =>
  receiveWarehouseEvent(db, {
    warehouseId: "WH-MANUAL",
    event: { eventId, type, subOrderId, lines, ...(shipment ? { shipment } : {}) },
    actor: channelKey,
  });

const quantities = async (subOrderId: string) =>
  (await readLines(db, subOrderId)).map((l) => [
    l.sku,
    l.cancelled,
    l.pendingCancel,
    l.fulfilled,
    l.processing,
  ]);

async function lineId(subOrderId: string, sku: string): Promise<number> {
  const line = (await readLines(db, subOrderId)).find((l) => l.sku === sku);
  if (!line) throw new Error(`no line ${sku} on ${subOrderId}`);
  return line.id;
}

async function requestRow(id: string) {
  const rows = await db.execute<{
    state: string;
    decided_by_type: string | null;
    decided_by_id: string | null;
    decided_at: string | null;
    decision_note: string | null;
  }>(
    sql`SELECT state, decided_by_type, decided_by_id, decided_at, decision_note FROM cancel_requests WHERE id = ${id}`,
  );
  return rows.rows[0];
}

async function webhooksOf(id: string) {
  const rows = await db.execute<{ event: string; payload: Record<string, unknown>; due: boolean }>(sql`
    SELECT event, payload, next_attempt_at <= now() AS due FROM webhook_deliveries WHERE cancel_request_id = ${id}`);
  return rows.rows;
}

describe("approve", () => {
  test("a whole-order request cancels what can still go on every sub-order, its warehouse asked first, recorded and audited", async () => {
    await placeOrder("CH-TEST", "ap-1", [
      {
        id: "SO-AP-1",
        lines: [
          { sku: "A", quantity: 3 },
          { sku: "B", quantity: 2 },
        ],
      },
      { id: "SO-AP-2", warehouseId: "WH-WMS", lines: [{ sku: "C", quantity: 2 }] },
    ]);
    await warehouseEvent("allocated", "ap-ev-1", "SO-AP-1", [{ sku: "B", quantity: 1 }]);
    await warehouseEvent("shipped", "ap-ev-2", "SO-AP-1", [{ sku: "B", quantity: 1 }], {
      reference: "ASN-AP",
    });
    const id = await customerAsks("CH-TEST", {
      requestId: "cr-ap-1",
      channelOrderId: "ap-1",
      reason: TEST_REASON,
    });

    const approved = await approveCancelRequest(db, { id, actor: agent, audit });
    if (!approved.ok) throw new Error(approved.error.message);
    expect([...approved.value.outcomes].sort((a, b) => a.subOrderId.localeCompare(b.subOrderId))).toEqual([
      { subOrderId: "SO-AP-1", status: "SUCCESS", units: 4 },
      { subOrderId: "SO-AP-2", status: "SUCCESS", units: 2 },
    ]);
    expect(approved.value.request).toMatchObject({ id, state: "approved", decisionNote: null });
    expect(approved.value.request.decidedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await quantities("SO-AP-1")).toEqual([
      ["A", 3, 0, 0, 0],
      ["B", 1, 0, 1, 0],
    ]);
    expect(await quantities("SO-AP-2")).toEqual([["C", 2, 0, 0, 0]]);
    expect(await requestRow(id)).toMatchObject({
      state: "approved",
      decided_by_type: "user",
      decided_by_id: "demo-support",
    });
    // The 3PL warehouse was asked once, with the ledger id as its idempotency key.
    expect(wms.requests).toHaveLength(1);
    const ledger = await db.execute<{
      source: string;
      reason_code: string;
      actor_id: string;
      status: string;
    }>(sql`
      SELECT source, reason_code, actor_id, status FROM cancellations
       WHERE sub_order_id IN ('SO-AP-1', 'SO-AP-2') ORDER BY sub_order_id`);
    expect(ledger.rows).toEqual([
      { source: "single", reason_code: TEST_REASON, actor_id: "demo-support", status: "CONFIRMED" },
      { source: "single", reason_code: TEST_REASON, actor_id: "demo-support", status: "CONFIRMED" },
    ]);
    const audits = await db.execute<{ action: string; outcome: string; actor_label: string }>(sql`
      SELECT action, outcome, actor_label FROM audit_events
       WHERE action = 'cancel_request.approve' AND detail ->> 'cancelRequestId' = ${id}`);
    expect(audits.rows).toEqual([
      { action: "cancel_request.approve", outcome: "success", actor_label: "support@demo.test" },
    ]);
    // No webhook URL on this channel: no delivery.
    expect(await webhooksOf(id)).toEqual([]);
    expect((await ledgerReport(db)).mismatchedLines).toEqual([]);
  });

  test("narrowed by the agent: only the chosen lines and units, among the request's lines and within what it asked", async () => {
    await placeOrder("CH-TEST", "nr-1", [
      {
        id: "SO-NR-1",
        lines: [
          { sku: "A", quantity: 5 },
          { sku: "B", quantity: 2 },
          { sku: "C", quantity: 1 },
        ],
      },
    ]);
    const id = await customerAsks("CH-TEST", {
      requestId: "cr-nr-1",
      channelOrderId: "nr-1",
      reason: TEST_REASON,
      lines: [{ sku: "A", quantity: 3 }, { sku: "B" }],
    });
    const [a, b, c] = [
      await lineId("SO-NR-1", "A"),
      await lineId("SO-NR-1", "B"),
      await lineId("SO-NR-1", "C"),
    ];

    const refusals = [
      {
        lines: [{ lineItemId: c, quantity: 1 }],
        message: `lines.0.lineItemId: line ${c} is not part of request cr-nr-1`,
      },
      {
        lines: [{ lineItemId: a, quantity: 4 }],
        message: "lines.0.quantity: 4 of SKU A is more than the 3 the customer asked to cancel",
      },
      {
        lines: [
          { lineItemId: b, quantity: 1 },
          { lineItemId: b, quantity: 1 },
        ],
        message: `lines.1.lineItemId: line ${b} is given twice`,
      },
      { lines: [{ lineItemId: a, quantity: 0 }], message: "lines.0.quantity: must be at least 1" },
      { lines: [], message: "lines: choose at least one line to cancel" },
    ];
    for (const refusal of refusals) {
      expect(await approveCancelRequest(db, { id, lines: refusal.lines, actor: agent })).toEqual({
        ok: false,
        error: { code: "INVALID_INPUT", message: refusal.message },
      });
    }
    expect((await requestRow(id))?.state).toBe("open");

    const approved = await approveCancelRequest(db, {
      id,
      lines: [{ lineItemId: a, quantity: 2 }],
      actor: agent,
    });
    expect(approved).toMatchObject({
      ok: true,
      value: {
        request: { state: "approved" },
        outcomes: [{ subOrderId: "SO-NR-1", status: "SUCCESS", units: 2 }],
      },
    });
    expect(await quantities("SO-NR-1")).toEqual([
      ["A", 2, 0, 0, 0],
      ["B", 0, 0, 0, 0],
      ["C", 0, 0, 0, 0],
    ]);
  });

  test("without narrowing, what can still go of what was asked: a line partly shipped loses the rest", async () => {
    await placeOrder("CH-TEST", "rest-1", [{ id: "SO-REST-1", lines: [{ sku: "A", quantity: 4 }] }]);
    await warehouseEvent("allocated", "rest-ev-1", "SO-REST-1", [{ sku: "A", quantity: 1 }]);
    const id = await customerAsks("CH-TEST", {
      requestId: "cr-rest-1",
      channelOrderId: "rest-1",
      reason: TEST_REASON,
      lines: [{ sku: "A", quantity: 4 }],
    });
    expect(await approveCancelRequest(db, { id, actor: agent })).toMatchObject({
      ok: true,
      value: { outcomes: [{ subOrderId: "SO-REST-1", status: "SUCCESS", units: 3 }] },
    });
    expect(await quantities("SO-REST-1")).toEqual([["A", 3, 0, 0, 1]]);
  });

  test("on a whole-lines-only channel a line goes whole or not at all", async () => {
    await placeOrder("CH-WHOLE", "wl-1", [
      {
        id: "SO-WL-1",
        lines: [
          { sku: "A", quantity: 2 },
          { sku: "B", quantity: 3 },
        ],
      },
    ]);
    await warehouseEvent("allocated", "wl-ev-1", "SO-WL-1", [{ sku: "B", quantity: 1 }]);
    const id = await customerAsks("CH-WHOLE", {
      requestId: "cr-wl-1",
      channelOrderId: "wl-1",
      reason: TEST_REASON,
    });

    // The agent picks B, which cannot go whole: refused before anything is reserved, still open.
    const b = await lineId("SO-WL-1", "B");
    const refused = await approveCancelRequest(db, {
      id,
      lines: [{ lineItemId: b, quantity: 3 }],
      actor: agent,
    });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: "WHOLE_LINES_ONLY",
        message:
          "Seller portal cancels whole lines only: SKU B cannot be cancelled whole, 1 unit in processing (picklist released)",
        lineErrors: [expect.objectContaining({ sku: "B", code: "WHOLE_LINES_ONLY" })],
      },
    });
    expect((await requestRow(id))?.state).toBe("open");
    expect(await quantities("SO-WL-1")).toEqual([
      ["A", 0, 0, 0, 0],
      ["B", 0, 0, 0, 1],
    ]);

    // The whole order as asked: A goes whole, B cannot and stays.
    expect(await approveCancelRequest(db, { id, actor: agent })).toMatchObject({
      ok: true,
      value: { outcomes: [{ subOrderId: "SO-WL-1", status: "SUCCESS", units: 2 }] },
    });
    expect(await quantities("SO-WL-1")).toEqual([
      ["A", 2, 0, 0, 0],
      ["B", 0, 0, 0, 1],
    ]);

    // A narrowed line is cancelled whole whatever quantity the screen sent.
    await placeOrder("CH-WHOLE", "wl-2", [{ id: "SO-WL-2", lines: [{ sku: "A", quantity: 4 }] }]);
    const second = await customerAsks("CH-WHOLE", {
      requestId: "cr-wl-2",
      channelOrderId: "wl-2",
      reason: TEST_REASON,
      lines: [{ sku: "A" }],
    });
    const a = await lineId("SO-WL-2", "A");
    expect(
      await approveCancelRequest(db, { id: second, lines: [{ lineItemId: a, quantity: 1 }], actor: agent }),
    ).toMatchObject({ ok: true, value: { outcomes: [{ status: "SUCCESS", units: 4 }] } });

    // Nothing can go whole: the request is refused with the reason and stays open.
    await placeOrder("CH-WHOLE", "wl-3", [{ id: "SO-WL-3", lines: [{ sku: "A", quantity: 2 }] }]);
    await warehouseEvent("allocated", "wl-ev-3", "SO-WL-3", [{ sku: "A", quantity: 1 }]);
    const third = await customerAsks("CH-WHOLE", {
      requestId: "cr-wl-3",
      channelOrderId: "wl-3",
      reason: TEST_REASON,
    });
    expect(await approveCancelRequest(db, { id: third, actor: agent, audit })).toMatchObject({
      ok: false,
      error: { code: "WHOLE_LINES_ONLY" },
    });
    expect((await requestRow(third))?.state).toBe("open");
    const failures = await db.execute<{ outcome: string }>(sql`
      SELECT outcome FROM audit_events WHERE action = 'cancel_request.approve' AND detail ->> 'cancelRequestId' = ${third}`);
    expect(failures.rows).toEqual([{ outcome: "failure" }]);
  });

  test("two approvals at once: one wins, the others are told it was decided, nothing is cancelled twice", async () => {
    await placeOrder("CH-TEST", "cc-1", [{ id: "SO-CC-1", lines: [{ sku: "A", quantity: 4 }] }]);
    const id = await customerAsks("CH-TEST", {
      requestId: "cr-cc-1",
      channelOrderId: "cc-1",
      reason: TEST_REASON,
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => approveCancelRequest(db, { id, actor: agent })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.filter((r) => !r.ok);
    expect(lost).toHaveLength(5);
    for (const r of lost) {
      expect(r).toEqual({
        ok: false,
        error: {
          code: "REQUEST_ALREADY_DECIDED",
          message:
            "Cancel request cr-cc-1 was already approved by support@demo.test; reload to see the decision",
        },
      });
    }
    expect(await quantities("SO-CC-1")).toEqual([["A", 4, 0, 0, 0]]);
    const entries = await db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM cancellations WHERE sub_order_id = 'SO-CC-1'`,
    );
    expect(entries.rows[0]?.n).toBe(1);

    // An approval and a rejection at once: exactly one decision.
    await placeOrder("CH-TEST", "cc-2", [{ id: "SO-CC-2", lines: [{ sku: "A", quantity: 1 }] }]);
    const other = await customerAsks("CH-TEST", {
      requestId: "cr-cc-2",
      channelOrderId: "cc-2",
      reason: TEST_REASON,
    });
    const both = await Promise.all([
      approveCancelRequest(db, { id: other, actor: agent }),
      rejectCancelRequest(db, { id: other, note: "Already shipped", actor: agent }),
    ]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.filter((r) => !r.ok)).toMatchObject([{ error: { code: "REQUEST_ALREADY_DECIDED" } }]);
    const state = (await requestRow(other))?.state;
    expect((await quantities("SO-CC-2"))[0]?.[1]).toBe(state === "approved" ? 1 : 0);
  });

  test("an unknown request is not found", async () => {
    for (const id of [randomUUID(), "not-a-uuid"]) {
      expect(await approveCancelRequest(db, { id, actor: agent })).toEqual({
        ok: false,
        error: { code: "REQUEST_NOT_FOUND", message: `Cancel request ${id} does not exist` },
      });
    }
  });
});

describe("the warehouse's answer", () => {
  test("a refusal of everything opens the request again, its webhook never sent", async () => {
    await placeOrder("CH-HOOK", "wh-1", [
      { id: "SO-WH-1", warehouseId: "WH-WMS", lines: [{ sku: "A", quantity: 2 }] },
    ]);
    const id = await customerAsks("CH-HOOK", {
      requestId: "cr-wh-1",
      channelOrderId: "wh-1",
      reason: TEST_REASON,
    });
    wms.refuse("SO-WH-1");
    expect(await approveCancelRequest(db, { id, actor: agent, audit })).toEqual({
      ok: false,
      error: { code: "DOWNSTREAM_REJECTED", message: `810: ${stockAllocatedMessage("SO-WH-1")}` },
    });
    expect(await requestRow(id)).toMatchObject({ state: "open", decided_at: null, decided_by_id: null });
    expect(await quantities("SO-WH-1")).toEqual([["A", 0, 0, 0, 0]]);
    expect(await webhooksOf(id)).toEqual([]);
    const trail = await db.execute<{ outcome: string; reopened: boolean | null }>(sql`
      SELECT outcome, (detail ->> 'reopened')::boolean AS reopened FROM audit_events
       WHERE action = 'cancel_request.approve' AND detail ->> 'cancelRequestId' = ${id} ORDER BY id`);
    expect(trail.rows).toEqual([
      { outcome: "success", reopened: null },
      { outcome: "failure", reopened: true },
    ]);

    // Once the warehouse lets it go, the same request is approved.
    wms.allow("SO-WH-1");
    expect(await approveCancelRequest(db, { id, actor: agent })).toMatchObject({
      ok: true,
      value: { outcomes: [{ status: "SUCCESS", units: 2 }] },
    });
    const [hook] = await webhooksOf(id);
    expect(hook).toMatchObject({
      event: "cancel_request.approved",
      due: true,
      payload: {
        requestId: "cr-wh-1",
        channelOrderId: "wh-1",
        state: "approved",
        note: null,
        lines: [{ channelItemId: "SO-WH-1:A", sku: "A", quantity: 2 }],
      },
    });
  });

  test("no answer is not a refusal: the sub-order waits with its units reserved and the request stays approved", async () => {
    await placeOrder("CH-HOOK", "wh-2", [
      { id: "SO-WH-2A", warehouseId: "WH-WMS", lines: [{ sku: "A", quantity: 2 }] },
      { id: "SO-WH-2B", lines: [{ sku: "B", quantity: 1 }] },
    ]);
    const id = await customerAsks("CH-HOOK", {
      requestId: "cr-wh-2",
      channelOrderId: "wh-2",
      reason: TEST_REASON,
    });
    wms.setMode("error500");
    const approved = await approveCancelRequest(db, { id, actor: agent });
    if (!approved.ok) throw new Error(approved.error.message);
    const outcomes = [...approved.value.outcomes].sort((x, y) => x.subOrderId.localeCompare(y.subOrderId));
    expect(outcomes).toMatchObject([
      { subOrderId: "SO-WH-2A", status: "WAITING", units: 2, code: "DOWNSTREAM_UNAVAILABLE" },
      { subOrderId: "SO-WH-2B", status: "SUCCESS", units: 1 },
    ]);
    expect(approved.value.request.state).toBe("approved");
    expect(await quantities("SO-WH-2A")).toEqual([["A", 0, 2, 0, 0]]);
    // The webhook was held while the warehouse was asked, then let go with what the approval cancels.
    const [hook] = await webhooksOf(id);
    expect(hook?.due).toBe(true);
    expect(hook?.payload.lines).toEqual([
      { channelItemId: "SO-WH-2A:A", sku: "A", quantity: 2 },
      { channelItemId: "SO-WH-2B:B", sku: "B", quantity: 1 },
    ]);

    // The background asker asks again with the same key and the warehouse agrees.
    wms.setMode("ok");
    await db.execute(sql`UPDATE cancellations SET next_ask_at = now() WHERE sub_order_id = 'SO-WH-2A'`);
    expect(await new WarehouseAsker(db).askDue()).toBe(1);
    expect(await quantities("SO-WH-2A")).toEqual([["A", 2, 0, 0, 0]]);
    expect(new Set(wms.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
  });

  test("a warehouse that refuses one sub-order of several: the others are cancelled, the channel hears only those", async () => {
    await placeOrder("CH-HOOK", "wh-3", [
      { id: "SO-WH-3A", warehouseId: "WH-WMS", lines: [{ sku: "A", quantity: 2 }] },
      { id: "SO-WH-3B", lines: [{ sku: "B", quantity: 1 }] },
    ]);
    const id = await customerAsks("CH-HOOK", {
      requestId: "cr-wh-3",
      channelOrderId: "wh-3",
      reason: TEST_REASON,
    });
    wms.refuse("SO-WH-3A");
    const approved = await approveCancelRequest(db, { id, actor: agent });
    if (!approved.ok) throw new Error(approved.error.message);
    expect([...approved.value.outcomes].sort((x, y) => x.subOrderId.localeCompare(y.subOrderId))).toEqual([
      {
        subOrderId: "SO-WH-3A",
        status: "ERROR",
        units: 0,
        code: "DOWNSTREAM_REJECTED",
        message: `810: ${stockAllocatedMessage("SO-WH-3A")}`,
      },
      { subOrderId: "SO-WH-3B", status: "SUCCESS", units: 1 },
    ]);
    expect((await requestRow(id))?.state).toBe("approved");
    const [hook] = await webhooksOf(id);
    expect(hook?.payload.lines).toEqual([{ channelItemId: "SO-WH-3B:B", sku: "B", quantity: 1 }]);
  });
});

describe("reject", () => {
  test("needs a note; stores it as the decision; a decided request cannot be decided again", async () => {
    await placeOrder("CH-HOOK", "rj-1", [{ id: "SO-RJ-1", lines: [{ sku: "A", quantity: 1 }] }]);
    const id = await customerAsks("CH-HOOK", {
      requestId: "cr-rj-1",
      channelOrderId: "rj-1",
      reason: TEST_REASON,
      note: "Customer changed their mind",
    });
    for (const [note, message] of [
      ["", "note: is required to reject a request: say why (e.g. already shipped, with the tracking number)"],
      [
        "   ",
        "note: is required to reject a request: say why (e.g. already shipped, with the tracking number)",
      ],
      ["x".repeat(501), "note: is longer than 500 characters"],
    ] as const) {
      expect(await rejectCancelRequest(db, { id, note, actor: agent })).toEqual({
        ok: false,
        error: { code: "INVALID_INPUT", message },
      });
    }
    expect((await requestRow(id))?.state).toBe("open");

    const note = "Already shipped with DHL, tracking TRK-1";
    const rejected = await rejectCancelRequest(db, { id, note: `  ${note} `, actor: agent, audit });
    expect(rejected).toMatchObject({
      ok: true,
      value: { request: { id, state: "rejected", decisionNote: note, note: "Customer changed their mind" } },
    });
    expect(await requestRow(id)).toMatchObject({
      state: "rejected",
      decided_by_id: "demo-support",
      decision_note: note,
    });
    expect(await quantities("SO-RJ-1")).toEqual([["A", 0, 0, 0, 0]]);
    const [hook] = await webhooksOf(id);
    expect(hook).toMatchObject({
      event: "cancel_request.rejected",
      due: true,
      payload: { requestId: "cr-rj-1", channelOrderId: "rj-1", state: "rejected", note, lines: [] },
    });
    const trail = await db.execute<{ outcome: string }>(sql`
      SELECT outcome FROM audit_events WHERE action = 'cancel_request.reject' AND detail ->> 'cancelRequestId' = ${id}`);
    expect(trail.rows).toEqual([{ outcome: "success" }]);

    const decided = {
      ok: false,
      error: {
        code: "REQUEST_ALREADY_DECIDED",
        message:
          "Cancel request cr-rj-1 was already rejected by support@demo.test; reload to see the decision",
      },
    };
    expect(await approveCancelRequest(db, { id, actor: agent })).toEqual(decided);
    expect(await rejectCancelRequest(db, { id, note: "again", actor: agent })).toEqual(decided);
  });

  test("the database refuses a rejection without a note, whatever the code", async () => {
    await placeOrder("CH-TEST", "rj-2", [{ id: "SO-RJ-2", lines: [{ sku: "A", quantity: 1 }] }]);
    const id = await customerAsks("CH-TEST", {
      requestId: "cr-rj-2",
      channelOrderId: "rj-2",
      reason: TEST_REASON,
    });
    await expect(
      db.execute(sql`UPDATE cancel_requests SET state = 'rejected', decided_at = now() WHERE id = ${id}`),
    ).rejects.toThrow();
  });
});

describe("listing", () => {
  test("open first, oldest first; then decided, newest first; with shipment, decider and note", async () => {
    for (const n of [1, 2, 3, 4]) {
      await placeOrder("CH-LIST", `ls-${n}`, [{ id: `SO-LS-${n}`, lines: [{ sku: "A", quantity: 2 }] }]);
    }
    await warehouseEvent("allocated", "ls-ev-1", "SO-LS-3", [{ sku: "A", quantity: 1 }]);
    await warehouseEvent("shipped", "ls-ev-2", "SO-LS-3", [{ sku: "A", quantity: 1 }], {
      reference: "ASN-LS-3",
      carrier: "DHL",
      trackingNumber: "TRK-LS-3",
    });
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      ids.push(
        await customerAsks("CH-LIST", {
          requestId: `cr-ls-${n}`,
          channelOrderId: `ls-${n}`,
          reason: TEST_REASON,
        }),
      );
    }
    const [r1, r2, r3, r4] = ids as [string, string, string, string];
    for (const [i, id] of ids.entries()) {
      await db.execute(
        sql`UPDATE cancel_requests SET created_at = now() - make_interval(hours => ${4 - i}) WHERE id = ${id}`,
      );
    }
    expect((await approveCancelRequest(db, { id: r2, actor: agent })).ok).toBe(true);
    expect(
      (await rejectCancelRequest(db, { id: r3, note: "Already shipped, DHL TRK-LS-3", actor: agent })).ok,
    ).toBe(true);
    await db.execute(
      sql`UPDATE cancel_requests SET decided_at = now() - interval '10 minutes' WHERE id = ${r2}`,
    );

    const all = await listCancelRequests(db, { channelId: "CH-LIST" });
    expect(all.rows.map((r) => r.id)).toEqual([r1, r4, r3, r2]);
    expect(all.nextCursor).toBeNull();
    const [first, , rejected, approved] = all.rows;
    expect(first).toMatchObject({
      requestId: "cr-ls-1",
      state: "open",
      channelName: "List channel",
      orderNumber: "PO-ls-1",
      customerName: "Customer ls-1",
      reasonLabel: "Test reason",
      shipped: 0,
      shipment: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    });
    expect(first?.ageSeconds).toBeGreaterThanOrEqual(4 * 3600 - 5);
    expect(rejected).toMatchObject({
      state: "rejected",
      shipped: 1,
      shipment: { reference: "ASN-LS-3", carrier: "DHL", trackingNumber: "TRK-LS-3" },
      decidedBy: "support@demo.test",
      decisionNote: "Already shipped, DHL TRK-LS-3",
    });
    expect(rejected?.decidedAt).toMatch(/Z$/);
    expect(approved).toMatchObject({ state: "approved", decidedBy: "support@demo.test" });

    // Page by page, in the same order, across the open/decided boundary.
    for (const limit of [1, 3]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const next = await listCancelRequests(db, { channelId: "CH-LIST", limit, cursor });
        seen.push(...next.rows.map((r) => r.id));
        if (next.nextCursor === null) break;
        expect(isCancelRequestCursor(next.nextCursor)).toBe(true);
        cursor = next.nextCursor;
      }
      expect(seen).toEqual([r1, r4, r3, r2]);
    }
    expect(
      (await listCancelRequests(db, { channelId: "CH-LIST", state: "open" })).rows.map((r) => r.id),
    ).toEqual([r1, r4]);
    expect(
      (await listCancelRequests(db, { channelId: "CH-LIST", state: "rejected" })).rows.map((r) => r.id),
    ).toEqual([r3]);
    expect((await listCancelRequests(db, { channelId: "CH-LIST", state: "expired" })).rows).toEqual([]);
    // Without a channel: every channel's open requests come before any decided one.
    const everything = await listCancelRequests(db, { limit: 200 });
    const firstDecided = everything.rows.findIndex((r) => r.state !== "open");
    expect(everything.rows.slice(firstDecided).every((r) => r.state !== "open")).toBe(true);
    expect(isCancelRequestCursor("garbage")).toBe(false);
    await expect(listCancelRequests(db, { cursor: "garbage" })).rejects.toThrow();
  });
});

test("nothing is left reserved and the ledger equals the line totals", async () => {
  const report = await ledgerReport(db);
  expect(report.mismatchedLines).toEqual([]);
  expect(report.pendingEntries).toBe(0);
});
