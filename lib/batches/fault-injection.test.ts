import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/lib/connectors/fakes/dropship";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/lib/connectors/fakes/wms";
import { dispatchDueNotifications } from "@/lib/outbox/dispatcher";
import { PollingLoop } from "@/lib/server/polling-loop";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { connectFixtures, insertBulkSubOrders, insertReferenceData, TEST_REASON } from "@/test/fixtures";
import { createBatch } from "./create-batch";
import { BatchRunner } from "./runner";
import { startBatch } from "./start-batch";

let database: TestDatabase;
let wms: FakeWms;
let channel: FakeDropship;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  // 30% of warehouse calls fail with the documented 500/803, 5% hang past our timeout.
  wms = await startFakeWms({ failRate: 0.3, hangRate: 0.05, seed: 7 });
  channel = await startFakeDropship();
  await connectFixtures(database.db, {
    wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 2_000, maxAttempts: 3 },
    channel: { connector: "dropship", url: channel.url, token: FAKE_DROPSHIP_TOKEN, maxAttempts: 50 },
  });
});
afterAll(async () => {
  await Promise.all([wms.close(), channel.close()]);
  await database.drop();
});

test("2,000 rows through a failing warehouse and a channel that is down for the first half", async () => {
  const db = database.db;
  const ids = await insertBulkSubOrders(db, "SO-FAULT", 2_000, "WH-WMS");
  const { batchId } = await createBatch(db, {
    kind: "sub_orders",
    mode: "strict",
    fileName: "faults.csv",
    fileSha256: "faults",
    headers: ["Sub Order ID"],
    reasonCode: TEST_REASON,
    items: ids.map((id, i) => ({
      seq: i + 1,
      subOrderId: id,
      reasonCode: TEST_REASON,
      rows: [{ rowNumber: i + 2, cells: [id] }],
    })),
    createdBy: { type: "user", id: "u-ops", name: "Olivia Ops" },
  });
  await startBatch(db, { batchId, confirmDuplicate: false, now: new Date() });

  channel.setMode("down");
  const dispatcher = new PollingLoop(
    "test-dispatcher",
    async () => (await dispatchDueNotifications(db, { backoffBaseMs: 50 })) > 0,
    {
      idleMs: 20,
    },
  );
  dispatcher.start();
  const runner = new BatchRunner(db, { chunkSize: 1_000, gateConcurrency: 64 });
  let channelBack = false;
  const watcher = new PollingLoop(
    "test-watcher",
    async () => {
      const done = await db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} AND status <> 'PENDING'`,
      );
      if (!channelBack && (done.rows[0]?.n ?? 0) >= 1_000) {
        channel.setMode("ok");
        channelBack = true;
      }
      return false;
    },
    { idleMs: 50 },
  );
  watcher.start();
  await runner.runUntilIdle();
  await watcher.stop();
  channel.setMode("ok");

  // Every row ended, each with the right kind of message.
  const outcomes = await db.execute<{
    status: string;
    error_code: string | null;
    error_message: string | null;
    n: number;
  }>(sql`
    SELECT status, error_code, min(error_message) AS error_message, count(*)::int AS n FROM batch_items
     WHERE batch_id = ${batchId} GROUP BY status, error_code ORDER BY status`);
  const byStatus = Object.fromEntries(outcomes.rows.map((r) => [`${r.status}:${r.error_code ?? ""}`, r]));
  expect(Object.keys(byStatus).sort()).toEqual(["ERROR:DOWNSTREAM_UNAVAILABLE", "SUCCESS:"]);
  expect(byStatus["ERROR:DOWNSTREAM_UNAVAILABLE"]?.error_message).toMatch(/803|Internal Server|timed out/);
  // About 4% of rows meet three failures in a row; a loaded machine adds timeouts, never wrong results.
  expect(byStatus["SUCCESS:"]?.n).toBeGreaterThan(1_500);

  // No unit was cancelled without the warehouse's acceptance, and nothing is left reserved.
  const confirmed = await db.execute<{ sub_order_id: string }>(sql`
    SELECT sub_order_id FROM cancellations WHERE batch_id = ${batchId} AND status = 'CONFIRMED'`);
  const confirmedIds = confirmed.rows.map((r) => r.sub_order_id);
  expect(confirmedIds.every((id) => wms.cancelled.has(id))).toBe(true);
  expect(confirmedIds).toHaveLength(byStatus["SUCCESS:"]?.n ?? -1);
  const leftovers = await db.execute<{ pending: number; reserved: number }>(sql`
    SELECT (SELECT count(*)::int FROM cancellations WHERE status = 'PENDING') AS pending,
           (SELECT coalesce(sum(pending_cancel), 0)::int FROM line_items) AS reserved`);
  expect(leftovers.rows[0]).toEqual({ pending: 0, reserved: 0 });

  // Every confirmed cancellation reaches the channel, exactly once as the receiver counts.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const open = await db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM channel_notifications WHERE state <> 'delivered'`,
    );
    if (open.rows[0]?.n === 0) break;
    if (Date.now() > deadline) throw new Error(`${open.rows[0]?.n} notifications still undelivered`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await dispatcher.stop();
  expect(channel.distinctDeliveries).toBe(confirmedIds.length);
  expect(channel.requests.length).toBeGreaterThan(confirmedIds.length); // the outage forced retries
}, 180_000);
