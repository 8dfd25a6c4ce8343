import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDatabase } from "@/dev/seed";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { previewBatch } from "./preview-batch";
import { BatchRunner } from "./runner";
import { startBatch } from "./start-batch";
import { uploadBatch } from "./upload-batch";

let database: TestDatabase;
const createdBy = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDatabase(database.db);
});
afterAll(() => database.drop());

const sample = (name: string) => new Uint8Array(fs.readFileSync(path.join("public", "samples", name)));

describe("a sample file from upload to finished run", () => {
  test.each([
    ["sub-orders.csv", "sub_orders"],
    ["sub-orders-excel.csv", "sub_orders"],
    ["line-items.csv", "line_items"],
  ] as const)("%s: the dry run predicts exactly what the run does", async (file, kind) => {
    const db = database.db;
    const uploaded = await uploadBatch(db, {
      bytes: sample(file),
      fileName: file,
      kind,
      mode: "strict",
      reasonCode: "OUT_OF_STOCK",
      createdBy,
      now: new Date(),
    });
    if (!uploaded.ok) throw new Error(uploaded.error.message);
    const { batchId } = uploaded.value;

    const preview = await previewBatch(db, batchId);
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.totals.willCancel).toBeGreaterThan(0);
    expect(preview.value.totals.willFail + preview.value.totals.invalid).toBeGreaterThan(0);
    // Read a few items at a time (a 100,000-row file is read 2,000 at a time): the same dry run.
    expect(await previewBatch(db, batchId, { chunkSize: 2 })).toEqual(preview);

    const started = await startBatch(db, { batchId, confirmDuplicate: false, now: new Date() });
    expect(started).toMatchObject({ ok: true, value: { alreadyStarted: false } });
    // The warehouse agrees to everything here: this test is about the rules, not the connectors.
    await new BatchRunner(db, { gate: async () => ({ kind: "accepted" }) }).runUntilIdle();

    const results = await db.execute<{
      seq: number;
      status: string;
      error_code: string | null;
      units_cancelled: number | null;
    }>(
      sql`SELECT seq, status, error_code, units_cancelled FROM batch_items WHERE batch_id = ${batchId} AND status <> 'PENDING' ORDER BY seq`,
    );
    const bySeq = new Map(results.rows.map((r) => [r.seq, r]));
    for (const prediction of preview.value.predictions) {
      const actual = bySeq.get(prediction.seq);
      if (prediction.outcome === "cancel") {
        expect(actual, `item ${prediction.seq}`).toMatchObject({
          status: "SUCCESS",
          units_cancelled: prediction.units,
        });
      } else {
        expect(actual, `item ${prediction.seq}`).toMatchObject({
          status: "ERROR",
          error_code: prediction.code,
        });
      }
    }
    expect(results.rows).toHaveLength(preview.value.predictions.length + preview.value.totals.invalid);
  });

  test("a file that is not a CSV gets one clear message and no batch", async () => {
    const before = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`);
    const result = await uploadBatch(database.db, {
      bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]),
      fileName: "orders.xlsx",
      kind: "sub_orders",
      mode: "strict",
      reasonCode: "OUT_OF_STOCK",
      createdBy,
      now: new Date(),
    });
    expect(result).toMatchObject({ ok: false, error: { code: "INVALID_FILE" } });
    const after = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  test("re-uploading the same file is flagged and cannot start without confirmation", async () => {
    const db = database.db;
    const upload = () =>
      uploadBatch(db, {
        bytes: sample("line-items.csv"),
        fileName: "again.csv",
        kind: "line_items",
        mode: "line_items",
        reasonCode: "OUT_OF_STOCK",
        createdBy,
        now: new Date(),
      });
    const again = await upload();
    if (!again.ok) throw new Error(again.error.message);
    expect(again.value.duplicateOf?.fileName).toBe("line-items.csv");
    const refused = await startBatch(db, {
      batchId: again.value.batchId,
      confirmDuplicate: false,
      now: new Date(),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: "DUPLICATE_FILE" } });
  });
});

describe("amounts in several currencies", () => {
  test("the dry run values each row in its order's currency and never adds rupees to dollars", async () => {
    const db = database.db;
    // One untouched sub-order in rupees and one in dollars, with their full values.
    const untouched = await db.execute<{ id: string; currency: string; value: number }>(sql`
      SELECT DISTINCT ON (o.currency) so.id, o.currency,
             (SELECT sum(li.ordered * li.unit_price_minor)::int FROM line_items li WHERE li.sub_order_id = so.id) AS value
        FROM sub_orders so JOIN orders o ON o.id = so.order_id
       WHERE o.currency IN ('INR', 'USD')
         AND NOT EXISTS (SELECT 1 FROM line_items li WHERE li.sub_order_id = so.id
                          AND (li.fulfilled + li.processing + li.cancelled + li.pending_cancel) > 0)
         AND NOT EXISTS (SELECT 1 FROM batch_items bi WHERE bi.sub_order_id = so.id)
       ORDER BY o.currency, so.id`);
    const [inr, usd] = untouched.rows;
    expect(inr?.currency).toBe("INR");
    expect(usd?.currency).toBe("USD");
    if (!inr || !usd) return;
    const uploaded = await uploadBatch(db, {
      bytes: new TextEncoder().encode(`Sub Order ID\n${inr.id}\n${usd.id}\n`),
      fileName: "two-currencies.csv",
      kind: "sub_orders",
      mode: "strict",
      reasonCode: "OUT_OF_STOCK",
      createdBy,
      now: new Date(),
    });
    if (!uploaded.ok) throw new Error(uploaded.error.message);
    const preview = await previewBatch(db, uploaded.value.batchId);
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.predictions).toEqual([
      expect.objectContaining({ seq: 1, outcome: "cancel", valueMinor: inr.value, currency: "INR" }),
      expect.objectContaining({ seq: 2, outcome: "cancel", valueMinor: usd.value, currency: "USD" }),
    ]);
    expect(preview.value.totals.values).toEqual([
      { currency: "INR", valueMinor: inr.value },
      { currency: "USD", valueMinor: usd.value },
    ]);
  });
});
