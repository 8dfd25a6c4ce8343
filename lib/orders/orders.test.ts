import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { recordWarehouseVerdicts } from "@/lib/cancellation/service/resolve-reservations";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, ledgerReport, readLines, SYSTEM_ACTOR, TEST_REASON } from "@/test/fixtures";
import { receiveCancelRequest } from "./cancel-requests";
import type { IntakeOrder, WarehouseEventInput } from "./contracts";
import { upsertOrder } from "./intake";
import { receiveWarehouseEvent } from "./warehouse-events";

let database: TestDatabase;
let db: Db;
const actor = { type: "api_key", id: "test-key" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  await db.execute(sql`
    INSERT INTO channels (id, name, connector, fill_or_kill, partial_quantities)
    VALUES ('CH-FOK', 'Seller portal', 'manual', true, false),
           ('CH-FOKP', 'Fill-or-kill partner', 'manual', true, true)`);
  await db.execute(sql`
    INSERT INTO channel_reason_codes (channel_id, reason_code, channel_code)
    VALUES ('CH-FOK', ${TEST_REASON}, 'CUSTOMER_CHANGED_MIND')`);
});
afterAll(async () => {
  await database.drop();
});

function order(subOrderId: string, lines: { sku: string; quantity: number; item?: string }[]): IntakeOrder {
  return {
    orderNumber: `PO-${subOrderId}`,
    currency: "EUR",
    customerName: "Ada Lovelace",
    subOrders: [
      {
        id: subOrderId,
        warehouseId: "WH-MANUAL",
        lines: lines.map((l) => ({
          sku: l.sku,
          quantity: l.quantity,
          unitPriceMinor: 1250,
          ...(l.item ? { channelItemId: l.item } : {}),
        })),
      },
    ],
  };
}

const intake = (channelId: string, channelOrderId: string, body: IntakeOrder) =>
  upsertOrder(db, { channelId, channelOrderId, order: body, actor });

const event = (e: WarehouseEventInput) =>
  receiveWarehouseEvent(db, { warehouseId: "WH-MANUAL", event: e, actor });

async function expectLedgerMatches() {
  const report = await ledgerReport(db);
  expect(report.mismatchedLines).toEqual([]);
}

