import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import {
  cancellationLines,
  cancellationReasons,
  cancellations,
  channels,
  lineItems,
  orders,
  subOrders,
  warehouses,
} from "@/db/schema";
import { holdsInvariant } from "@/lib/cancellation/quantities";
import type { PlannedLine } from "@/lib/cancellation/rules";
import { planLineItemCancel, planSubOrderCancel } from "@/lib/cancellation/rules";
import { deriveSubOrderStatus, SUB_ORDER_STATUSES, type SubOrderStatus } from "@/lib/cancellation/status";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { buildSamples, lineGroupOutcome, SAMPLE_FILES, SAMPLES_DIR, subOrderOutcome } from "../samples";
import { DEMO_IDS, isDatabaseEmpty, ORDER_COUNT, type SeedSummary, seedDatabase } from ".";

let database: TestDatabase;
let summary: SeedSummary;
let linesBySubOrder: Map<string, PlannedLine[]>;

async function readLinesBySubOrder(db: Db): Promise<Map<string, PlannedLine[]>> {
  const rows = await db
    .select({
      id: lineItems.id,
      subOrderId: lineItems.subOrderId,
      sku: lineItems.sku,
      ordered: lineItems.ordered,
      fulfilled: lineItems.fulfilled,
      processing: lineItems.processing,
      cancelled: lineItems.cancelled,
      pendingCancel: lineItems.pendingCancel,
    })
    .from(lineItems)
    .orderBy(lineItems.id);
  const map = new Map<string, PlannedLine[]>();
  for (const { subOrderId, ...line } of rows) map.set(subOrderId, [...(map.get(subOrderId) ?? []), line]);
  return map;
}

const statusOf = (subOrderId: string): SubOrderStatus | undefined => {
  const lines = linesBySubOrder.get(subOrderId);
  return lines && deriveSubOrderStatus(lines);
};

