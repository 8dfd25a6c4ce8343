import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { getOrderDetail } from "@/db/queries/order-detail";
import { listOrders } from "@/db/queries/orders";
import { listActiveReasons } from "@/db/queries/sub-orders";
import { cancellableOf } from "@/lib/cancellation/quantities";
import { cancellableUnder, planLineItemCancel } from "@/lib/cancellation/rules";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, ledgerReport, readLines, SYSTEM_ACTOR, TEST_REASON } from "@/test/fixtures";
import { cancelOrderLines } from "./cancel-order-lines";
import { isResolved, readSteps, type stepsProblem } from "./exception-steps";
import { FILL_OR_KILL_REASON } from "./fill-or-kill";
import { upsertOrder } from "./intake";
import { updateExceptionSteps } from "./order-exceptions";
import { orderSearchSchema } from "./order-search";
import { receiveWarehouseEvent } from "./warehouse-events";

let database: TestDatabase;
let db: Db;
const actor = { type: "api_key", id: "test-key" } as const;
const agent = { type: "user", id: "agent-1" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  await db.execute(sql`
    INSERT INTO channels (id, name, connector, partial_quantities)
    VALUES ('CH-WHOLE', 'Seller portal', 'manual', false)`);
  await db.execute(sql`
    INSERT INTO warehouses (id, name, connector) VALUES ('WH-MANUAL-2', 'Second manual', 'manual')`);
});
afterAll(async () => {
  await database.drop();
});

/** An order with two sub-orders in two warehouses, lines A (4) and B (2), then C (5). */
async function twoSubOrders(channelId: string, key: string) {
  const result = await upsertOrder(db, {
    channelId,
    channelOrderId: `ch-${key}`,
    actor,
    audit: { label: "intake key", sourceIp: null },
    order: {
      orderNumber: `PO-${key}`,
      currency: "EUR",
      customerName: `Grace ${key}`,
      subOrders: [
        {
          id: `SO-${key}-1`,
          warehouseId: "WH-MANUAL",
          lines: [
            { sku: `A-${key}`, quantity: 4, unitPriceMinor: 1000, channelItemId: `it-a-${key}` },
            { sku: `B-${key}`, quantity: 2, unitPriceMinor: 500 },
          ],
        },
        {
          id: `SO-${key}-2`,
          warehouseId: "WH-MANUAL-2",
          lines: [{ sku: `C-${key}`, quantity: 5, unitPriceMinor: 200 }],
        },
      ],
    },
  });
  if (!result.ok) throw new Error(result.error.message);
  const detail = await getOrderDetail(db, result.value.order.id);
  if (!detail) throw new Error("no detail");
  const lineId = (sku: string) => {
    const line = detail.subOrders.flatMap((s) => s.lines).find((l) => l.sku === sku);
    if (!line) throw new Error(`no line ${sku}`);
    return line.id;
  };
  return { orderId: detail.id, lineId };
}

const cancel = (orderId: string, lines: { lineItemId: number; quantity: number }[]) =>
  cancelOrderLines(db, { orderId, lines, reasonCode: TEST_REASON, actor: agent, source: "single" });

