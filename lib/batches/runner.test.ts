import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { WarehouseGate } from "@/lib/connectors/types";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  confirmedLedgerTotals,
  insertBulkSubOrders,
  insertReferenceData,
  TEST_REASON,
} from "@/test/fixtures";
import { createBatch } from "./create-batch";
import { BatchRunner } from "./runner";
import { startBatch } from "./start-batch";
import type { BatchItemInput } from "./types";

let database: TestDatabase;
const creator = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});
afterAll(() => database.drop());

function subOrderItems(ids: string[]): BatchItemInput[] {
  return ids.map((id, i) => ({
    seq: i + 1,
    subOrderId: id,
    reasonCode: TEST_REASON,
    rows: [{ rowNumber: i + 2, cells: [id] }],
  }));
}

async function makeBatch(items: BatchItemInput[], kind: "sub_orders" | "line_items" = "sub_orders") {
  const { batchId } = await createBatch(database.db, {
    kind,
    mode: kind === "line_items" ? "line_items" : "strict",
    fileName: `${kind}.csv`,
    fileSha256: `sha-${Math.random()}`,
    headers: kind === "line_items" ? ["Sub Order ID", "SKU ID", "Quantity"] : ["Sub Order ID"],
    reasonCode: TEST_REASON,
    items,
    createdBy: creator,
  });
  return batchId;
}

async function itemStates(batchId: string) {
  const result = await database.db.execute<{ status: string; n: number; max_attempts: number }>(sql`
    SELECT status, count(*)::int AS n, max(attempts)::int AS max_attempts
      FROM batch_items WHERE batch_id = ${batchId} GROUP BY status ORDER BY status`);
  return Object.fromEntries(result.rows.map((r) => [r.status, { n: r.n, maxAttempts: r.max_attempts }]));
}

async function expectLedgerMatchesLines(subOrderPrefix: string) {
  const ledger = await confirmedLedgerTotals(database.db);
  const lines = await database.db.execute<{ id: number; cancelled: number; pending_cancel: number }>(
    sql`SELECT id, cancelled, pending_cancel FROM line_items WHERE sub_order_id LIKE ${`${subOrderPrefix}-%`}`,
  );
  expect(lines.rows.length).toBeGreaterThan(0);
  const mismatched = lines.rows.filter(
    (l) => (ledger.get(l.id) ?? 0) !== l.cancelled || l.pending_cancel !== 0,
  );
  expect(mismatched).toEqual([]);
}

/** Every sub-order of the batch has at most one confirmed ledger entry: nothing cancelled twice. */
async function expectNoDoubleCancellation() {
  const doubles = await database.db.execute(sql`
    SELECT sub_order_id FROM cancellations WHERE status = 'CONFIRMED' AND mode <> 'line_items'
     GROUP BY sub_order_id HAVING count(*) > 1`);
  expect(doubles.rows).toEqual([]);
}