/** A hash of every seeded table, rows in key order: equal hashes mean equal data. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = {
    cancellationReasons: await db.select().from(cancellationReasons).orderBy(cancellationReasons.code),
    channels: await db.select().from(channels).orderBy(channels.id),
    warehouses: await db.select().from(warehouses).orderBy(warehouses.id),
    orders: await db.select().from(orders).orderBy(orders.id),
    subOrders: await db.select().from(subOrders).orderBy(subOrders.id),
    lineItems: await db.select().from(lineItems).orderBy(lineItems.id),
    cancellations: await db.select().from(cancellations).orderBy(cancellations.id),
    cancellationLines: await db.select().from(cancellationLines).orderBy(cancellationLines.id),
  };
  return Object.fromEntries(
    Object.entries(tables).map(([name, rows]) => [
      name,
      `${rows.length}:${createHash("sha256").update(JSON.stringify(rows)).digest("hex")}`,
    ]),
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  expect(await isDatabaseEmpty(database.db)).toBe(true);
  summary = await seedDatabase(database.db);
  linesBySubOrder = await readLinesBySubOrder(database.db);
});
afterAll(() => database?.drop());

describe("seedDatabase", () => {
  test("fills an empty database and reports what it inserted", async () => {
    expect(summary.seeded).toBe(true);
    if (!summary.seeded) return;
    expect(await isDatabaseEmpty(database.db)).toBe(false);
    const { counts } = summary;
    expect(counts.orders).toBe(ORDER_COUNT);
    expect(counts.subOrders).toBeGreaterThanOrEqual(2_800);
    expect(counts.subOrders).toBeLessThanOrEqual(3_200);
    expect(counts.lineItems).toBeGreaterThanOrEqual(7_000);
    expect(counts.lineItems).toBeLessThanOrEqual(9_000);
    expect(counts.cancellationReasons).toBeGreaterThanOrEqual(8);
    expect(counts.channels).toBeGreaterThanOrEqual(3);
    expect(counts.warehouses).toBeGreaterThanOrEqual(3);
    const actual = {
      cancellationReasons: (await database.db.select({ n: count() }).from(cancellationReasons))[0]?.n,
      channels: (await database.db.select({ n: count() }).from(channels))[0]?.n,
      warehouses: (await database.db.select({ n: count() }).from(warehouses))[0]?.n,
      orders: (await database.db.select({ n: count() }).from(orders))[0]?.n,
      subOrders: (await database.db.select({ n: count() }).from(subOrders))[0]?.n,
      lineItems: (await database.db.select({ n: count() }).from(lineItems))[0]?.n,
      cancellations: (await database.db.select({ n: count() }).from(cancellations))[0]?.n,
      cancellationLines: (await database.db.select({ n: count() }).from(cancellationLines))[0]?.n,
    };
    expect(actual).toEqual(counts);
  });

  test("a second call on a seeded database changes nothing", async () => {
    const before = await fingerprint(database.db);
    const again = await seedDatabase(database.db);
    expect(again.seeded).toBe(false);
    expect(again.message).toMatch(/already has data/);
    expect(await fingerprint(database.db)).toEqual(before);
  });

  test("two fresh databases get identical data", async () => {
    const other = await createTestDatabase();
    try {
      const otherSummary = await seedDatabase(other.db);
      expect(otherSummary).toEqual(summary);
      expect(await fingerprint(other.db)).toEqual(await fingerprint(database.db));
    } finally {
      await other.drop();
    }
  });

  test("orders have 1-2 sub-orders in distinct warehouses, sub-orders 1-5 lines with unique SKUs", async () => {
    const subs = await database.db.select().from(subOrders);
    const byOrder = new Map<string, string[]>();
    for (const sub of subs) byOrder.set(sub.orderId, [...(byOrder.get(sub.orderId) ?? []), sub.warehouseId]);
    expect(byOrder.size).toBe(ORDER_COUNT);
    for (const warehouseIds of byOrder.values()) {
      expect(warehouseIds.length).toBeGreaterThanOrEqual(1);
      expect(warehouseIds.length).toBeLessThanOrEqual(2);
      expect(new Set(warehouseIds).size).toBe(warehouseIds.length);
    }
    for (const sub of subs) {
      expect(sub.id).toMatch(/^SO-\d{6}-[12]$/);
      const lines = linesBySubOrder.get(sub.id) ?? [];
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(5);
      expect(new Set(lines.map((l) => l.sku)).size).toBe(lines.length);
    }
  });

  test("every derived status appears at least 50 times, as the summary says", () => {
    const statuses = Object.fromEntries(SUB_ORDER_STATUSES.map((s) => [s, 0])) as Record<
      SubOrderStatus,
      number
    >;
    for (const lines of linesBySubOrder.values()) statuses[deriveSubOrderStatus(lines)] += 1;
    for (const status of SUB_ORDER_STATUSES) expect(statuses[status]).toBeGreaterThanOrEqual(50);
    expect(summary.seeded && summary.statuses).toEqual(statuses);
  });

  test("every line keeps the quantity invariant, with nothing pending", () => {
    const lines = [...linesBySubOrder.values()].flat();
    expect(lines.filter((l) => !holdsInvariant(l) || l.pendingCancel !== 0 || l.ordered < 1)).toEqual([]);
  });

  test("the ledger backs every cancelled unit", async () => {
    const ledger = await database.db.execute<{ line_item_id: number; total: number; foreign: number }>(sql`
      SELECT cl.line_item_id, sum(cl.quantity)::int AS total,
             count(*) FILTER (WHERE li.sub_order_id <> c.sub_order_id)::int AS foreign
        FROM cancellation_lines cl
        JOIN cancellations c ON c.id = cl.cancellation_id
        JOIN line_items li ON li.id = cl.line_item_id
       WHERE c.status = 'CONFIRMED'
       GROUP BY cl.line_item_id`);
    const totals = new Map(ledger.rows.map((r) => [r.line_item_id, r.total]));
    expect(ledger.rows.filter((r) => r.foreign > 0)).toEqual([]);
    const mismatches = [...linesBySubOrder.values()]
      .flat()
      .filter((l) => (totals.get(l.id) ?? 0) !== l.cancelled)
      .map((l) => ({ id: l.id, cancelled: l.cancelled, ledger: totals.get(l.id) ?? 0 }));
    expect(mismatches).toEqual([]);

    const entries = await database.db.select().from(cancellations);
    for (const entry of entries) {
      expect(entry).toMatchObject({ status: "CONFIRMED", actorType: "system", actorId: "seed" });
      expect(["single", "automatic"]).toContain(entry.source);
      expect(entry.resolvedAt).not.toBeNull();
    }
    const empty = await database.db.execute(sql`
      SELECT c.id FROM cancellations c
       WHERE NOT EXISTS (SELECT 1 FROM cancellation_lines cl WHERE cl.cancellation_id = c.id)`);
    expect(empty.rows).toEqual([]);
  });

  test("the DEMO_IDS have their promised states", async () => {
    expect(statusOf(DEMO_IDS.openSubOrder)).toBe("open");
    expect(statusOf(DEMO_IDS.openWmsSubOrder)).toBe("open");
    expect(statusOf(DEMO_IDS.processingSubOrder)).toBe("in_processing");
    expect(statusOf(DEMO_IDS.shippedSubOrder)).toBe("shipped");
    expect(statusOf(DEMO_IDS.partiallyFulfilledSubOrder)).toBe("partially_shipped");
    expect(statusOf(DEMO_IDS.cancelledSubOrder)).toBe("cancelled");
    expect(statusOf(DEMO_IDS.partiallyCancelledSubOrder)).toBe("partially_cancelled");
    expect(statusOf(DEMO_IDS.fillOrKillSubOrder)).toBe("in_processing");
    expect(statusOf(DEMO_IDS.fillOrKillShippedSubOrder)).toBe("shipped");

    const processing = linesBySubOrder.get(DEMO_IDS.processingSubOrder) ?? [];
    expect(processing.find((l) => l.sku === DEMO_IDS.processingLine.sku)).toMatchObject({
      processing: DEMO_IDS.processingLine.processing,
    });
    const strict = planSubOrderCancel(DEMO_IDS.processingSubOrder, processing, "strict");
    expect(strict).toEqual({
      ok: false,
      error: {
        code: "IN_PROCESSING",
        message: "SKU TSHIRT-M-RED: 2 units in processing (picklist released)",
      },
    });

    const partial = linesBySubOrder.get(DEMO_IDS.partiallyFulfilledSubOrder) ?? [];
    const tooMany = planLineItemCancel(DEMO_IDS.partiallyFulfilledSubOrder, partial, [
      { sku: "SNEAKER-42-WHT", quantity: 5 },
    ]);
    expect(tooMany.ok || tooMany.error.message).toBe(
      "SKU SNEAKER-42-WHT: requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled",
    );

    const [order] = await database.db
      .execute<{ channel_id: string; connector: string }>(sql`
      SELECT o.channel_id, w.connector FROM sub_orders s
        JOIN orders o ON o.id = s.order_id JOIN warehouses w ON w.id = s.warehouse_id
       WHERE s.id = ${DEMO_IDS.openWmsSubOrder}`)
      .then((r) => r.rows);
    expect(order?.connector).toBe("wms");
    const fok = await database.db.execute<{ id: string; fill_or_kill: boolean }>(sql`
      SELECT s.id, c.fill_or_kill FROM sub_orders s
        JOIN orders o ON o.id = s.order_id JOIN channels c ON c.id = o.channel_id
       WHERE s.id IN (${DEMO_IDS.fillOrKillSubOrder}, ${DEMO_IDS.fillOrKillShippedSubOrder})`);
    expect(fok.rows.map((r) => r.fill_or_kill)).toEqual([true, true]);
    const automatic = await database.db.execute<{ reason_code: string; source: string }>(sql`
      SELECT reason_code, source FROM cancellations WHERE sub_order_id = ${DEMO_IDS.fillOrKillShippedSubOrder}`);
    expect(automatic.rows).toEqual([{ reason_code: "FILL_OR_KILL_REMAINDER", source: "automatic" }]);
  });
});

describe("sample CSVs", () => {
  const samples = buildSamples();

  test("the committed files are what the generator writes", () => {
    for (const [name, content] of Object.entries(samples.files)) {
      expect(fs.readFileSync(path.join(SAMPLES_DIR, name), "utf8"), name).toBe(content);
    }
  });

  test("every sub-order the sub-order samples expect to succeed is open", () => {
    const succeeding = samples.rows.filter(
      (r) => r.expected === "SUCCESS" && r.file !== SAMPLE_FILES.lineItems,
    );
    expect(succeeding.length).toBeGreaterThanOrEqual(30);
    for (const row of succeeding) expect(statusOf(row.subOrderId), row.subOrderId).toBe("open");
  });

  test("no sub-order expected to succeed appears in two files", () => {
    const fileOf = new Map<string, string>();
    for (const row of samples.rows.filter((r) => r.expected === "SUCCESS")) {
      const seen = fileOf.get(row.subOrderId);
      if (seen) expect(seen, row.subOrderId).toBe(row.file);
      fileOf.set(row.subOrderId, row.file);
    }
  });

  test("the seeded rows give every expected result", () => {
    const ruleDecided = (r: (typeof samples.rows)[number]) =>
      !["duplicate", "blank", "unknown_reason"].includes(r.kind);
    for (const row of samples.rows.filter((r) => r.file !== SAMPLE_FILES.lineItems && ruleDecided(r))) {
      const outcome = subOrderOutcome(row.subOrderId, linesBySubOrder.get(row.subOrderId));
      expect(outcome.expected, `${row.file}:${row.line}`).toBe(row.expected);
    }
    const groups = new Map<string, typeof samples.rows>();
    for (const row of samples.rows.filter((r) => r.file === SAMPLE_FILES.lineItems)) {
      groups.set(row.subOrderId, [...(groups.get(row.subOrderId) ?? []), row]);
    }
    expect(groups.size).toBeGreaterThanOrEqual(10);
    for (const [subOrderId, rows] of groups) {
      const requests = rows.map((r) => ({ sku: r.sku ?? "", quantity: r.quantity ?? 0 }));
      const outcome = lineGroupOutcome(subOrderId, linesBySubOrder.get(subOrderId), requests);
      expect(outcome.expected, subOrderId).toBe(rows[0]?.expected);
    }

    // The validation-level kinds: a repeat follows its first row, a blank is blank, the reason is unknown.
    for (const row of samples.rows.filter((r) => r.kind === "duplicate")) {
      const earlier = samples.rows.filter((r) => r.file === row.file && r.line < row.line);
      expect(earlier.some((r) => r.subOrderId === row.subOrderId && r.expected === "SUCCESS")).toBe(true);
    }
    expect(samples.rows.filter((r) => r.kind === "blank").every((r) => r.subOrderId === "")).toBe(true);
  });

  test("an unknown reason code is not in the seeded reasons", async () => {
    const codes = new Set(
      (await database.db.select({ code: cancellationReasons.code }).from(cancellationReasons)).map(
        (r) => r.code,
      ),
    );
    for (const row of samples.rows.filter((r) => r.reasonCode)) {
      expect(codes.has(row.reasonCode ?? ""), row.reasonCode).toBe(row.kind !== "unknown_reason");
    }
  });
});