describe("order intake", () => {
  test("creates an order with its channel ids and currency, then updates it in place", async () => {
    const created = await intake(
      "CH-TEST",
      "ch-1001",
      order("SO-IN-1", [{ sku: "A", quantity: 3, item: "it-a" }]),
    );
    expect(created.ok && created.value.created).toBe(true);
    if (!created.ok) return;
    expect(created.value.order).toMatchObject({
      channelOrderId: "ch-1001",
      orderNumber: "PO-SO-IN-1",
      currency: "EUR",
      subOrders: [
        { id: "SO-IN-1", lines: [{ sku: "A", channelItemId: "it-a", ordered: 3, cancellable: 3 }] },
      ],
    });

    // The same body again changes nothing; a new item id replaces the old one, kept in history.
    const again = await intake(
      "CH-TEST",
      "ch-1001",
      order("SO-IN-1", [{ sku: "A", quantity: 3, item: "it-a" }]),
    );
    expect(again.ok && again.value.created).toBe(false);
    const updated = await intake(
      "CH-TEST",
      "ch-1001",
      order("SO-IN-1", [
        { sku: "A", quantity: 5, item: "it-a2" },
        { sku: "B", quantity: 1, item: "it-b" },
      ]),
    );
    expect(updated.ok).toBe(true);
    const lines = await readLines(db, "SO-IN-1");
    expect(lines.map((l) => [l.sku, l.ordered, l.channelItemId])).toEqual([
      ["A", 5, "it-a2"],
      ["B", 1, "it-b"],
    ]);
    const history = await db.execute<{ channel_item_id: string; replaced_by: string }>(
      sql`SELECT channel_item_id, replaced_by FROM line_item_channel_ids`,
    );
    expect(history.rows).toEqual([{ channel_item_id: "it-a", replaced_by: "it-a2" }]);
  });

  test("an update below what is already committed is refused whole, with the numbers", async () => {
    await intake(
      "CH-TEST",
      "ch-1002",
      order("SO-IN-2", [
        { sku: "A", quantity: 4 },
        { sku: "B", quantity: 2 },
      ]),
    );
    const cancelled = await cancelLineItems(db, {
      subOrderId: "SO-IN-2",
      lines: [{ sku: "A", quantity: 3 }],
      reasonCode: TEST_REASON,
      actor: SYSTEM_ACTOR,
      source: "api",
    });
    expect(cancelled.ok).toBe(true);
    const refused = await intake("CH-TEST", "ch-1002", order("SO-IN-2", [{ sku: "A", quantity: 2 }]));
    expect(refused).toMatchObject({ ok: false, error: { code: "QUANTITY_CONFLICT" } });
    if (refused.ok) return;
    expect(refused.error.message).toContain("SKU A: quantity 2 is below the 3 units already 3 cancelled");
    // B was dropped from the body in the same request: nothing of the request happened.
    expect((await readLines(db, "SO-IN-2")).map((l) => [l.sku, l.ordered])).toEqual([
      ["A", 4],
      ["B", 2],
    ]);
  });

  test("an unknown channel or warehouse, or a taken order number, is refused naming it", async () => {
    expect(await intake("CH-NOPE", "x", order("SO-IN-3", [{ sku: "A", quantity: 1 }]))).toMatchObject({
      ok: false,
      error: { code: "CHANNEL_NOT_FOUND" },
    });
    const body = order("SO-IN-3", [{ sku: "A", quantity: 1 }]);
    const moved = { ...body, subOrders: [{ ...body.subOrders[0], warehouseId: "WH-NOPE" }] } as IntakeOrder;
    const unknown = await intake("CH-TEST", "ch-1003", moved);
    expect(unknown).toMatchObject({ ok: false, error: { code: "WAREHOUSE_NOT_FOUND" } });
    if (!unknown.ok) expect(unknown.error.message).toContain("subOrders.0.warehouseId");
    await intake("CH-TEST", "ch-1003", body);
    const taken = await intake("CH-TEST", "ch-1004", {
      ...order("SO-IN-4", [{ sku: "A", quantity: 1 }]),
      orderNumber: body.orderNumber,
    });
    expect(taken).toMatchObject({ ok: false, error: { code: "ORDER_CONFLICT" } });
  });
});

