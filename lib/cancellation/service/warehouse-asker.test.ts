import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "@/db/client";
import { processChunk } from "@/lib/batches/process-chunk";
import { startBatch } from "@/lib/batches/start-batch";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createSubOrderBatch, insertBulkSubOrders, insertReferenceData, ledgerReport } from "@/test/fixtures";
import { MAX_UNWRITTEN_ANSWERS, WarehouseAsker } from "./ask-warehouse";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});
afterAll(() => database.drop());

test("a warehouse that answers faster than its answers are written: the asker waits, so a crash loses few answers", async () => {
  const db = database.db;
  const ids = await insertBulkSubOrders(db, "SO-FAST-WMS", 600, "WH-WMS");
  const batchId = await createSubOrderBatch(db, ids, { fileSha256: "fast-wms" });
  await startBatch(db, { batchId, confirmDuplicate: false, now: new Date() });
  while ((await processChunk(db, batchId, { chunkSize: 600 })) > 0) {}

  // Every group of answers takes 40 ms longer to write; the warehouse answers at once.
  let written = 0;
  const slowWrites = new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "transaction") return Reflect.get(target, property, receiver);
      return async (fn: Parameters<Db["transaction"]>[0]) => {
        await new Promise((resolve) => setTimeout(resolve, 40));
        const result = await target.transaction(fn);
        const confirmed = await target.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM cancellations WHERE status = 'CONFIRMED'`,
        );
        written = confirmed.rows[0]?.n ?? 0;
        return result;
      };
    },
  });
  let answered = 0;
  let mostUnwritten = 0;
  const concurrency = 32;
  const asker = new WarehouseAsker(slowWrites, {
    concurrency,
    gate: async () => {
      answered++;
      mostUnwritten = Math.max(mostUnwritten, answered - written);
      return { kind: "accepted" };
    },
  });
  expect(await asker.askDue()).toBe(600);

  // Without the pause it ran ~all 600 answers ahead of the writes.
  expect(mostUnwritten).toBeLessThanOrEqual(MAX_UNWRITTEN_ANSWERS + concurrency);
  expect(written).toBe(600);
  expect(await ledgerReport(db)).toEqual({ mismatchedLines: [], reservedUnits: 0, pendingEntries: 0 });
});
