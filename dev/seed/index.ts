/**
 * The deterministic demo data set: the same rows, ids and timestamps on every run, so the
 * demo, the docs, the sample CSVs in `public/samples/` and the tests can all name real rows.
 *
 * Four channels, one per policy and contract (reference-data.ts), each order with the channel's
 * own id and its currency, each line with the channel's item id (channel-ids.ts):
 *
 * - MKT-NORTHWIND: commerce, whole lines only, cargo refunded; integer ids (ORD-000002 is order
 *   "5212445", its first item "18454625"); integer reason codes for every active reason.
 * - DROP-ACME: dropship, partial quantities; Mongo-style ids (ORD-000009 is order
 *   "6abf1ed9c77d7ade0f6263b8", its items "…63b9" and "…63ba"); customer reasons mapped.
 * - WEB-STORE: manual, partial quantities; the order number is the id ("WEB-100001", items
 *   "WEB-100001-1" …); our own reason codes.
 * - PORTAL-HARBOR: the seller portal (seeds/002), manual, whole lines only and fill-or-kill, in
 *   US dollars; purchase order numbers and line numbers ("PO-4500120001", "PO-4500120001-1");
 *   the portal's reason texts for every active reason.
 *
 * Well-known rows, forced by hand-written fixtures (ORD-000001 .. ORD-000009), see DEMO_IDS:
 *
 * - SO-000001-1 openSubOrder: open; TSHIRT-M-RED x2, JEANS-32-BLUE x1, MUG-350-BLK x3.
 * - SO-000002-1 processingSubOrder: in_processing; TSHIRT-M-RED 2 of 2 in processing,
 *   SNEAKER-42-WHT x1 open. Strict cancel fails with
 *   `SKU TSHIRT-M-RED: 2 units in processing (picklist released)`.
 * - SO-000002-2 openWmsSubOrder: open, in the 3PL warehouse WH-3PL-TGR04 (WMS connector), on
 *   MKT-NORTHWIND (whole lines only): cancelling 1 of its 2 CAP-OS-RED is refused.
 * - SO-000003-1 shippedSubOrder: shipped; JEANS-32-BLUE 1/1, SNEAKER-42-WHT 2/2 fulfilled.
 * - SO-000004-1 partiallyFulfilledSubOrder: partially_shipped; SNEAKER-42-WHT 3 of 5
 *   fulfilled, MUG-350-BLK x2 open. Cancelling 5 SNEAKER-42-WHT fails with
 *   `requested 5, cancellable 2: 3 fulfilled, 0 in processing, 0 already cancelled`.
 * - SO-000005-1 cancelledSubOrder: cancelled (CUSTOMER_CHANGED_MIND).
 * - SO-000006-1 partiallyCancelledSubOrder: partially_cancelled; TSHIRT-L-BLUE 1 of 3
 *   cancelled (OUT_OF_STOCK), MUG-500-WHT x1 open.
 * - SO-000007-1 fillOrKillSubOrder: PORTAL-HARBOR (fill-or-kill, USD), in_processing;
 *   JEANS-34-BLK 2 of 4 in processing, SOCKS-M-WHT x3 open. Shipping the 2 cancels the other 2.
 * - SO-000008-1 fillOrKillShippedSubOrder: PORTAL-HARBOR, shipped; SNEAKER-41-BLK 2 of 3
 *   shipped, the last one cancelled automatically (FILL_OR_KILL).
 * - SO-000009-1 partialQuantitySubOrder: DROP-ACME (partial quantities), open; TSHIRT-L-BLK x4,
 *   SOCKS-L-BLK x2. Cancelling 1 T-shirt keeps 3 (the dropship API makes a new item for them).
 *
 * Open customer cancel requests (CR-…) wait on a few all-open orders at the end of the list,
 * two per channel: one for the whole order, one for one line (./cancel-requests.ts).
 *
 * Everything else (ORD-000010 .. ORD-002000) comes from a mulberry32 generator with a fixed
 * seed; timestamps derive from BASE_DATE, never from the clock.
 */
