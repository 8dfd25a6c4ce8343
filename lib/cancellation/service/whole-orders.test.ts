import { afterAll, beforeAll, expect, test } from "vitest";
import { FAKE_WMS_API_KEY, type FakeWms, parseWmsCancel, startFakeWms } from "@/dev/fakes/wms";
import { previewBatch } from "@/lib/batches/preview-batch";
import { BatchRunner } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  insertReferenceData,
  insertSubOrder,
  ledgerReport,
  readLines,
  TEST_REASON,
} from "@/test/fixtures";
import { cancelLineItems } from "./cancel-line-items";

let database: TestDatabase;
/** The WMS through its real connector: it cancels whole sales orders only. */
let wms: FakeWms;
const asked = () => wms.requests.map((r) => parseWmsCancel(r)?.orderNo);

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  wms = await startFakeWms();
  await connectFixtures(database.db, { wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY } });
  for (const id of ["SO-WHOLE-1", "SO-WHOLE-2", "SO-WHOLE-3"]) {
    await insertSubOrder(
      database.db,
      id,
      [
        { sku: "A", ordered: 2 },
        { sku: "B", ordered: 1 },
      ],
      "WH-WMS",
    );
  }
});
afterAll(async () => {
  await wms.close();
  await database.drop();
});

test("a partial cancel at a whole-orders-only WMS: the dry run says so, the run agrees, nothing is reserved or asked", async () => {
  const db = database.db;
  const uploaded = await uploadBatch(db, {
    bytes: new TextEncoder().encode(
      "Sub Order ID,SKU ID,Quantity\nSO-WHOLE-1,A,1\nSO-WHOLE-2,A,2\nSO-WHOLE-2,B,1\n",
    ),
    fileName: "wms-lines.csv",
    kind: "line_items",
    mode: "line_items",
    reasonCode: TEST_REASON,
    createdBy: { type: "user", id: "u-ops", name: "Olivia Ops" },
    now: new Date(),
  });
  if (!uploaded.ok) throw new Error(uploaded.error.message);
  const preview = await previewBatch(db, uploaded.value.batchId);
  if (!preview.ok) throw new Error(preview.error.message);
  expect(preview.value.predictions.map((p) => (p.outcome === "fail" ? p.code : p.outcome))).toEqual([
    "WAREHOUSE_WHOLE_ORDERS_ONLY",
    "cancel",
  ]);

  await startBatch(db, { batchId: uploaded.value.batchId, confirmDuplicate: false, now: new Date() });
  await new BatchRunner(db).runUntilIdle();
  const items = await db.query.batchItems.findMany({
    where: (t, { eq }) => eq(t.batchId, uploaded.value.batchId),
  });
  expect(items.map((i) => [i.subOrderId, i.status, i.errorCode]).sort()).toEqual([
    ["SO-WHOLE-1", "ERROR", "WAREHOUSE_WHOLE_ORDERS_ONLY"],
    ["SO-WHOLE-2", "SUCCESS", null],
  ]);
  expect(asked()).toEqual(["SO-WHOLE-2"]);
  expect((await readLines(db, "SO-WHOLE-1")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([
    [0, 0],
    [0, 0],
  ]);
  expect(await ledgerReport(db)).toEqual({ mismatchedLines: [], reservedUnits: 0, pendingEntries: 0 });
});

test("the same by a single line cancel: a 409 before the warehouse is asked", async () => {
  const result = await cancelLineItems(database.db, {
    subOrderId: "SO-WHOLE-3",
    lines: [{ sku: "B", quantity: 1 }],
    reasonCode: TEST_REASON,
    actor: { type: "user", id: "u-support" },
    source: "single",
  });
  expect(result.ok ? null : result.error.code).toBe("WAREHOUSE_WHOLE_ORDERS_ONLY");
  expect(asked()).not.toContain("SO-WHOLE-3");
  expect(await ledgerReport(database.db)).toEqual({
    mismatchedLines: [],
    reservedUnits: 0,
    pendingEntries: 0,
  });
});
