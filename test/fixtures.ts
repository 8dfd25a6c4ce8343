import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { cancellationReasons, channels, lineItems, orders, subOrders, warehouses } from "@/db/schema";
import { createBatch } from "@/lib/batches/create-batch";
import type { LineQuantities } from "@/lib/cancellation/quantities";
import { encryptCredentials, encryptionKey } from "@/lib/connectors/secrets";
import { connectorSecret } from "@/lib/env";
import { invalidateConnectorCache } from "@/lib/server/settings-cache";

export const TEST_REASON = "TEST_REASON";
export const SYSTEM_ACTOR = { type: "system", id: "test" } as const;

/** The smallest world a cancellation needs: one channel, one warehouse per connector, one reason. */
export async function insertReferenceData(db: Db): Promise<void> {
  await db.insert(channels).values({ id: "CH-TEST", name: "Test channel" }).onConflictDoNothing();
  await db
    .insert(warehouses)
    .values([
      { id: "WH-MANUAL", name: "Manual warehouse", connector: "manual" },
      { id: "WH-WMS", name: "3PL warehouse", connector: "wms", externalId: "TGR04" },
    ])
    .onConflictDoNothing();
  await db
    .insert(cancellationReasons)
    .values([
      { code: TEST_REASON, label: "Test reason", initiator: "seller" },
      { code: "RETIRED", label: "Retired reason", initiator: "seller", active: false },
    ])
    .onConflictDoNothing();
}

export type LineSpec = Partial<LineQuantities> & {
  sku: string;
  ordered: number;
  unitPriceMinor?: number;
  /** The channel's item id; `<sub-order>:<sku>` unless given. */
  channelItemId?: string;
};

/** Inserts an order with one sub-order holding the given lines. */
export async function insertSubOrder(
  db: Db,
  subOrderId: string,
  lines: LineSpec[],
  warehouseId: "WH-MANUAL" | "WH-WMS" = "WH-MANUAL",
): Promise<void> {
  const orderId = `ORD-${subOrderId}`;
  await db.insert(orders).values({
    id: orderId,
    channelId: "CH-TEST",
    channelOrderNo: orderId,
    channelOrderId: orderId,
    currency: "INR",
    customerName: "Test",
  });
  await db.insert(subOrders).values({ id: subOrderId, orderId, warehouseId });
  await db
    .insert(lineItems)
    .values(
      lines.map((l) => ({ unitPriceMinor: 1000, subOrderId, channelItemId: `${subOrderId}:${l.sku}`, ...l })),
    );
}

export async function readLines(db: Db, subOrderId: string) {
  return db.query.lineItems.findMany({
    where: (l, { eq }) => eq(l.subOrderId, subOrderId),
    orderBy: (l) => l.id,
  });
}

/** Sum of CONFIRMED ledger quantities per line, to compare with line_items.cancelled. */
export async function confirmedLedgerTotals(db: Db): Promise<Map<number, number>> {
  const result = await db.execute<{ line_item_id: number; total: number }>(sql`
    SELECT cl.line_item_id, sum(cl.quantity)::int AS total
      FROM cancellation_lines cl JOIN cancellations c ON c.id = cl.cancellation_id
     WHERE c.status = 'CONFIRMED' GROUP BY cl.line_item_id`);
  return new Map(result.rows.map((r) => [r.line_item_id, r.total]));
}

/**
 * `count` open sub-orders `${prefix}-1` … with two lines of 2 units each, in one statement
 * per table (bulk tests and the bench need tens of thousands).
 */
export async function insertBulkSubOrders(
  db: Db,
  prefix: string,
  count: number,
  warehouseId: "WH-MANUAL" | "WH-WMS" = "WH-MANUAL",
): Promise<string[]> {
  await db.execute(sql`
    INSERT INTO orders (id, channel_id, channel_order_no, channel_order_id, currency, customer_name)
    SELECT 'ORD-' || ${prefix} || '-' || g, 'CH-TEST', 'ORD-' || ${prefix} || '-' || g,
           'ORD-' || ${prefix} || '-' || g, 'INR', 'Bulk'
      FROM generate_series(1, ${count}::int) g`);
  await db.execute(sql`
    INSERT INTO sub_orders (id, order_id, warehouse_id)
    SELECT ${prefix} || '-' || g, 'ORD-' || ${prefix} || '-' || g, ${warehouseId}
      FROM generate_series(1, ${count}::int) g`);
  await db.execute(sql`
    INSERT INTO line_items (sub_order_id, sku, channel_item_id, unit_price_minor, ordered)
    SELECT ${prefix} || '-' || g, 'SKU-' || k, ${prefix} || '-' || g || ':SKU-' || k, 1250, 2
      FROM generate_series(1, ${count}::int) g, generate_series(1, 2) k`);
  // As autovacuum would on a live database: without statistics the planner scans whole tables.
  await db.execute(sql`ANALYZE orders, sub_orders, line_items`);
  return Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
}