describe("cancel from the order", () => {
  test("one cancellation per sub-order; a refused one names the SKU and the numbers and stops no other", async () => {
    const { orderId, lineId } = await twoSubOrders("CH-TEST", "OC1");
    const result = await cancel(orderId, [
      { lineItemId: lineId("A-OC1"), quantity: 3 },
      { lineItemId: lineId("C-OC1"), quantity: 6 },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual([
      { subOrderId: "SO-OC1-1", status: "SUCCESS", units: 3 },
      expect.objectContaining({
        subOrderId: "SO-OC1-2",
        status: "ERROR",
        code: "QUANTITY_EXCEEDS_CANCELLABLE",
        message: expect.stringMatching(/C-OC1.*6/),
      }),
    ]);
    expect((await readLines(db, "SO-OC1-1"))[0]).toMatchObject({ sku: "A-OC1", cancelled: 3 });
    expect((await readLines(db, "SO-OC1-2"))[0]).toMatchObject({ cancelled: 0, pendingCancel: 0 });

    const detail = await getOrderDetail(db, orderId);
    const a = detail?.subOrders[0]?.lines[0];
    expect(a).toMatchObject({
      sku: "A-OC1",
      cancelled: 3,
      cancellable: 1,
      cancellableNow: 1,
      channelItemId: "it-a-OC1",
    });
    const cancelled = detail?.timeline.filter((e) => e.kind === "cancellation");
    expect(cancelled).toEqual([
      expect.objectContaining({
        title: "Cancelled 3 × A-OC1",
        status: "CONFIRMED",
        units: 3,
        valueMinor: 3000,
      }),
    ]);
  });

  test("a line that is not on the order refuses the request before anything is reserved", async () => {
    const { orderId, lineId } = await twoSubOrders("CH-TEST", "OC2");
    const other = await twoSubOrders("CH-TEST", "OC2X");
    const result = await cancel(orderId, [
      { lineItemId: lineId("A-OC2"), quantity: 1 },
      { lineItemId: other.lineId("A-OC2X"), quantity: 1 },
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: /lines\.1\.lineItemId/ },
    });
    expect((await readLines(db, "SO-OC2-1"))[0]).toMatchObject({ cancelled: 0, pendingCancel: 0 });
  });

  test("on a whole-lines-only channel part of a line is refused, the whole line goes", async () => {
    const { orderId, lineId } = await twoSubOrders("CH-WHOLE", "OC3");
    const part = await cancel(orderId, [{ lineItemId: lineId("A-OC3"), quantity: 2 }]);
    expect(part.ok && part.value[0]).toMatchObject({ status: "ERROR", code: "WHOLE_LINES_ONLY" });
    const whole = await cancel(orderId, [{ lineItemId: lineId("A-OC3"), quantity: 4 }]);
    expect(whole.ok && whole.value[0]).toMatchObject({ status: "SUCCESS", units: 4 });
    expect((await ledgerReport(db)).mismatchedLines).toEqual([]);
  });

  test("what the page offers to cancel on a whole-lines channel always plans (and nothing more does)", () => {
    const line = fc
      .tuple(fc.nat(6), fc.nat(6), fc.nat(6), fc.nat(6), fc.nat(6))
      .map(([ordered, f, p, c, r]) => {
        const fulfilled = Math.min(f, ordered);
        const processing = Math.min(p, ordered - fulfilled);
        const cancelled = Math.min(c, ordered - fulfilled - processing);
        const pendingCancel = Math.min(r, ordered - fulfilled - processing - cancelled);
        return { id: 1, sku: "S", ordered, fulfilled, processing, cancelled, pendingCancel };
      });
    fc.assert(
      fc.property(line, fc.boolean(), (l, partialQuantities) => {
        const policy = { channelName: "C", partialQuantities };
        const most = cancellableUnder(l, policy);
        expect(most).toBeLessThanOrEqual(cancellableOf(l));
        if (most > 0)
          expect(planLineItemCancel("SO", [l], [{ sku: "S", quantity: most }], policy).ok).toBe(true);
        if (!partialQuantities && most === 0 && cancellableOf(l) > 0) {
          expect(planLineItemCancel("SO", [l], [{ sku: "S", quantity: cancellableOf(l) }], policy).ok).toBe(
            false,
          );
        }
      }),
    );
  });
});

describe("shipped-after-cancellation exceptions", () => {
  test("shown on the order and under the Exceptions filter; steps in order; resolved with the credit memo", async () => {
    const { orderId } = await twoSubOrders("CH-TEST", "EX1");
    await cancelSubOrder(db, {
      subOrderId: "SO-EX1-2",
      mode: "strict",
      reasonCode: TEST_REASON,
      actor: SYSTEM_ACTOR,
      source: "api",
    });
    const shipped = await receiveWarehouseEvent(db, {
      warehouseId: "WH-MANUAL-2",
      actor,
      event: {
        eventId: "ev-ex1",
        type: "shipped",
        subOrderId: "SO-EX1-2",
        lines: [{ sku: "C-EX1", quantity: 2 }],
        shipment: { reference: "ASN-EX1", carrier: "DHL", trackingNumber: "TRK-EX1" },
      },
    });
    expect(shipped).toMatchObject({ ok: true, value: { status: 202 } });

    const detail = await getOrderDetail(db, orderId);
    const [exception] = detail?.exceptions ?? [];
    expect(exception).toMatchObject({
      subOrderId: "SO-EX1-2",
      lines: [{ sku: "C-EX1", units: 2 }],
      shipment: { trackingNumber: "TRK-EX1" },
      steps: {},
      resolvedAt: null,
    });
    expect(detail?.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(["placed", "intake", "cancellation", "warehouse_event", "exception"]),
    );
    const filter = orderSearchSchema.parse({ exceptions: "1" });
    expect((await listOrders(db, filter)).rows.map((r) => r.id)).toContain(orderId);
    if (!exception) return;

    const update = (steps: Parameters<typeof stepsProblem>[0]) =>
      updateExceptionSteps(db, { orderId, exceptionId: exception.id, steps, actor: agent });
    expect(await update({ acknowledged: true })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT", message: /needs "Customer emailed" first/ },
    });
    expect(await update({ customerTold: true, creditMemo: "CM-1" })).toMatchObject({
      ok: false,
      error: { message: /credit memo needs/ },
    });
    expect(await update({ customerTold: true, acknowledged: true })).toEqual({
      ok: true,
      value: { resolved: false },
    });
    const done = { customerTold: true, acknowledged: true, sellerSupportContacted: true, creditMemo: "CM-1" };
    expect(await update(done)).toEqual({ ok: true, value: { resolved: true } });
    expect((await getOrderDetail(db, orderId))?.exceptions[0]).toMatchObject({
      steps: done,
      resolvedAt: expect.any(String),
    });
    expect((await listOrders(db, filter)).rows.map((r) => r.id)).not.toContain(orderId);

    expect(
      await updateExceptionSteps(db, { orderId: "nope", exceptionId: exception.id, steps: {}, actor: agent }),
    ).toMatchObject({ ok: false, error: { code: "EXCEPTION_NOT_FOUND" } });
  });

  test("stored steps are read strictly", () => {
    expect(readSteps({ customerTold: "yes", acknowledged: true, creditMemo: 3, x: true })).toEqual({
      acknowledged: true,
    });
    expect(isResolved({ customerTold: true, acknowledged: true, sellerSupportContacted: true })).toBe(false);
  });
});

