import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { count, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "@/db/client";
import {
  cancellationLines,
  cancellationReasons,
  cancellations,
  channelReasonCodes,
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
import {
  DEMO_IDS,
  FILL_OR_KILL_REASON,
  isDatabaseEmpty,
  ORDER_COUNT,
  SEED_REASONS,
  type SeedSummary,
  SKU_PRICES,
  seedDatabase,
} from ".";

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

/** The reasons the seed inserted (the migrations insert FILL_OR_KILL, with their own timestamp). */
const seededReasons = ne(cancellationReasons.code, FILL_OR_KILL_REASON);

/** A hash of every seeded table, rows in key order: equal hashes mean equal data. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = {
    cancellationReasons: await db
      .select()
      .from(cancellationReasons)
      .where(seededReasons)
      .orderBy(cancellationReasons.code),
    channels: await db.select().from(channels).orderBy(channels.id),
    channelReasonCodes: await db
      .select()
      .from(channelReasonCodes)
      .orderBy(channelReasonCodes.channelId, channelReasonCodes.reasonCode),
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
    expect(counts.channels).toBeGreaterThanOrEqual(4);
    expect(counts.warehouses).toBeGreaterThanOrEqual(3);
    const actual = {
      cancellationReasons: (
        await database.db.select({ n: count() }).from(cancellationReasons).where(seededReasons)
      )[0]?.n,
      channels: (await database.db.select({ n: count() }).from(channels))[0]?.n,
      channelReasonCodes: (await database.db.select({ n: count() }).from(channelReasonCodes))[0]?.n,
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
    const policies = await database.db.execute<{
      id: string;
      channel_id: string;
      fill_or_kill: boolean;
      partial_quantities: boolean;
      currency: string;
    }>(sql`
      SELECT s.id, c.id AS channel_id, c.fill_or_kill, c.partial_quantities, o.currency FROM sub_orders s
        JOIN orders o ON o.id = s.order_id JOIN channels c ON c.id = o.channel_id
       WHERE s.id IN (${DEMO_IDS.fillOrKillSubOrder}, ${DEMO_IDS.fillOrKillShippedSubOrder},
                      ${DEMO_IDS.wholeLinesLine.subOrderId}, ${DEMO_IDS.partialQuantityLine.subOrderId})
       ORDER BY s.id`);
    const portal = {
      channel_id: DEMO_IDS.channels.sellerPortal,
      fill_or_kill: true,
      partial_quantities: false,
      currency: "USD",
    };
    expect(policies.rows).toEqual([
      {
        id: DEMO_IDS.wholeLinesLine.subOrderId,
        channel_id: DEMO_IDS.channels.commerce,
        fill_or_kill: false,
        partial_quantities: false,
        currency: "INR",
      },
      { id: DEMO_IDS.fillOrKillSubOrder, ...portal },
      { id: DEMO_IDS.fillOrKillShippedSubOrder, ...portal },
      {
        id: DEMO_IDS.partialQuantityLine.subOrderId,
        channel_id: DEMO_IDS.channels.dropship,
        fill_or_kill: false,
        partial_quantities: true,
        currency: "INR",
      },
    ]);
    expect(statusOf(DEMO_IDS.partialQuantitySubOrder)).toBe("open");
    for (const line of [DEMO_IDS.wholeLinesLine, DEMO_IDS.partialQuantityLine]) {
      const found = linesBySubOrder.get(line.subOrderId)?.find((l) => l.sku === line.sku);
      expect(found).toMatchObject({ ordered: line.ordered, fulfilled: 0, processing: 0, cancelled: 0 });
    }
    const automatic = await database.db.execute<{ reason_code: string; source: string }>(sql`
      SELECT reason_code, source FROM cancellations WHERE sub_order_id = ${DEMO_IDS.fillOrKillShippedSubOrder}`);
    expect(automatic.rows).toEqual([{ reason_code: FILL_OR_KILL_REASON, source: "automatic" }]);
  });
});

describe("channel identity and policies", () => {
  type OrderRow = {
    id: string;
    channel_id: string;
    connector: string;
    channel_order_id: string;
    currency: string;
  };
  type LineRow = { id: number; channel_id: string; connector: string; channel_item_id: string | null };

  const readOrders = async () =>
    (
      await database.db.execute<OrderRow>(sql`
        SELECT o.id, o.channel_id, c.connector, o.channel_order_id, o.currency
          FROM orders o JOIN channels c ON c.id = o.channel_id ORDER BY o.id`)
    ).rows;
  const readLines = async () =>
    (
      await database.db.execute<LineRow>(sql`
        SELECT li.id, o.channel_id, c.connector, li.channel_item_id
          FROM line_items li JOIN sub_orders s ON s.id = li.sub_order_id
          JOIN orders o ON o.id = s.order_id JOIN channels c ON c.id = o.channel_id ORDER BY li.id`)
    ).rows;

  test("every order has the channel's order id and a currency, mostly INR and some in another", async () => {
    const rows = await readOrders();
    expect(rows).toHaveLength(ORDER_COUNT);
    expect(rows.filter((r) => r.channel_order_id.trim() === "" || !/^[A-Z]{3}$/.test(r.currency))).toEqual(
      [],
    );
    const inr = rows.filter((r) => r.currency === "INR").length;
    expect(inr).toBeGreaterThan(rows.length / 2);
    expect(rows.length - inr).toBeGreaterThanOrEqual(50);
    // One currency per channel.
    const currencies = new Map<string, Set<string>>();
    for (const r of rows)
      currencies.set(r.channel_id, (currencies.get(r.channel_id) ?? new Set()).add(r.currency));
    for (const [channel, set] of currencies) expect(set.size, channel).toBe(1);
  });

  test("every line on a dropship or commerce channel has the channel's item id", async () => {
    const rows = await readLines();
    const remote = rows.filter((r) => r.connector === "dropship" || r.connector === "commerce");
    expect(remote.length).toBeGreaterThan(1_000);
    expect(remote.filter((r) => !r.channel_item_id)).toEqual([]);
  });

  test("channel ids are unique per channel and shaped as each channel's API writes them", async () => {
    const shapes: Record<string, RegExp> = {
      dropship: /^[0-9a-f]{24}$/,
      commerce: /^[1-9]\d*$/,
      manual: /^[A-Z]+-[\w-]+$/,
    };
    const orderRows = await readOrders();
    const lineRows = await readLines();
    const connectors = new Set(orderRows.map((r) => r.connector));
    expect([...connectors].sort()).toEqual(["commerce", "dropship", "manual"]);
    const ids = [
      ...orderRows.map((r) => ({ channel: r.channel_id, connector: r.connector, id: r.channel_order_id })),
      ...lineRows.map((r) => ({
        channel: r.channel_id,
        connector: r.connector,
        id: r.channel_item_id ?? "",
      })),
    ];
    expect(ids.filter((r) => !shapes[r.connector]?.test(r.id))).toEqual([]);
    const seen = new Set<string>();
    const repeated = ids.filter(({ channel, id }) => seen.size === seen.add(`${channel}|${id}`).size);
    expect(repeated).toEqual([]);
  });

  test("each channel policy exists", async () => {
    const rows = await database.db.select().from(channels).orderBy(channels.id);
    const policy = (c: (typeof rows)[number]) => ({
      connector: c.connector,
      partialQuantities: c.partialQuantities,
      fillOrKill: c.fillOrKill,
    });
    // The seller portal of seeds/002: whole lines only, fill-or-kill.
    expect(rows.map(policy)).toContainEqual({
      connector: "manual",
      partialQuantities: false,
      fillOrKill: true,
    });
    // The commerce platform cancels whole order items; the dropship API takes `newQuantity`.
    for (const c of rows.filter((r) => r.connector === "commerce")) expect(c.partialQuantities).toBe(false);
    for (const c of rows.filter((r) => r.connector === "dropship")) expect(c.partialQuantities).toBe(true);
    expect(rows.some((r) => r.connector === "commerce")).toBe(true);
    expect(rows.some((r) => r.connector === "dropship")).toBe(true);
  });

  test("the cancelled quantities keep each channel's policy", async () => {
    // Whole lines only: what people cancelled is the whole line, untouched by the warehouse.
    const partial = await database.db.execute(sql`
      SELECT li.id FROM cancellation_lines cl
        JOIN cancellations c ON c.id = cl.cancellation_id
        JOIN line_items li ON li.id = cl.line_item_id
        JOIN sub_orders s ON s.id = li.sub_order_id JOIN orders o ON o.id = s.order_id
        JOIN channels ch ON ch.id = o.channel_id
       WHERE NOT ch.partial_quantities AND c.source <> 'automatic'
         AND (cl.quantity <> li.ordered OR li.fulfilled + li.processing > 0)`);
    expect(partial.rows).toEqual([]);
    // Fill-or-kill: a line that shipped in part has nothing left in processing or open.
    const leftOver = await database.db.execute(sql`
      SELECT li.id FROM line_items li
        JOIN sub_orders s ON s.id = li.sub_order_id JOIN orders o ON o.id = s.order_id
        JOIN channels ch ON ch.id = o.channel_id
       WHERE ch.fill_or_kill AND li.fulfilled > 0 AND li.fulfilled + li.cancelled <> li.ordered`);
    expect(leftOver.rows).toEqual([]);
    const killed = await database.db.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM cancellations WHERE reason_code = ${FILL_OR_KILL_REASON}`);
    expect(killed.rows[0]?.n).toBeGreaterThanOrEqual(10);
  });

  test("unit prices are in the order's currency", async () => {
    const rows = await database.db.execute<{ sku: string; currency: string; unit_price_minor: number }>(sql`
      SELECT DISTINCT li.sku, o.currency, li.unit_price_minor FROM line_items li
        JOIN sub_orders s ON s.id = li.sub_order_id JOIN orders o ON o.id = s.order_id`);
    const wrong = rows.rows.filter(
      (r) => SKU_PRICES.get(r.sku)?.[r.currency as "INR" | "USD"] !== r.unit_price_minor,
    );
    expect(wrong).toEqual([]);
  });

  test("FILL_OR_KILL comes from the migrations, once, and the seed does not insert it", async () => {
    expect(SEED_REASONS.map((r) => r.code)).not.toContain(FILL_OR_KILL_REASON);
    const rows = await database.db.execute<{ initiator: string; active: boolean }>(sql`
      SELECT initiator, active FROM cancellation_reasons WHERE code = ${FILL_OR_KILL_REASON}`);
    expect(rows.rows).toEqual([{ initiator: "automatic", active: true }]);
  });

  test("every active reason is mapped on the commerce channel, as an integer code", async () => {
    const active = (
      await database.db.select().from(cancellationReasons).where(sql`${cancellationReasons.active}`)
    ).map((r) => r.code);
    const mappings = await database.db
      .select({
        channelId: channelReasonCodes.channelId,
        connector: channels.connector,
        reasonCode: channelReasonCodes.reasonCode,
        channelCode: channelReasonCodes.channelCode,
      })
      .from(channelReasonCodes)
      .innerJoin(channels, sql`${channels.id} = ${channelReasonCodes.channelId}`);
    const commerce = mappings.filter((m) => m.connector === "commerce");
    expect(commerce.map((m) => m.reasonCode).sort()).toEqual([...active].sort());
    expect(commerce.filter((m) => !/^[1-9]\d*$/.test(m.channelCode))).toEqual([]);

    // Customer cancel requests can be mapped back on every channel that names reasons its own way.
    const customer = SEED_REASONS.filter((r) => r.active && r.initiator === "customer").map((r) => r.code);
    const mapped = new Set(mappings.map((m) => m.channelId));
    expect(mapped.size).toBeGreaterThanOrEqual(2);
    for (const channelId of mapped) {
      const codes = mappings.filter((m) => m.channelId === channelId).map((m) => m.reasonCode);
      expect(codes, channelId).toEqual(expect.arrayContaining(customer));
    }
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