/** Points the test warehouse WH-WMS and the test channel at fake servers, credentials encrypted. */
export async function connectFixtures(
  db: Db,
  targets: {
    wms?: { url: string; apiKey: string; timeoutMs?: number; maxAttempts?: number };
    channel?: { connector: "dropship" | "commerce"; url: string; token: string; maxAttempts?: number };
  },
): Promise<void> {
  const key = encryptionKey(connectorSecret());
  if (targets.wms) {
    await db
      .update(warehouses)
      .set({
        baseUrl: targets.wms.url,
        credentialsEncrypted: encryptCredentials({ apiKey: targets.wms.apiKey }, key),
        timeoutMs: targets.wms.timeoutMs ?? 1_000,
        maxAttempts: targets.wms.maxAttempts ?? 3,
      })
      .where(eq(warehouses.id, "WH-WMS"));
  }
  if (targets.channel) {
    await db
      .update(channels)
      .set({
        connector: targets.channel.connector,
        baseUrl: targets.channel.url,
        credentialsEncrypted: encryptCredentials({ token: targets.channel.token }, key),
        timeoutMs: 1_000,
        maxAttempts: targets.channel.maxAttempts ?? 5,
      })
      .where(eq(channels.id, "CH-TEST"));
  }
  invalidateConnectorCache();
}

/**
 * The facts that must hold after any run: every line's `cancelled` equals the sum of its confirmed
 * ledger quantities, and (once everything has been answered) nothing is reserved or pending.
 */
export async function ledgerReport(db: Db): Promise<{
  mismatchedLines: number[];
  reservedUnits: number;
  pendingEntries: number;
}> {
  const result = await db.execute<{ mismatched: number[] | null; reserved: number; pending: number }>(sql`
    SELECT (SELECT array_agg(li.id ORDER BY li.id) FROM line_items li
             WHERE li.cancelled <> coalesce((SELECT sum(cl.quantity) FROM cancellation_lines cl
                                               JOIN cancellations c ON c.id = cl.cancellation_id
                                              WHERE cl.line_item_id = li.id AND c.status = 'CONFIRMED'), 0)) AS mismatched,
           (SELECT coalesce(sum(pending_cancel), 0)::int FROM line_items) AS reserved,
           (SELECT count(*)::int FROM cancellations WHERE status = 'PENDING') AS pending`);
  const row = result.rows[0];
  return {
    mismatchedLines: row?.mismatched ?? [],
    reservedUnits: row?.reserved ?? 0,
    pendingEntries: row?.pending ?? 0,
  };
}

/** Waits until `condition` holds, checking every 25 ms; throws after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A draft batch of a sub-order file naming `ids` (one row each), as an upload would store it. */
export async function createSubOrderBatch(
  db: Db,
  ids: readonly string[],
  options: {
    fileSha256: string;
    mode?: "strict" | "unfulfilled_only";
    createdBy?: { type: "user" | "api_key" | "system"; id: string; name: string };
  },
): Promise<string> {
  const { batchId } = await createBatch(db, {
    kind: "sub_orders",
    mode: options.mode ?? "strict",
    fileName: `${options.fileSha256}.csv`,
    fileSha256: options.fileSha256,
    headers: ["Sub Order ID"],
    reasonCode: TEST_REASON,
    items: ids.map((id, i) => ({
      seq: i + 1,
      subOrderId: id,
      reasonCode: TEST_REASON,
      rows: [{ rowNumber: i + 2, cells: [id] }],
    })),
    createdBy: options.createdBy ?? { type: "user", id: "u-ops", name: "Olivia Ops" },
  });
  return batchId;
}