describe("warehouse events", () => {
  test("allocated, released and shipped move units; the same event id never acts twice", async () => {
    await intake("CH-TEST", "ch-2001", order("SO-EV-1", [{ sku: "A", quantity: 5 }]));
    const allocated: WarehouseEventInput = {
      eventId: "ev-1",
      type: "allocated",
      subOrderId: "SO-EV-1",
      lines: [{ sku: "A", quantity: 3 }],
    };
    const first = await event(allocated);
    expect(first).toMatchObject({ ok: true, value: { status: 200, replayed: false } });
    const replay = await event(allocated);
    expect(replay).toMatchObject({ ok: true, value: { status: 200, replayed: true } });
    if (first.ok && replay.ok) expect(replay.value.body).toEqual(first.value.body);
    expect((await readLines(db, "SO-EV-1"))[0]).toMatchObject({ processing: 3, fulfilled: 0 });

    expect(await event({ ...allocated, lines: [{ sku: "A", quantity: 1 }] })).toMatchObject({
      ok: false,
      error: { code: "EVENT_ID_REUSED" },
    });
    await event({
      eventId: "ev-2",
      type: "released",
      subOrderId: "SO-EV-1",
      lines: [{ sku: "A", quantity: 1 }],
    });
    // 4 ship: the 2 in processing, then 2 of the 3 still open.
    await event({
      eventId: "ev-3",
      type: "shipped",
      subOrderId: "SO-EV-1",
      lines: [{ sku: "A", quantity: 4 }],
      shipment: { reference: "ASN-1", trackingNumber: "TRK-1" },
    });
    expect((await readLines(db, "SO-EV-1"))[0]).toMatchObject({ ordered: 5, processing: 0, fulfilled: 4 });
  });

  test("an event that would break the rules is refused whole, kept nowhere, and can come again", async () => {
    await intake(
      "CH-TEST",
      "ch-2002",
      order("SO-EV-2", [
        { sku: "A", quantity: 2 },
        { sku: "B", quantity: 2 },
      ]),
    );
    const tooMany: WarehouseEventInput = {
      eventId: "ev-10",
      type: "allocated",
      subOrderId: "SO-EV-2",
      lines: [
        { sku: "A", quantity: 1 },
        { sku: "B", quantity: 3 },
      ],
    };
    const refused = await event(tooMany);
    expect(refused).toMatchObject({ ok: false, error: { code: "QUANTITY_CONFLICT" } });
    if (!refused.ok) expect(refused.error.message).toContain("SKU B: cannot allocate 3 units, 2 open");
    expect((await readLines(db, "SO-EV-2")).map((l) => l.processing)).toEqual([0, 0]);
    const fixed = await event({ ...tooMany, lines: [{ sku: "A", quantity: 1 }] });
    expect(fixed.ok).toBe(true);
  });

  test("units shipped after we cancelled them are an exception (202), the quantities untouched", async () => {
    await intake("CH-TEST", "ch-2003", order("SO-EV-3", [{ sku: "A", quantity: 3 }]));
    await cancelSubOrder(db, {
      subOrderId: "SO-EV-3",
      mode: "strict",
      reasonCode: TEST_REASON,
      actor: SYSTEM_ACTOR,
      source: "api",
    });
    const shipped = await event({
      eventId: "ev-20",
      type: "shipped",
      subOrderId: "SO-EV-3",
      lines: [{ sku: "A", quantity: 2 }],
      shipment: { reference: "ASN-20", carrier: "DHL", trackingNumber: "TRK-20" },
    });
    expect(shipped).toMatchObject({ ok: true, value: { status: 202 } });
    expect((await readLines(db, "SO-EV-3"))[0]).toMatchObject({ cancelled: 3, fulfilled: 0 });
    const exceptions = await db.execute<{ kind: string; detail: unknown }>(
      sql`SELECT kind, detail FROM order_exceptions WHERE sub_order_id = 'SO-EV-3'`,
    );
    expect(exceptions.rows).toEqual([
      {
        kind: "shipped_after_cancellation",
        detail: {
          lines: [{ sku: "A", units: 2 }],
          shipment: { reference: "ASN-20", carrier: "DHL", trackingNumber: "TRK-20" },
        },
      },
    ]);
  });
});