describe("batch runner", () => {
  test("a 10,000-row batch run by two runners at once processes every row exactly once", async () => {
    const ids = await insertBulkSubOrders(database.db, "SO-TWIN", 10_000);
    // Some rows fail: cancel 500 sub-orders beforehand, and add 3 unknown ids.
    await database.db.execute(
      sql`UPDATE line_items SET cancelled = ordered WHERE sub_order_id = ANY(${sql.param(ids.slice(0, 500))}::text[])`,
    );
    const items = subOrderItems([...ids, "SO-UNKNOWN-1", "SO-UNKNOWN-2", "SO-UNKNOWN-3"]);
    const batchId = await makeBatch(items);

    const now = new Date();
    const [first, second] = await Promise.all([
      startBatch(database.db, { batchId, confirmDuplicate: false, now }),
      startBatch(database.db, { batchId, confirmDuplicate: false, now }),
    ]);
    expect([first, second].filter((s) => s.ok && !s.value.alreadyStarted)).toHaveLength(1);

    const runners = [
      new BatchRunner(database.db, { chunkSize: 250 }),
      new BatchRunner(database.db, { chunkSize: 250 }),
    ];
    await Promise.all(runners.map((r) => r.runUntilIdle()));

    expect(await itemStates(batchId)).toEqual({
      ERROR: { n: 503, maxAttempts: 1 },
      SUCCESS: { n: 9_500, maxAttempts: 1 },
    });
    const errors = await database.db.execute<{ error_code: string; n: number }>(sql`
      SELECT error_code, count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} AND status = 'ERROR'
       GROUP BY error_code ORDER BY error_code`);
    expect(errors.rows).toEqual([
      { error_code: "ALREADY_CANCELLED", n: 500 },
      { error_code: "SUB_ORDER_NOT_FOUND", n: 3 },
    ]);
    const entries = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM cancellations WHERE batch_id = ${batchId}`,
    );
    expect(entries.rows[0]?.n).toBe(9_500);
    const [batch] = await database.db
      .execute<{ status: string }>(sql`SELECT status FROM batches WHERE id = ${batchId}`)
      .then((r) => r.rows);
    expect(batch?.status).toBe("completed");
    await expectNoDoubleCancellation();
  });

  test("a line-item group succeeds or fails as a whole", async () => {
    const [good, bad] = await insertBulkSubOrders(database.db, "SO-GROUP", 2);
    if (!good || !bad) throw new Error("fixture");
    const batchId = await makeBatch(
      [
        {
          seq: 1,
          subOrderId: good,
          reasonCode: TEST_REASON,
          rows: [
            { rowNumber: 2, cells: [good, "SKU-1", "1"], sku: "SKU-1", quantity: 1 },
            { rowNumber: 3, cells: [good, "SKU-2", "2"], sku: "SKU-2", quantity: 2 },
          ],
        },
        {
          seq: 2,
          subOrderId: bad,
          reasonCode: TEST_REASON,
          rows: [
            { rowNumber: 4, cells: [bad, "SKU-1", "1"], sku: "SKU-1", quantity: 1 },
            { rowNumber: 5, cells: [bad, "SKU-2", "3"], sku: "SKU-2", quantity: 3 },
          ],
        },
      ],
      "line_items",
    );
    await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });
    await new BatchRunner(database.db).runUntilIdle();
    const results = await database.db.execute<{
      sub_order_id: string;
      status: string;
      error_code: string | null;
      units_cancelled: number | null;
    }>(
      sql`SELECT sub_order_id, status, error_code, units_cancelled FROM batch_items WHERE batch_id = ${batchId} ORDER BY seq`,
    );
    expect(results.rows).toEqual([
      { sub_order_id: good, status: "SUCCESS", error_code: null, units_cancelled: 3 },
      {
        sub_order_id: bad,
        status: "ERROR",
        error_code: "QUANTITY_EXCEEDS_CANCELLABLE",
        units_cancelled: null,
      },
    ]);
    const badLines = await database.db.execute<{ cancelled: number }>(
      sql`SELECT cancelled FROM line_items WHERE sub_order_id = ${bad}`,
    );
    expect(badLines.rows.map((l) => l.cancelled)).toEqual([0, 0]);
  });

  test("a worker that stops between the warehouse call and the confirmation is finished by another, with the same key", async () => {
    const ids = await insertBulkSubOrders(database.db, "SO-CRASH", 20, "WH-WMS");
    const batchId = await makeBatch(subOrderItems(ids));
    await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });

    const askedFirst: string[] = [];
    const hangs: WarehouseGate = (request) => {
      askedFirst.push(request.idempotencyKey);
      return new Promise(() => {}); // the process "dies" while the warehouse is being asked
    };
    const doomed = new BatchRunner(database.db, { gate: hangs, claimMs: 300, concurrency: 32 });
    void doomed.runUntilIdle();
    await waitFor(() => askedFirst.length === 20);
    const reserved = await database.db.execute<{ n: number }>(
      sql`SELECT sum(pending_cancel)::int AS n FROM line_items WHERE sub_order_id LIKE 'SO-CRASH-%'`,
    );
    expect(reserved.rows[0]?.n).toBe(80);

    await new Promise((resolve) => setTimeout(resolve, 400)); // the lease runs out
    const askedAgain: string[] = [];
    const accepts: WarehouseGate = async (request) => {
      askedAgain.push(request.idempotencyKey);
      return { kind: "accepted" };
    };
    await new BatchRunner(database.db, { gate: accepts }).runUntilIdle();

    expect(askedAgain.sort()).toEqual(askedFirst.sort());
    expect(await itemStates(batchId)).toMatchObject({ SUCCESS: { n: 20 } });
    await expectLedgerMatchesLines("SO-CRASH");
    await expectNoDoubleCancellation();
  });

  test.skipIf(!process.env.DATABASE_URL)(
    "a runner process killed mid-batch is resumed by another without loss or duplication (PostgreSQL)",
    async () => {
      const ids = await insertBulkSubOrders(database.db, "SO-KILL", 6_000);
      const batchId = await makeBatch(subOrderItems(ids));
      await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });

      const child = spawn(
        process.execPath,
        ["--conditions=react-server", "--import", "tsx", "test/run-batch-runner.ts"],
        {
          env: { ...process.env, DATABASE_URL: database.url, CHUNK_SIZE: "100" },
          stdio: "inherit",
        },
      );
      await waitFor(async () => {
        const done = await database.db.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} AND status <> 'PENDING'`,
        );
        return (done.rows[0]?.n ?? 0) >= 500;
      }, 60_000);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const atKill = await itemStates(batchId);
      expect(atKill.PENDING?.n ?? 0).toBeGreaterThan(0);

      await new BatchRunner(database.db, { chunkSize: 500 }).runUntilIdle();
      expect(await itemStates(batchId)).toEqual({ SUCCESS: { n: 6_000, maxAttempts: 1 } });
      await expectLedgerMatchesLines("SO-KILL");
      await expectNoDoubleCancellation();
    },
  );
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
