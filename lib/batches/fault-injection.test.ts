import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { iterateErrorRows } from "@/db/queries/batches";
import { demoDropshipOrders } from "@/dev/fakes/demo-orders";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { dispatchDueNotifications } from "@/lib/outbox/dispatcher";
import { PollingLoop } from "@/lib/server/polling-loop";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  createSubOrderBatch,
  insertBulkSubOrders,
  insertReferenceData,
  insertSubOrder,
  ledgerReport,
  readLines,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";
import { BatchRunner, type RunnerOptions } from "./runner";
import { startBatch } from "./start-batch";

/**
 * A warehouse that answers badly must never make the panel and the warehouse disagree: without a
 * definite answer the units stay reserved and the same request (same key) is asked again until
 * the warehouse accepts or refuses. These runs use the real WMS connector against the fake WMS.
 */

let database: TestDatabase;
let wms: FakeWms;
let channel: FakeDropship;
// Quick retries for the test: waits from 50 ms up to 400 ms; rows show WAITING after 1 s.
const FAST_RETRIES: RunnerOptions = {
  chunkSize: 500,
  concurrency: 64,
  idleMs: 20,
  retryBaseMs: 50,
  retryMaxMs: 400,
  waitingAfterMs: 1_000,
};

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  wms = await startFakeWms({ seed: 7 });
  // The channel knows the orders it sent us: the fake learns them from the test database.
  channel = await startFakeDropship({ resolveUnknownOrder: demoDropshipOrders(() => database.db) });
  await connectFixtures(database.db, {
    wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 1_000, maxAttempts: 1 },
    channel: { connector: "dropship", url: channel.url, token: FAKE_DROPSHIP_TOKEN, maxAttempts: 50 },
  });
});
afterAll(async () => {
  await Promise.all([wms.close(), channel.close()]);
  await database.drop();
});
beforeEach(async () => {
  wms.reset();
  channel.reset();
  // What an earlier case confirmed is told to the channel now, so each case counts its own.
  while ((await dispatchDueNotifications(database.db)) > 0) {}
  channel.reset();
});

async function startedBatch(prefix: string, ids: string[]): Promise<string> {
  const batchId = await createSubOrderBatch(database.db, ids, { fileSha256: prefix });
  await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });
  return batchId;
}

async function itemCounts(batchId: string): Promise<Record<string, number>> {
  const rows = await database.db.execute<{ status: string; n: number }>(sql`
    SELECT status, count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} GROUP BY status`);
  return Object.fromEntries(rows.rows.map((r) => [r.status, r.n]));
}

/** The fake saw every order it was asked about under exactly one idempotency key. */
function keysPerOrder(): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const request of wms.requests) {
    const body = request.body as { data?: { cancellation?: { order_no?: string } } } | undefined;
    const orderNo = body?.data?.cancellation?.order_no;
    if (!orderNo) continue;
    const seen = keys.get(orderNo) ?? new Set<string>();
    seen.add(request.headers["idempotency-key"] ?? "(none)");
    keys.set(orderNo, seen);
  }
  return keys;
}

function expectOneKeyPerOrder(): void {
  const several = [...keysPerOrder()].filter(([, keys]) => keys.size !== 1).map(([order]) => order);
  expect(several).toEqual([]);
}

async function expectEverythingResolved(): Promise<void> {
  expect(await ledgerReport(database.db)).toEqual({
    mismatchedLines: [],
    reservedUnits: 0,
    pendingEntries: 0,
  });
}

async function runUntilSettled(runner: BatchRunner, batchId: string, timeoutMs = 90_000): Promise<void> {
  runner.start();
  try {
    await waitFor(
      async () => {
        const counts = await itemCounts(batchId);
        return !counts.PENDING && !counts.WAITING;
      },
      timeoutMs,
      "every row settled",
    );
  } finally {
    await runner.stop();
  }
}