describe("fill-or-kill and whole lines", () => {
  test("a partial shipment cancels the rest of the line, processing units included, automatically", async () => {
    await intake(
      "CH-FOK",
      "fok-1",
      order("SO-FOK-1", [
        { sku: "A", quantity: 10 },
        { sku: "B", quantity: 2 },
      ]),
    );
    await event({
      eventId: "fok-ev-1",
      type: "allocated",
      subOrderId: "SO-FOK-1",
      lines: [{ sku: "A", quantity: 5 }],
    });
    const shipped = await event({
      eventId: "fok-ev-2",
      type: "shipped",
      subOrderId: "SO-FOK-1",
      lines: [{ sku: "A", quantity: 3 }],
      shipment: { reference: "ASN-FOK" },
    });
    expect(shipped.ok).toBe(true);
    // Seed 002: shipped 3 of 10, the remaining 7 are cancelled; B was not shipped and stays open.
    expect(
      (await readLines(db, "SO-FOK-1")).map((l) => [l.sku, l.fulfilled, l.processing, l.cancelled]),
    ).toEqual([
      ["A", 3, 0, 7],
      ["B", 0, 0, 0],
    ]);
    const ledger = await db.execute<{
      source: string;
      reason_code: string;
      status: string;
      actor_id: string;
    }>(sql`
      SELECT source, reason_code, status, actor_id FROM cancellations WHERE sub_order_id = 'SO-FOK-1'`);
    expect(ledger.rows).toEqual([
      { source: "automatic", reason_code: "FILL_OR_KILL", status: "CONFIRMED", actor_id: "fill-or-kill" },
    ]);
    await expectLedgerMatches();
  });

  test("units a cancellation in flight holds are killed once the warehouse refuses it", async () => {
    await intake("CH-FOK", "fok-2", order("SO-FOK-2", [{ sku: "A", quantity: 4 }]));
    await db.execute(sql`UPDATE sub_orders SET warehouse_id = 'WH-WMS' WHERE id = 'SO-FOK-2'`);
    const pending = await cancelLineItems(
      db,
      {
        subOrderId: "SO-FOK-2",
        lines: [{ sku: "A", quantity: 4 }],
        reasonCode: TEST_REASON,
        actor: SYSTEM_ACTOR,
        source: "api",
      },
      { gate: async () => ({ kind: "unavailable", message: "timeout" }) },
    );
    expect(pending).toMatchObject({ ok: true, value: { status: "PENDING" } });
    // The warehouse refuses the cancellation (it had already shipped one), then reports the shipment.
    if (!pending.ok) return;
    await db.transaction((tx) =>
      recordWarehouseVerdicts(tx, [
        {
          cancellationId: pending.value.cancellationId,
          kind: "rejected",
          code: "DOWNSTREAM_REJECTED",
          message: "allocated",
        },
      ]),
    );
    await db.execute(sql`UPDATE sub_orders SET warehouse_id = 'WH-MANUAL' WHERE id = 'SO-FOK-2'`);
    await event({
      eventId: "fok-ev-3",
      type: "shipped",
      subOrderId: "SO-FOK-2",
      lines: [{ sku: "A", quantity: 1 }],
      shipment: { reference: "ASN-3" },
    });
    expect((await readLines(db, "SO-FOK-2"))[0]).toMatchObject({
      fulfilled: 1,
      cancelled: 3,
      pendingCancel: 0,
    });
    await expectLedgerMatches();
  });

  test("a refused reservation on a line that already shipped in part is killed in the same transaction", async () => {
    await intake("CH-FOK", "fok-3", order("SO-FOK-3", [{ sku: "A", quantity: 6 }]));
    await db.execute(sql`UPDATE sub_orders SET warehouse_id = 'WH-WMS' WHERE id = 'SO-FOK-3'`);
    const pending = await cancelLineItems(
      db,
      {
        subOrderId: "SO-FOK-3",
        lines: [{ sku: "A", quantity: 6 }],
        reasonCode: TEST_REASON,
        actor: SYSTEM_ACTOR,
        source: "api",
      },
      { gate: async () => ({ kind: "unavailable", message: "timeout" }) },
    );
    if (!pending.ok) throw new Error(pending.error.message);
    // The warehouse had shipped 2 before it saw the cancellation: it refuses the cancellation and
    // reports the shipment (out of the reserved units once released). Order: refusal, then event.
    await db.transaction((tx) =>
      recordWarehouseVerdicts(tx, [
        {
          cancellationId: pending.value.cancellationId,
          kind: "rejected",
          code: "DOWNSTREAM_REJECTED",
          message: "shipped",
        },
      ]),
    );
    await receiveWarehouseEvent(db, {
      warehouseId: "WH-WMS",
      event: {
        eventId: "fok-ev-4",
        type: "shipped",
        subOrderId: "SO-FOK-3",
        lines: [{ sku: "A", quantity: 2 }],
        shipment: { reference: "ASN-4" },
      },
      actor,
    });
    expect((await readLines(db, "SO-FOK-3"))[0]).toMatchObject({
      fulfilled: 2,
      cancelled: 4,
      pendingCancel: 0,
    });

    // And the other order of things: the shipment first, while the reservation holds the rest.
    await intake("CH-FOKP", "fok-4", order("SO-FOK-4", [{ sku: "A", quantity: 6 }]));
    await db.execute(sql`UPDATE sub_orders SET warehouse_id = 'WH-WMS' WHERE id = 'SO-FOK-4'`);
    await receiveWarehouseEvent(db, {
      warehouseId: "WH-WMS",
      event: {
        eventId: "fok-ev-5",
        type: "allocated",
        subOrderId: "SO-FOK-4",
        lines: [{ sku: "A", quantity: 2 }],
      },
      actor,
    });
    const held = await cancelLineItems(
      db,
      {
        subOrderId: "SO-FOK-4",
        lines: [{ sku: "A", quantity: 4 }],
        reasonCode: TEST_REASON,
        actor: SYSTEM_ACTOR,
        source: "api",
      },
      { gate: async () => ({ kind: "unavailable", message: "timeout" }) },
    );
    if (!held.ok) throw new Error(held.error.message);
    await receiveWarehouseEvent(db, {
      warehouseId: "WH-WMS",
      event: {
        eventId: "fok-ev-6",
        type: "shipped",
        subOrderId: "SO-FOK-4",
        lines: [{ sku: "A", quantity: 1 }],
        shipment: { reference: "ASN-6" },
      },
      actor,
    });
    // 1 shipped, the other allocated unit killed; the 4 reserved wait for the warehouse's answer.
    expect((await readLines(db, "SO-FOK-4"))[0]).toMatchObject({
      fulfilled: 1,
      processing: 0,
      cancelled: 1,
      pendingCancel: 4,
    });
    await db.transaction((tx) =>
      recordWarehouseVerdicts(tx, [
        {
          cancellationId: held.value.cancellationId,
          kind: "rejected",
          code: "DOWNSTREAM_REJECTED",
          message: "no",
        },
      ]),
    );
    expect((await readLines(db, "SO-FOK-4"))[0]).toMatchObject({
      fulfilled: 1,
      cancelled: 5,
      pendingCancel: 0,
    });
    await expectLedgerMatches();
  });

  test("a partial quantity on a whole-lines-only channel is refused before anything is reserved", async () => {
    await intake("CH-FOK", "fok-5", order("SO-WL-1", [{ sku: "A", quantity: 5 }]));
    const partial = await cancelLineItems(db, {
      subOrderId: "SO-WL-1",
      lines: [{ sku: "A", quantity: 2 }],
      reasonCode: TEST_REASON,
      actor: SYSTEM_ACTOR,
      source: "single",
    });
    expect(partial).toMatchObject({ ok: false, error: { code: "WHOLE_LINES_ONLY" } });
    if (!partial.ok) {
      expect(partial.error.message).toBe(
        "Seller portal cancels whole lines only: SKU A has 5 units left; cancel all 5 or none (asked for 2)",
      );
    }
    const entries = await db.execute(sql`SELECT 1 FROM cancellations WHERE sub_order_id = 'SO-WL-1'`);
    expect(entries.rows).toHaveLength(0);
    const whole = await cancelLineItems(db, {
      subOrderId: "SO-WL-1",
      lines: [{ sku: "A", quantity: 5 }],
      reasonCode: TEST_REASON,
      actor: SYSTEM_ACTOR,
      source: "single",
    });
    expect(whole.ok).toBe(true);
  });

  test("20 cancellations racing a fill-or-kill shipment of the same line: the invariant and the ledger hold", async () => {
    await intake("CH-FOKP", "race-1", order("SO-RACE-1", [{ sku: "A", quantity: 30 }]));
    {
      const cancels = Array.from({ length: 20 }, () =>
        cancelLineItems(db, {
          subOrderId: "SO-RACE-1",
          lines: [{ sku: "A", quantity: 1 }],
          reasonCode: TEST_REASON,
          actor: SYSTEM_ACTOR,
          source: "api",
        }),
      );
      const shipment = receiveWarehouseEvent(db, {
        warehouseId: "WH-MANUAL",
        event: {
          eventId: "race-ev",
          type: "shipped",
          subOrderId: "SO-RACE-1",
          lines: [{ sku: "A", quantity: 5 }],
          shipment: { reference: "ASN-RACE" },
        },
        actor,
      });
      const [shipped, ...results] = await Promise.all([shipment, ...cancels]);
      expect(shipped.ok).toBe(true);
      const [line] = await readLines(db, "SO-RACE-1");
      // Whatever the order: 5 shipped, everything else cancelled (by hand or by the kill).
      expect(line).toMatchObject({
        ordered: 30,
        fulfilled: 5,
        processing: 0,
        cancelled: 25,
        pendingCancel: 0,
      });
      const succeeded = results.filter((r) => r.ok).length;
      const killed = await db.execute<{ units: number }>(sql`
        SELECT coalesce(sum(cl.quantity), 0)::int AS units FROM cancellations c
          JOIN cancellation_lines cl ON cl.cancellation_id = c.id
         WHERE c.sub_order_id = 'SO-RACE-1' AND c.source = 'automatic'`);
      expect(succeeded + (killed.rows[0]?.units ?? 0)).toBe(25);
      await expectLedgerMatches();
    }
  });
});

