// derived_status() (migration 0011) is the SQL twin of deriveSubOrderStatus: the Orders screen
// shows and filters by it. These properties keep the two equal, on the function alone and in the
// shape listOrders uses it (the sums of all the lines of all an order's sub-orders).
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { listOrders } from "@/db/queries/orders";
import { lineItems, orders, subOrders } from "@/db/schema";
import type { LineQuantities } from "@/lib/cancellation/quantities";
import { deriveSubOrderStatus, SUB_ORDER_STATUSES } from "@/lib/cancellation/status";
import { orderSearchSchema } from "@/lib/orders/order-search";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData } from "@/test/fixtures";

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
});
afterAll(async () => {
  await database.drop();
});

const PARTS = ["fulfilled", "processing", "cancelled", "pendingCancel", "open"] as const;
type Part = (typeof PARTS)[number];

/** A line that holds the invariant (the database refuses any other): parts drawn, `ordered` their sum. */
const lineArb = (present: Record<Part, boolean>): fc.Arbitrary<LineQuantities> => {
  const part = (p: Part) => (present[p] ? fc.nat(3) : fc.constant(0));
  return fc
    .record({
      fulfilled: part("fulfilled"),
      processing: part("processing"),
      cancelled: part("cancelled"),
      pendingCancel: part("pendingCancel"),
      open: part("open"),
    })
    .map(({ open, ...q }) => ({
      ...q,
      ordered: open + q.fulfilled + q.processing + q.cancelled + q.pendingCancel,
    }));
};

/** Present in a third of the orders, so that orders without it (shipped, cancelled) are common. */
const sometimes = fc.nat(2).map((n) => n === 0);

/**
 * An order: 1 to 3 sub-orders of 0 to 3 lines each (a sub-order without lines is possible). Which
 * quantities its lines hold at all is drawn per order, so that every status is common, shipped with
 * cancelled units included.
 */
const orderArb = fc
  .record({
    fulfilled: fc.boolean(),
    cancelled: fc.boolean(),
    processing: sometimes,
    pendingCancel: sometimes,
    open: sometimes,
  })
  .chain((present) => fc.array(fc.array(lineArb(present), { maxLength: 3 }), { minLength: 1, maxLength: 3 }));

const line = (q: Partial<LineQuantities> & { ordered: number }): LineQuantities => ({
  fulfilled: 0,
  processing: 0,
  cancelled: 0,
  pendingCancel: 0,
  ...q,
});

/** Any four sums, invariant or not, from 0 to past the int range (the function takes bigint). */
const sumArb = fc.oneof(
  { weight: 3, arbitrary: fc.nat(4) },
  { weight: 1, arbitrary: fc.nat(1_000) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 40) },
);
const aggregateArb = fc.record({ ordered: sumArb, cancelled: sumArb, fulfilled: sumArb, processing: sumArb });

test("derived_status(ordered, cancelled, fulfilled, processing) is deriveSubOrderStatus of those sums", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(aggregateArb, { minLength: 1, maxLength: 50 }), async (aggregates) => {
      // One statement per run: every aggregate of the run through the function at once.
      const result = await db.execute<{ i: number; status: string }>(sql`
        SELECT t.i::int AS i, derived_status(t.ordered, t.cancelled, t.fulfilled, t.processing) AS status
          FROM unnest(${sql.param(aggregates.map((a) => a.ordered))}::bigint[],
                      ${sql.param(aggregates.map((a) => a.cancelled))}::bigint[],
                      ${sql.param(aggregates.map((a) => a.fulfilled))}::bigint[],
                      ${sql.param(aggregates.map((a) => a.processing))}::bigint[])
               WITH ORDINALITY AS t(ordered, cancelled, fulfilled, processing, i)
         ORDER BY t.i`);
      expect(result.rows.map((r) => r.status)).toEqual(
        // As one line holding the sums: deriveSubOrderStatus only ever sums its lines.
        aggregates.map((a) => deriveSubOrderStatus([{ ...a, pendingCancel: 0 }])),
      );
    }),
    { numRuns: 200 },
  );
});

let run = 0;

test("listOrders shows and filters by the status deriveSubOrderStatus gives all the order's lines", async () => {
  await fc.assert(
    fc.asyncProperty(orderArb, fc.constantFrom(...SUB_ORDER_STATUSES), async (subOrderLines, other) => {
      run++;
      const orderId = `ORD-DS-${run}`;
      const orderNumber = `PO-DS-${String(run).padStart(6, "0")}`;
      await db.insert(orders).values({
        id: orderId,
        channelId: "CH-TEST",
        channelOrderNo: orderNumber,
        channelOrderId: orderId,
        currency: "INR",
        customerName: "Derived Status",
      });
      for (const [s, lines] of subOrderLines.entries()) {
        const subOrderId = `SO-DS-${run}-${s + 1}`;
        await db.insert(subOrders).values({ id: subOrderId, orderId, warehouseId: "WH-MANUAL" });
        if (lines.length > 0) {
          await db
            .insert(lineItems)
            .values(lines.map((l, i) => ({ ...l, subOrderId, sku: `SKU-${i + 1}`, unitPriceMinor: 100 })));
        }
      }
      const expected = deriveSubOrderStatus(subOrderLines.flat());
      const search = (status?: string) => listOrders(db, orderSearchSchema.parse({ q: orderNumber, status }));

      const found = await search();
      expect(found.rows.map((r) => [r.id, r.status])).toEqual([[orderId, expected]]);
      const sum = (pick: (l: LineQuantities) => number) =>
        subOrderLines.flat().reduce((total, l) => total + pick(l), 0);
      expect(found.rows[0]).toMatchObject({
        subOrders: subOrderLines.length,
        ordered: sum((l) => l.ordered),
        cancelled: sum((l) => l.cancelled),
        fulfilled: sum((l) => l.fulfilled),
      });

      // The status filter finds it under its status and under no other.
      expect((await search(expected)).rows.map((r) => r.id)).toEqual([orderId]);
      expect((await search(other)).rows.map((r) => r.id)).toEqual(other === expected ? [orderId] : []);
    }),
    {
      numRuns: 100,
      examples: [
        [[[]], "cancelled"],
        [[[line({ ordered: 2, cancelled: 1, fulfilled: 1 })], []], "partially_shipped"],
        [[[line({ ordered: 2, cancelled: 2 })], [line({ ordered: 1, fulfilled: 1 })]], "cancelled"],
        [[[line({ ordered: 3, cancelled: 3 })], [line({ ordered: 0 })]], "open"],
        [[[line({ ordered: 3, pendingCancel: 3 })]], "partially_cancelled"],
        [[[line({ ordered: 3, processing: 1, cancelled: 1 })]], "partially_cancelled"],
      ],
    },
  );
});
