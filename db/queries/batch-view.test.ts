import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { BatchRunner } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertBulkSubOrders, insertReferenceData, TEST_REASON } from "@/test/fixtures";

import {
  type ItemChange,
  listBatchItemRows,
  listBatchItemSummaries,
  listBatchSummaries,
  listFinishedItems,
  listItemChangesSince,
} from "./batch-view";

let database: TestDatabase;
const createdBy = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;
const accept = async () => ({ kind: "accepted" as const });

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});
afterAll(() => database.drop());

async function upload(text: string, kind: "sub_orders" | "line_items" = "sub_orders", fileName = "f.csv") {
  const result = await uploadBatch(database.db, {
    bytes: new TextEncoder().encode(text),
    fileName,
    kind,
    mode: kind === "line_items" ? "line_items" : "strict",
    reasonCode: TEST_REASON,
    createdBy,
    now: new Date(),
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.batchId;
}

describe("batch view queries", () => {
  test("changes page by (processed_at, seq): a page boundary inside one chunk loses nothing", async () => {
    const ids = await insertBulkSubOrders(database.db, "BV", 30);
    const batchId = await upload(`Sub Order ID\n${ids.join("\n")}\nSO-NOPE\n\n`);

    // Before the start, only the refusal at upload has finished.
    const before = await listItemChangesSince(database.db, batchId, null);
    expect(before.changes).toEqual([
      {
        seq: 31,
        status: "ERROR",
        errorCode: "SUB_ORDER_NOT_FOUND",
        errorMessage: "Sub-order SO-NOPE does not exist",
        units: null,
      },
    ]);

    await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });
    await new BatchRunner(database.db, { gate: accept }).runUntilIdle();

    // Pages of 7: all 31 come back once each, though a chunk's items share one timestamp.
    const seen: ItemChange[] = [];
    let cursor = null;
    for (;;) {
      const page = await listItemChangesSince(database.db, batchId, cursor, 7);
      seen.push(...page.changes);
      cursor = page.cursor;
      if (!page.more) break;
    }
    expect(seen.map((c) => c.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(seen.filter((c) => c.status === "SUCCESS")).toHaveLength(30);
    expect(seen.find((c) => c.seq === 1)).toMatchObject({ status: "SUCCESS", units: 4 });

    const again = await listItemChangesSince(database.db, batchId, cursor);
    expect(again).toMatchObject({ changes: [], more: false });

    // The reconciliation pass, in file order.
    const first = await listFinishedItems(database.db, batchId, 0, 20);
    expect(first).toMatchObject({ lastSeq: 20, more: true });
    const rest = await listFinishedItems(database.db, batchId, first.lastSeq, 20);
    expect(rest.changes.map((c) => c.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 21));
    expect(rest.more).toBe(false);

    const errors = await listBatchItemSummaries(database.db, batchId, {
      offset: 0,
      limit: 10,
      status: "ERROR",
    });
    expect(errors).toEqual({
      items: [
        {
          seq: 31,
          subOrderId: "SO-NOPE",
          status: "ERROR",
          errorCode: "SUB_ORDER_NOT_FOUND",
          errorMessage: "Sub-order SO-NOPE does not exist",
          units: null,
          rowNumbers: [32],
          syncState: null,
        },
      ],
      total: 1,
    });
  });

  test("line-item groups: row numbers per item, and the uploaded rows of one item", async () => {
    const [a, b] = await insertBulkSubOrders(database.db, "BVL", 2);
    const batchId = await upload(
      `Sub Order ID,SKU ID,Quantity\n${a},SKU-1,1\n${b},SKU-1,x\n${a},SKU-2,2\n`,
      "line_items",
      "lines.csv",
    );
    const page = await listBatchItemSummaries(database.db, batchId, { offset: 0, limit: 10 });
    expect(page.items.map((i) => [i.subOrderId, i.rowNumbers, i.status])).toEqual([
      [a, [2, 4], "PENDING"],
      [b, [3], "ERROR"],
    ]);
    expect(await listBatchItemRows(database.db, batchId, 1)).toEqual([
      {
        rowNumber: 2,
        cells: [a, "SKU-1", "1"],
        sku: "SKU-1",
        quantity: 1,
        errorCode: null,
        errorMessage: null,
      },
      {
        rowNumber: 4,
        cells: [a, "SKU-2", "2"],
        sku: "SKU-2",
        quantity: 2,
        errorCode: null,
        errorMessage: null,
      },
    ]);
  });

  test("the batch list counts each batch's own items, newest first", async () => {
    const list = await listBatchSummaries(database.db, { offset: 0, limit: 10 });
    const counts = await database.db.execute<{ batch_id: string; success: number; error: number }>(sql`
      SELECT batch_id, count(*) FILTER (WHERE status = 'SUCCESS')::int AS success,
             count(*) FILTER (WHERE status = 'ERROR')::int AS error
        FROM batch_items GROUP BY batch_id`);
    expect(list.total).toBe(2);
    expect(list.rows.map((r) => r.fileName)).toEqual(["lines.csv", "f.csv"]);
    for (const row of list.rows) {
      const expected = counts.rows.find((c) => c.batch_id === row.id);
      expect({ success: row.success, error: row.error }).toEqual({
        success: expected?.success,
        error: expected?.error,
      });
      expect(row.createdAt).toBeInstanceOf(Date);
    }
    expect(list.rows[1]).toMatchObject({ success: 30, error: 1, status: "completed", totalRows: 31 });
  });
});