describe("customer cancel requests", () => {
  test("stored open with the mapped reason and the lines found by item id, replayed, never duplicated", async () => {
    await intake(
      "CH-FOK",
      "req-1",
      order("SO-REQ-1", [
        { sku: "A", quantity: 2, item: "p-1" },
        { sku: "B", quantity: 1, item: "p-2" },
      ]),
    );
    const body = {
      requestId: "cr-1",
      channelOrderId: "req-1",
      reason: "CUSTOMER_CHANGED_MIND",
      lines: [{ channelItemId: "p-2" }],
    };
    const first = await receiveCancelRequest(db, { channelId: "CH-FOK", request: body, actor });
    expect(first).toMatchObject({
      ok: true,
      value: {
        status: 201,
        body: {
          data: {
            state: "open",
            reasonCode: TEST_REASON,
            customerReason: "CUSTOMER_CHANGED_MIND",
            lines: [{ sku: "B", channelItemId: "p-2", quantity: null }],
          },
        },
      },
    });
    const replay = await receiveCancelRequest(db, { channelId: "CH-FOK", request: body, actor });
    expect(replay).toMatchObject({ ok: true, value: { status: 200, replayed: true } });
    if (first.ok && replay.ok) expect(replay.value.body).toEqual(first.value.body);
    expect(
      await receiveCancelRequest(db, { channelId: "CH-FOK", request: { ...body, lines: undefined }, actor }),
    ).toMatchObject({ ok: false, error: { code: "REQUEST_ID_REUSED" } });
    const count = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM cancel_requests`);
    expect(count.rows[0]?.n).toBe(1);
  });

  test("an unmapped reason, an unknown order or item is refused naming the field", async () => {
    const base = { requestId: "cr-2", channelOrderId: "req-1", reason: "NO_SUCH_REASON" };
    const unmapped = await receiveCancelRequest(db, { channelId: "CH-FOK", request: base, actor });
    expect(unmapped).toMatchObject({ ok: false, error: { code: "REASON_NOT_MAPPED" } });
    if (!unmapped.ok) expect(unmapped.error.message).toMatch(/^reason: /);
    expect(
      await receiveCancelRequest(db, {
        channelId: "CH-FOK",
        request: { ...base, reason: TEST_REASON, channelOrderId: "nope" },
        actor,
      }),
    ).toMatchObject({ ok: false, error: { code: "ORDER_NOT_FOUND" } });
    const item = await receiveCancelRequest(db, {
      channelId: "CH-FOK",
      request: { ...base, reason: TEST_REASON, lines: [{ channelItemId: "p-9" }] },
      actor,
    });
    expect(item).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    if (!item.ok) expect(item.error.message).toBe("lines.0.channelItemId: order req-1 has no item p-9");
  });
});

test("nothing is left reserved and the ledger equals the line totals", async () => {
  const report = await ledgerReport(db);
  expect(report.mismatchedLines).toEqual([]);
});
