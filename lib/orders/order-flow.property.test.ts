import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { ERROR_CODES } from "@/lib/cancellation/errors";
import { holdsInvariant } from "@/lib/cancellation/quantities";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertReferenceData, ledgerReport, readLines, SYSTEM_ACTOR, TEST_REASON } from "@/test/fixtures";
import { upsertOrder } from "./intake";
import { receiveWarehouseEvent } from "./warehouse-events";

let database: TestDatabase;
let db: Db;
const actor = { type: "api_key", id: "property" } as const;
const SKUS = ["A", "B"] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  await insertReferenceData(db);
  await db.execute(sql`
    INSERT INTO channels (id, name, connector, fill_or_kill) VALUES ('CH-PROP-FOK', 'Fill or kill', 'manual', true)`);
});
afterAll(async () => {
  await database.drop();
});

const sku = fc.constantFrom(...SKUS);
const quantity = fc.integer({ min: 1, max: 6 });
const command = fc.oneof(
  fc.record({
    kind: fc.constant("intake" as const),
    a: fc.integer({ min: 0, max: 12 }),
    b: fc.integer({ min: 0, max: 12 }),
  }),
  fc.record({
    kind: fc.constantFrom("allocated" as const, "released" as const, "shipped" as const),
    sku,
    quantity,
  }),
  fc.record({ kind: fc.constant("cancelLine" as const), sku, quantity }),
  fc.record({ kind: fc.constant("cancelSubOrder" as const), unfulfilledOnly: fc.boolean() }),
);

let run = 0;

test("any sequence of intake updates, warehouse events and cancellations keeps the invariant and the ledger", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.boolean(),
      fc.array(command, { minLength: 1, maxLength: 12 }),
      async (fillOrKill, commands) => {
        run++;
        const channelId = fillOrKill ? "CH-PROP-FOK" : "CH-TEST";
        const subOrderId = `SO-PROP-${run}`;
        const intake = (a: number, b: number) =>
          upsertOrder(db, {
            channelId,
            channelOrderId: `prop-${run}`,
            actor,
            order: {
              orderNumber: `PO-PROP-${run}`,
              currency: "INR",
              customerName: "Property",
              subOrders: [
                {
                  id: subOrderId,
                  warehouseId: "WH-MANUAL",
                  lines: [
                    { sku: "A", quantity: a, unitPriceMinor: 100 },
                    { sku: "B", quantity: b, unitPriceMinor: 100 },
                  ],
                },
              ],
            },
          });
        const created = await intake(8, 8);
        expect(created.ok).toBe(true);
        let event = 0;
        for (const c of commands) {
          const base = { reasonCode: TEST_REASON, actor: SYSTEM_ACTOR, source: "api" as const, subOrderId };
          const result =
            c.kind === "intake"
              ? await intake(c.a, c.b)
              : c.kind === "cancelLine"
                ? await cancelLineItems(db, { ...base, lines: [{ sku: c.sku, quantity: c.quantity }] })
                : c.kind === "cancelSubOrder"
                  ? await cancelSubOrder(db, {
                      ...base,
                      mode: c.unfulfilledOnly ? "unfulfilled_only" : "strict",
                    })
                  : await receiveWarehouseEvent(db, {
                      warehouseId: "WH-MANUAL",
                      actor,
                      event: {
                        eventId: `${run}-${event++}`,
                        type: c.kind,
                        subOrderId,
                        lines: [{ sku: c.sku, quantity: c.quantity }],
                        ...(c.kind === "shipped" ? { shipment: { reference: `ASN-${run}-${event}` } } : {}),
                      },
                    });
          // Every refusal is a value with a known code, never a thrown error.
          if (!result.ok) expect(ERROR_CODES).toContain(result.error.code);
          for (const line of await readLines(db, subOrderId)) expect(holdsInvariant(line)).toBe(true);
        }
        const report = await ledgerReport(db);
        expect(report.mismatchedLines).toEqual([]);
        expect(report.reservedUnits).toBe(0);
      },
    ),
    { numRuns: 25 },
  );
}, 240_000);