test("a person's reason select never offers the reasons only the system uses (fill-or-kill)", async () => {
  const codes = (await listActiveReasons(db)).map((r) => r.code);
  expect(codes).toContain(TEST_REASON);
  expect(codes).not.toContain(FILL_OR_KILL_REASON);
});

describe("order search", () => {
  test("a form's empty fields turn the filters off; a bad value is refused naming the field", () => {
    const blank = { q: " ", channel: "", warehouse: "", status: "", exceptions: "", sort: "", page: "" };
    expect(orderSearchSchema.parse(blank)).toEqual({ sort: "newest", page: 1 });
    expect(orderSearchSchema.parse({ q: "PO-1", channel: "CH", page: "3" })).toMatchObject({
      q: "PO-1",
      channel: "CH",
      page: 3,
    });
    const bad = orderSearchSchema.safeParse({ status: "lost" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["status"]);
  });

  test("finds an order by each key, case-insensitively by customer, and filters by channel, warehouse and status", async () => {
    const { orderId } = await twoSubOrders("CH-TEST", "SR1");
    const find = async (params: Record<string, string>) =>
      (await listOrders(db, orderSearchSchema.parse(params))).rows.map((r) => r.id);
    for (const q of ["PO-SR1", "ch-SR1", "SO-SR1-2", "C-SR1", "grace sr1", "Grace SR"]) {
      expect(await find({ q }), q).toContain(orderId);
    }
    expect(await find({ q: "PO-SR1%" })).toEqual([]);
    expect(await find({ q: "SR1", channel: "CH-TEST" })).toEqual([]);
    expect(await find({ q: "PO-SR1", warehouse: "WH-MANUAL-2" })).toEqual([orderId]);
    expect(await find({ q: "PO-SR1", warehouse: "WH-NONE" })).toEqual([]);
    expect(await find({ q: "PO-SR1", status: "open" })).toEqual([orderId]);
    expect(await find({ q: "PO-SR1", status: "cancelled" })).toEqual([]);
  });
});
