import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { connectFixtures, insertReferenceData, insertSubOrder, readLines } from "@/test/fixtures";
import { WarehouseAsker } from "./ask-warehouse";

let database: TestDatabase;
let wms: FakeWms;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  // The warehouse acts at once but answers slowly: the process dies in between.
  wms = await startFakeWms({ latencyMs: 5_000 });
  await connectFixtures(database.db, { wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 10_000 } });
});
afterAll(async () => {
  await wms.close();
  await database.drop();
});

test.skipIf(!process.env.DATABASE_URL)(
  "a process killed between the warehouse call and the confirmation leaves nothing stuck and no double call (PostgreSQL)",
  async () => {
    const db = database.db;
    await insertSubOrder(db, "SO-KILLED", [{ sku: "A", ordered: 3 }], "WH-WMS");
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "test/run-single-cancel.ts"],
      {
        env: { ...process.env, DATABASE_URL: database.url, SUB_ORDER_ID: "SO-KILLED" },
        stdio: "inherit",
      },
    );
    const deadline = Date.now() + 30_000;
    while (!wms.cancelled.has("SO-KILLED")) {
      if (Date.now() > deadline) throw new Error("the warehouse was never called");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    // Killed: the units are reserved and the ledger entry waits.
    expect((await readLines(db, "SO-KILLED")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([[0, 3]]);

    // Once the dead process's claim runs out (minutes later; moved to now here), the asker of any
    // process asks again with the same key and confirms.
    wms.setMode("ok");
    await db.execute(sql`UPDATE cancellations SET next_ask_at = now() WHERE sub_order_id = 'SO-KILLED'`);
    const asker = new WarehouseAsker(db);
    expect(await asker.askDue()).toBe(1);
    expect((await readLines(db, "SO-KILLED")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([[3, 0]]);
    const entries = await db.execute<{ status: string }>(
      sql`SELECT status FROM cancellations WHERE sub_order_id = 'SO-KILLED'`,
    );
    expect(entries.rows).toEqual([{ status: "CONFIRMED" }]);
    expect(wms.requests).toHaveLength(2);
    expect(new Set(wms.requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(wms.distinctDeliveries).toBe(1);
    expect(wms.replays).toBe(1);
    expect(await asker.askDue()).toBe(0);
  },
);
