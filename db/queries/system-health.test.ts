/**
 * Settings → System's snapshot (db/queries/system-health.ts) on a fresh database: the driver, the
 * migration version against the journal, outbox counts by state per channel, what the connectors'
 * calls last did, and the heartbeats the background loops record (lib/server/heartbeats.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { MIGRATIONS_FOLDER } from "@/db/client";
import { cancelRequests, webhookDeliveries } from "@/db/schema";
import { BatchRunner } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { startBackgroundWork } from "@/lib/server/background-work";
import { recordHeartbeat } from "@/lib/server/heartbeats";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  createSubOrderBatch,
  insertReferenceData,
  insertSubOrder,
  SYSTEM_ACTOR,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";

import { getMigrationStatus, getSystemHealth, publicHealthOf } from "./system-health";

let database: TestDatabase;

const journal = JSON.parse(
  fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
) as {
  entries: { tag: string; when: number }[];
};
const lastTag = journal.entries.at(-1)?.tag;

async function cancel(subOrderId: string): Promise<string> {
  await insertSubOrder(database.db, subOrderId, [{ sku: "A", ordered: 2 }]);
  const result = await cancelSubOrder(database.db, {
    actor: SYSTEM_ACTOR,
    source: "single",
    reasonCode: TEST_REASON,
    subOrderId,
    mode: "strict",
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.cancellationId;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});

afterAll(async () => {
  await database?.drop();
});

describe("getSystemHealth", () => {
  test("a fresh database: its driver, every migration applied, no heartbeats, empty outboxes", async () => {
    const health = await getSystemHealth(database.db, database.driver);
    expect(health.driver).toBe(database.driver);
    expect(health.migrations).toMatchObject({
      upToDate: true,
      pending: [],
      applied: journal.entries.length,
      known: journal.entries.length,
      latest: { tag: lastTag },
    });
    expect(health.heartbeats.map((h) => [h.name, h.at])).toEqual([
      ["batch-chunk", null],
      ["outbox-dispatch", null],
      ["webhook-delivery", null],
    ]);
    expect(health.outbox).toEqual([
      {
        channelId: "CH-TEST",
        channelName: "Test channel",
        notifications: { pending: 0, retrying: 0, delivered: 0, dead: 0 },
        webhooks: { pending: 0, retrying: 0, delivered: 0, dead: 0 },
      },
    ]);
    const wms = health.connectors.find((c) => c.id === "WH-WMS");
    expect(wms).toMatchObject({ target: "warehouse", lastSuccessAt: null, lastError: null, waiting: 0 });
  });

  test("a pending migration is named, and up to date again once it is recorded", async () => {
    const db = database.db;
    const newest = await db.execute<{ id: number; hash: string; created_at: string }>(
      sql`SELECT id, hash, created_at::text FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`,
    );
    const row = newest.rows[0];
    if (!row) throw new Error("no migrations recorded");
    await db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${row.id}`);
    try {
      const status = await getMigrationStatus(db);
      expect(status.upToDate).toBe(false);
      expect(status.pending).toEqual([lastTag]);
      expect(status.applied).toBe(journal.entries.length - 1);
    } finally {
      await db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at)
                           VALUES (${row.id}, ${row.hash}, ${row.created_at}::bigint)`);
    }
    expect((await getMigrationStatus(db)).upToDate).toBe(true);
  });

  test("notifications and webhooks counted by state per channel, with the connectors' last success and error", async () => {
    const db = database.db;
    // A channel with an API, so confirmed cancellations are queued for it (no dispatcher runs here).
    await connectFixtures(db, {
      channel: { connector: "dropship", url: "http://127.0.0.1:9", token: "t-1" },
    });
    const delivered = await cancel("SH-1");
    const dead = await cancel("SH-2");
    await cancel("SH-3");
    await cancel("SH-4");
    await db.execute(sql`UPDATE channel_notifications SET state = 'delivered', delivered_at = '2030-01-02T03:04:05Z'
                          WHERE cancellation_id = ${delivered}`);
    await db.execute(sql`UPDATE channel_notifications SET state = 'dead', last_error = 'HTTP 500 from the channel',
                                updated_at = '2030-01-03T00:00:00Z'
                          WHERE cancellation_id = ${dead}`);
    const [request] = await db
      .insert(cancelRequests)
      .values({
        channelId: "CH-TEST",
        channelRequestId: "REQ-1",
        orderId: "ORD-SH-1",
        reasonCode: TEST_REASON,
        customerReason: "changed my mind",
        fingerprint: "f-1",
      })
      .returning();
    if (!request) throw new Error("no request");
    await db.insert(webhookDeliveries).values([
      { channelId: "CH-TEST", cancelRequestId: request.id, event: "e", payload: {}, state: "retrying" },
      { channelId: "CH-TEST", cancelRequestId: request.id, event: "e", payload: {}, state: "dead" },
    ]);

    const health = await getSystemHealth(db, database.driver);
    expect(health.outbox).toEqual([
      {
        channelId: "CH-TEST",
        channelName: "Test channel",
        notifications: { pending: 2, retrying: 0, delivered: 1, dead: 1 },
        webhooks: { pending: 0, retrying: 1, delivered: 0, dead: 1 },
      },
    ]);
    const channel = health.connectors.find((c) => c.id === "CH-TEST");
    expect(channel).toMatchObject({
      target: "channel",
      connector: "dropship",
      lastSuccessAt: new Date("2030-01-02T03:04:05Z"),
      lastErrorAt: new Date("2030-01-03T00:00:00Z"),
      lastError: "HTTP 500 from the channel",
      webhooks: null,
    });

    // What a load balancer sees: the counts and timestamps, never an error text.
    const answer = JSON.stringify(publicHealthOf(health));
    expect(answer).not.toContain("HTTP 500");
    expect(publicHealthOf(health).connectors).toContainEqual(
      expect.objectContaining({ id: "CH-TEST", lastErrorAt: "2030-01-03T00:00:00.000Z" }),
    );
  });
});

describe("heartbeats", () => {
  test("written at most every few seconds per loop, the newest kept", async () => {
    const db = database.db;
    await recordHeartbeat(db, "outbox-dispatch", { claimed: 1 }, new Date("2020-01-01T00:00:00Z"));
    await recordHeartbeat(db, "outbox-dispatch", { claimed: 2 }, new Date("2020-01-01T00:00:01Z"));
    let beat = (await getSystemHealth(db, database.driver)).heartbeats.find(
      (h) => h.name === "outbox-dispatch",
    );
    expect(beat).toMatchObject({ at: new Date("2020-01-01T00:00:00Z"), detail: { claimed: 1 } });
    await recordHeartbeat(db, "outbox-dispatch", { claimed: 3 }, new Date("2020-01-01T00:00:06Z"));
    beat = (await getSystemHealth(db, database.driver)).heartbeats.find((h) => h.name === "outbox-dispatch");
    expect(beat).toMatchObject({ at: new Date("2020-01-01T00:00:06Z"), detail: { claimed: 3 } });
  });

  test("the batch runner records a chunk; the dispatcher records its passes", async () => {
    const db = database.db;
    await insertSubOrder(db, "HB-1", [{ sku: "A", ordered: 1 }]);
    const batchId = await createSubOrderBatch(db, ["HB-1"], { fileSha256: "heartbeat-file" });
    await startBatch(db, { batchId, confirmDuplicate: false, now: new Date() });
    await new BatchRunner(db).runUntilIdle();
    const chunk = (await getSystemHealth(db, database.driver)).heartbeats.find(
      (h) => h.name === "batch-chunk",
    );
    expect(chunk?.at).not.toBeNull();
    expect(chunk?.detail).toEqual({ batchId });

    const work = startBackgroundWork(db, { loops: 1 });
    try {
      await waitFor(
        async () => {
          const beats = (await getSystemHealth(db, database.driver)).heartbeats;
          return beats.every((h) => h.at !== null && h.at.getTime() > Date.UTC(2021, 0, 1));
        },
        20_000,
        "the dispatcher's heartbeats",
      );
    } finally {
      await work.stop();
    }
    const health = await getSystemHealth(db, database.driver);
    expect(health.heartbeats.find((h) => h.name === "webhook-delivery")?.detail).toHaveProperty("claimed");
  });
});