test("a warehouse slower than our timeout, accepting every call: every row succeeds, nothing released, one key per order", async () => {
  const db = database.db;
  const ids = await insertBulkSubOrders(db, "SO-SLOW", 300, "WH-WMS");
  // Every call is acted on at once and answered after 3 s; we wait 1 s.
  wms.setLatency(3_000);
  const batchId = await startedBatch("slow", ids);
  const runner = new BatchRunner(db, FAST_RETRIES);
  runner.start();
  try {
    // The run finishes with every row waiting for the warehouse: no row failed, none is in the error CSV.
    await waitFor(
      async () =>
        (await db.execute<{ status: string }>(sql`SELECT status FROM batches WHERE id = ${batchId}`)).rows[0]
          ?.status === "completed",
      60_000,
      "the batch completes with its rows waiting",
    );
    expect(await itemCounts(batchId)).toEqual({ WAITING: 300 });
    const errorRows = [];
    for await (const row of iterateErrorRows(db, batchId)) errorRows.push(row);
    expect(errorRows).toEqual([]);
    // While no answer came, every unit stays reserved and no entry was refused.
    const report = await ledgerReport(db);
    expect(report).toMatchObject({ mismatchedLines: [], reservedUnits: 1_200, pendingEntries: 300 });
    expect(wms.cancelled.size).toBe(300); // the warehouse did cancel them all
    expect(wms.requests.length).toBeGreaterThan(300); // and was asked again, with the same keys

    // A person's cancellation through the same slow warehouse is told it waits, units reserved.
    await insertSubOrder(db, "SO-SLOW-SINGLE", [{ sku: "A", ordered: 2 }], "WH-WMS");
    const single = await cancelSubOrder(db, {
      subOrderId: "SO-SLOW-SINGLE",
      mode: "strict",
      reasonCode: TEST_REASON,
      actor: { type: "user", id: "u-support" },
      source: "single",
      audit: { label: "support@example.test", sourceIp: null },
    });
    expect(single).toMatchObject({ ok: true, value: { status: "PENDING", units: 2 } });
    expect((await readLines(db, "SO-SLOW-SINGLE")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([
      [0, 2],
    ]);

    // The warehouse speeds up: the next ask of each gets the answer, and every row succeeds.
    wms.setLatency(0);
    await waitFor(
      async () =>
        (await itemCounts(batchId)).SUCCESS === 300 && (await ledgerReport(db)).pendingEntries === 0,
      60_000,
      "every waiting row resolved",
    );
  } finally {
    await runner.stop();
  }
  expect((await readLines(db, "SO-SLOW-SINGLE")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([
    [2, 0],
  ]);
  const rejected = await db.execute(sql`SELECT id FROM cancellations WHERE status = 'REJECTED'`);
  expect(rejected.rows).toEqual([]);
  expectOneKeyPerOrder();
  await expectEverythingResolved();
  // The waiting single cancellation's final word is in the audit trail.
  const resolved = await db.execute<{ outcome: string }>(
    sql`SELECT outcome FROM audit_events WHERE action = 'cancellation.resolve' AND target = 'SO-SLOW-SINGLE'`,
  );
  expect(resolved.rows).toEqual([{ outcome: "success" }]);
}, 180_000);

test("a warehouse down for a stretch in the middle of a 2,000-row batch: zero failed rows once it is back", async () => {
  const db = database.db;
  const ids = await insertBulkSubOrders(db, "SO-OUTAGE", 2_000, "WH-WMS");
  const batchId = await startedBatch("outage", ids);
  const runner = new BatchRunner(db, { ...FAST_RETRIES, chunkSize: 200, concurrency: 16 });
  const dispatcher = new PollingLoop(
    "test-dispatcher",
    async () => (await dispatchDueNotifications(db, { backoffBaseMs: 50 })) > 0,
    { idleMs: 20 },
  );
  dispatcher.start();
  // Once ~500 rows are done, connections are reset as requests arrive for two seconds, then
  // refused outright (nothing listens at the address) for another two, then the warehouse is back.
  const outage = (async () => {
    await waitFor(async () => ((await itemCounts(batchId)).SUCCESS ?? 0) >= 500, 60_000, "500 rows done");
    wms.setMode("down");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    wms.setMode("ok");
    await pointWmsAt(await closedPortUrl());
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await pointWmsAt(wms.url);
  })();
  await runUntilSettled(runner, batchId);
  await outage;

  expect(await itemCounts(batchId)).toEqual({ SUCCESS: 2_000 });
  expect(wms.requests.length).toBeGreaterThan(2_000); // the outage forced asks again
  expectOneKeyPerOrder();
  await expectEverythingResolved();
  await waitFor(
    async () =>
      (
        await db.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM channel_notifications WHERE state <> 'delivered'`,
        )
      ).rows[0]?.n === 0,
    60_000,
    "every confirmation delivered",
  );
  await dispatcher.stop();
  const confirmed = await db.execute<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM cancellations WHERE batch_id = ${batchId} AND status = 'CONFIRMED'`,
  );
  expect(channel.distinctDeliveries).toBe(confirmed.rows[0]?.n);
}, 180_000);

test("2,000 rows through a flaky warehouse (30% 500s, 5% hangs) and a channel down for the first half", async () => {
  const db = database.db;
  const ids = await insertBulkSubOrders(db, "SO-FAULT", 2_000, "WH-WMS");
  // One in ten orders is refused for good: stock already allocated.
  for (const id of ids.filter((_, i) => i % 10 === 3)) wms.refuse(id);
  wms.setFaults({ failRate: 0.3, hangRate: 0.05, seed: 7 });
  channel.setMode("down");
  const batchId = await startedBatch("faults", ids);
  const dispatcher = new PollingLoop(
    "test-dispatcher",
    async () => (await dispatchDueNotifications(db, { backoffBaseMs: 50 })) > 0,
    { idleMs: 20 },
  );
  dispatcher.start();
  const channelBack = (async () => {
    await waitFor(
      async () => ((await itemCounts(batchId)).SUCCESS ?? 0) >= 900,
      90_000,
      "half the rows done",
    );
    channel.setMode("ok");
  })();
  await runUntilSettled(new BatchRunner(db, FAST_RETRIES), batchId, 120_000);
  await channelBack;

  // Only the warehouse's definite refusals failed, each with the warehouse's own words.
  const outcomes = await db.execute<{ status: string; error_code: string | null; n: number }>(sql`
    SELECT status, error_code, count(*)::int AS n FROM batch_items
     WHERE batch_id = ${batchId} GROUP BY status, error_code ORDER BY status`);
  expect(outcomes.rows).toEqual([
    { status: "ERROR", error_code: "DOWNSTREAM_REJECTED", n: 200 },
    { status: "SUCCESS", error_code: null, n: 1_800 },
  ]);
  const refusal = await db.execute<{ error_message: string }>(
    sql`SELECT error_message FROM batch_items WHERE batch_id = ${batchId} AND status = 'ERROR' LIMIT 1`,
  );
  expect(refusal.rows[0]?.error_message).toMatch(/^810: Stock already allocated for order SO-FAULT-\d+$/);

  // No unit was cancelled without the warehouse's acceptance; every order was asked under one key.
  const confirmed = await db.execute<{ sub_order_id: string }>(sql`
    SELECT sub_order_id FROM cancellations WHERE batch_id = ${batchId} AND status = 'CONFIRMED'`);
  expect(confirmed.rows.every((r) => wms.cancelled.has(r.sub_order_id))).toBe(true);
  expect(confirmed.rows).toHaveLength(1_800);
  expectOneKeyPerOrder();
  await expectEverythingResolved();

  // Every confirmed cancellation reaches the channel, exactly once as the receiver counts.
  await waitFor(
    async () =>
      (
        await db.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM channel_notifications WHERE state <> 'delivered'`,
        )
      ).rows[0]?.n === 0,
    60_000,
    "every confirmation delivered",
  );
  await dispatcher.stop();
  expect(channel.distinctDeliveries).toBe(1_800);
  expect(channel.requests.length).toBeGreaterThan(1_800); // the outage forced retries
}, 240_000);

async function pointWmsAt(url: string): Promise<void> {
  await connectFixtures(database.db, {
    wms: { url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 1_000, maxAttempts: 1 },
  });
}

/** An address where nothing listens: connections to it are refused before any request is sent. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