import { eq, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import {
  cancellationLines,
  cancellationReasons,
  cancellations,
  cancelRequests,
  channelReasonCodes,
  channels,
  lineItems,
  orders,
  subOrders,
  warehouses,
} from "@/db/schema";
import { SUB_ORDER_STATUSES, type SubOrderStatus } from "@/lib/cancellation/status";
import { demoCancelRequests } from "./cancel-requests";
import { generateSeedData } from "./generator";
import {
  BATCH_SIZE,
  FILL_OR_KILL_REASON,
  REFERENCE_CREATED_AT,
  SEED_ACTOR_ID,
  SEED_CHANNEL_REASON_CODES,
  SEED_CHANNELS,
  SEED_LOCK_ID,
  SEED_REASONS,
  SEED_WAREHOUSES,
} from "./reference-data";

export { DEMO_IDS } from "./fixtures";
export { generateSeedData, type SeedData, type SeedLine } from "./generator";
export {
  BASE_DATE,
  FILL_OR_KILL_REASON,
  ORDER_COUNT,
  SEED,
  SEED_CHANNEL_REASON_CODES,
  SEED_CHANNELS,
  SEED_REASONS,
  SKU_PRICES,
} from "./reference-data";

export const SEED_TABLES = [
  "cancellationReasons",
  "channels",
  "channelReasonCodes",
  "warehouses",
  "orders",
  "subOrders",
  "lineItems",
  "cancellations",
  "cancellationLines",
] as const;
export type SeedCounts = Record<(typeof SEED_TABLES)[number], number>;

export type SeedSummary =
  | { seeded: false; message: string }
  | { seeded: true; message: string; counts: SeedCounts; statuses: Record<SubOrderStatus, number> };

/** True when the database holds no demo or real data yet (no channel exists). */
export async function isDatabaseEmpty(db: DbOrTx): Promise<boolean> {
  const rows = await db.select({ id: channels.id }).from(channels).limit(1);
  return rows.length === 0;
}

function chunks<T>(rows: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Loads the demo data set into an empty database, in one transaction. A database that
 * already has channels is left alone. Safe when several processes start at once.
 */
export async function seedDatabase(db: Db): Promise<SeedSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(SEED_LOCK_ID))})`);
    if (!(await isDatabaseEmpty(tx))) {
      return { seeded: false, message: "The database already has data (channels exist): nothing seeded." };
    }
    const fillOrKill = await tx
      .select({ code: cancellationReasons.code })
      .from(cancellationReasons)
      .where(eq(cancellationReasons.code, FILL_OR_KILL_REASON));
    if (fillOrKill.length === 0) {
      throw new Error(`seed: reason ${FILL_OR_KILL_REASON} is missing; run the migrations first`);
    }
    const data = generateSeedData();
    const reference = { createdAt: REFERENCE_CREATED_AT, updatedAt: REFERENCE_CREATED_AT };
    await tx.insert(cancellationReasons).values(SEED_REASONS.map((r) => ({ ...r, ...reference })));
    await tx
      .insert(channels)
      .values(SEED_CHANNELS.map(({ currency: _currency, ...c }) => ({ ...c, baseUrl: null, ...reference })));
    const reasonMappings = Object.entries(SEED_CHANNEL_REASON_CODES).flatMap(([channelId, codes]) =>
      Object.entries(codes).map(([reasonCode, channelCode]) => ({
        channelId,
        reasonCode,
        channelCode,
        ...reference,
      })),
    );
    await tx.insert(channelReasonCodes).values(reasonMappings);
    await tx.insert(warehouses).values(SEED_WAREHOUSES.map((w) => ({ ...w, baseUrl: null, ...reference })));
    for (const chunk of chunks(data.orders)) await tx.insert(orders).values(chunk);
    for (const chunk of chunks(data.subOrders)) {
      await tx.insert(subOrders).values(chunk.map(({ status: _status, ...row }) => row));
    }

    const lineIds = new Map<string, number>();
    for (const chunk of chunks(data.lineItems)) {
      const inserted = await tx
        .insert(lineItems)
        .values(chunk)
        .returning({ id: lineItems.id, subOrderId: lineItems.subOrderId, sku: lineItems.sku });
      for (const row of inserted) lineIds.set(`${row.subOrderId}|${row.sku}`, row.id);
    }

    const ledgerRows = data.cancellations.map(({ lines: _lines, ...entry }) => ({
      ...entry,
      status: "CONFIRMED" as const,
      actorType: "system" as const,
      actorId: SEED_ACTOR_ID,
      updatedAt: entry.resolvedAt,
    }));
    for (const chunk of chunks(ledgerRows)) await tx.insert(cancellations).values(chunk);
    const ledgerLines = data.cancellations.flatMap((entry) =>
      entry.lines.map((line) => {
        const lineItemId = lineIds.get(`${entry.subOrderId}|${line.sku}`);
        if (lineItemId === undefined) throw new Error(`seed: no line ${line.sku} on ${entry.subOrderId}`);
        return {
          cancellationId: entry.id,
          lineItemId,
          quantity: line.quantity,
          createdAt: entry.createdAt,
          updatedAt: entry.createdAt,
        };
      }),
    );
    for (const chunk of chunks(ledgerLines)) await tx.insert(cancellationLines).values(chunk);

    const requests = demoCancelRequests(data).map((r) => ({
      channelId: r.channelId,
      channelRequestId: r.channelRequestId,
      orderId: r.orderId,
      reasonCode: r.reasonCode,
      customerReason: r.customerReason,
      lines: r.line && [
        { ...r.line, lineItemId: lineIds.get(`${r.line.subOrderId}|${r.line.sku}`), quantity: null },
      ],
      fingerprint: `seed:${r.channelRequestId}`,
      createdAt: r.createdAt,
      updatedAt: r.createdAt,
    }));
    if (requests.length > 0) await tx.insert(cancelRequests).values(requests);

    const statuses = Object.fromEntries(SUB_ORDER_STATUSES.map((s) => [s, 0])) as Record<
      SubOrderStatus,
      number
    >;
    for (const sub of data.subOrders) statuses[sub.status] += 1;
    const counts: SeedCounts = {
      cancellationReasons: SEED_REASONS.length,
      channels: SEED_CHANNELS.length,
      channelReasonCodes: reasonMappings.length,
      warehouses: SEED_WAREHOUSES.length,
      orders: data.orders.length,
      subOrders: data.subOrders.length,
      lineItems: data.lineItems.length,
      cancellations: data.cancellations.length,
      cancellationLines: ledgerLines.length,
    };
    return {
      seeded: true,
      message: `Seeded ${counts.orders} orders, ${counts.subOrders} sub-orders, ${counts.lineItems} line items.`,
      counts,
      statuses,
    };
  });
}
