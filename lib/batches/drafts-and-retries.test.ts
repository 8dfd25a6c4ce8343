import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "@/dev/fakes/wms";
import { closedPortUrl } from "@/lib/connectors/test-helpers";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  connectFixtures,
  insertBulkSubOrders,
  insertReferenceData,
  ledgerReport,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";
import { previewBatch } from "./preview-batch";
import { retryFailedRows } from "./retry-failed";
import { BatchRunner } from "./runner";
import { startBatch } from "./start-batch";
import { deleteExpiredDrafts, updateDraft } from "./update-draft";
import { uploadBatch } from "./upload-batch";

let database: TestDatabase;
let wms: FakeWms;
const ops = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;
const other = { type: "user", id: "u-other", name: "Otto Other" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
  await database.db.execute(sql`
    INSERT INTO cancellation_reasons (code, label, initiator) VALUES ('OTHER_REASON', 'Other', 'seller')`);
  wms = await startFakeWms();
});
afterAll(async () => {
  await wms.close();
  await database.drop();
});

async function upload(csv: string, mode: "strict" | "unfulfilled_only" = "strict") {
  const result = await uploadBatch(database.db, {
    bytes: new TextEncoder().encode(csv),
    fileName: "draft.csv",
    kind: "sub_orders",
    mode,
    reasonCode: TEST_REASON,
    createdBy: ops,
    now: new Date(),
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value.batchId;
}

async function batchCount(): Promise<number> {
  const rows = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`);
  return rows.rows[0]?.n ?? 0;
}

describe("a draft is edited in place", () => {
  test("a new reason or mode changes the draft, not a new one; rows naming their own reason keep it", async () => {
    const [a, b] = await insertBulkSubOrders(database.db, "SO-DRAFT", 2);
    const batchId = await upload(`Sub Order ID,Reason Code\n${a},\n${b},OTHER_REASON\n`);
    const before = await batchCount();

    const changed = await updateDraft(database.db, {
      batchId,
      reasonCode: "OTHER_REASON",
      mode: "unfulfilled_only",
      actor: ops,
      mayEditAny: false,
    });
    expect(changed).toEqual({ ok: true, value: { reasonCode: "OTHER_REASON", mode: "unfulfilled_only" } });
    expect(await batchCount()).toBe(before);
    const items = await database.db.execute<{ reason_code: string | null }>(
      sql`SELECT reason_code FROM batch_items WHERE batch_id = ${batchId} ORDER BY seq`,
    );
    expect(items.rows).toEqual([{ reason_code: null }, { reason_code: "OTHER_REASON" }]);

    // The dry run follows at once; the run uses the new settings.
    expect(await previewBatch(database.db, batchId)).toMatchObject({
      ok: true,
      value: { totals: { willCancel: 2 } },
    });
    expect(
      await updateDraft(database.db, { batchId, reasonCode: "RETIRED", actor: ops, mayEditAny: false }),
    ).toMatchObject({
      ok: false,
      error: { code: "REASON_NOT_FOUND" },
    });
    expect(
      await updateDraft(database.db, { batchId, reasonCode: TEST_REASON, actor: other, mayEditAny: false }),
    ).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    await startBatch(database.db, { batchId, confirmDuplicate: true, now: new Date() });
    await new BatchRunner(database.db).runUntilIdle();
    const used = await database.db.execute<{ reason_code: string; mode: string }>(
      sql`SELECT DISTINCT reason_code, mode FROM cancellations WHERE batch_id = ${batchId}`,
    );
    expect(used.rows).toEqual([{ reason_code: "OTHER_REASON", mode: "unfulfilled_only" }]);
    expect(
      await updateDraft(database.db, { batchId, reasonCode: TEST_REASON, actor: ops, mayEditAny: false }),
    ).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
  });

  test("drafts never started within 24 hours are deleted with their rows; started batches stay", async () => {
    const [a] = await insertBulkSubOrders(database.db, "SO-EXPIRE", 1);
    const old = await upload(`Sub Order ID\n${a}\n`);
    const fresh = await upload(`Sub Order ID\n${a}\n`);
    await database.db.execute(
      sql`UPDATE batches SET created_at = now() - interval '25 hours' WHERE id = ${old}`,
    );
    expect(await deleteExpiredDrafts(database.db)).toBe(1);
    const left = await database.db.execute<{ id: string }>(
      sql`SELECT id FROM batches WHERE id IN (${old}, ${fresh})`,
    );
    expect(left.rows).toEqual([{ id: fresh }]);
    const rows = await database.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM batch_rows WHERE batch_id = ${old}`,
    );
    expect(rows.rows[0]?.n).toBe(0);
  });
});

describe("Retry failed rows", () => {
  test("a warehouse that cannot be reached: rows fail as retryable, released; a retry after it is back runs only those", async () => {
    const ids = await insertBulkSubOrders(database.db, "SO-RETRY", 6, "WH-WMS");
    // Two rows fail for good: already cancelled.
    await database.db.execute(
      sql`UPDATE line_items SET cancelled = ordered WHERE sub_order_id = ANY(${sql.param(ids.slice(0, 2))}::text[])`,
    );
    await connectFixtures(database.db, {
      wms: { url: await closedPortUrl(), apiKey: FAKE_WMS_API_KEY, maxAttempts: 1 },
    });
    const batchId = await upload(`Sub Order ID\n${ids.join("\n")}\n`);
    await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });
    const runner = new BatchRunner(database.db, {
      idleMs: 20,
      retryBaseMs: 20,
      retryMaxMs: 100,
      unreachableFailAfterMs: 500,
    });
    runner.start();
    await waitFor(
      async () =>
        (await database.db.execute<{ status: string }>(sql`SELECT status FROM batches WHERE id = ${batchId}`))
          .rows[0]?.status === "completed",
      30_000,
      "the batch finishes",
    );
    await runner.stop();
    const outcomes = await database.db.execute<{ error_code: string; n: number }>(sql`
      SELECT error_code, count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} GROUP BY error_code ORDER BY error_code`);
    expect(outcomes.rows).toEqual([
      { error_code: "ALREADY_CANCELLED", n: 2 },
      { error_code: "DOWNSTREAM_UNAVAILABLE", n: 4 },
    ]);
    expect(wms.requests).toHaveLength(0); // nothing ever reached it: safe to release and ask anew
    // (Two sub-orders were cancelled by hand above, without the ledger: only reservations are checked.)
    expect(await ledgerReport(database.db)).toMatchObject({ reservedUnits: 0, pendingEntries: 0 });

    // The warehouse is back: only the four retryable rows run again, as a new batch linked to this one.
    await connectFixtures(database.db, { wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, maxAttempts: 1 } });
    const retried = await retryFailedRows(database.db, { batchId, actor: ops, mayStartAny: false });
    expect(retried).toMatchObject({ ok: true, value: { items: 4 } });
    if (!retried.ok) return;
    // A second click while it runs is told so, and starts nothing.
    expect(await retryFailedRows(database.db, { batchId, actor: ops, mayStartAny: false })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("already being retried") },
    });
    await new BatchRunner(database.db).runUntilIdle();
    const child = await database.db.execute<{ parent_batch_id: string; status: string; total_rows: number }>(
      sql`SELECT parent_batch_id, status, total_rows FROM batches WHERE id = ${retried.value.batchId}`,
    );
    expect(child.rows[0]).toEqual({ parent_batch_id: batchId, status: "completed", total_rows: 4 });
    const childItems = await database.db.execute<{ sub_order_id: string; status: string }>(
      sql`SELECT sub_order_id, status FROM batch_items WHERE batch_id = ${retried.value.batchId} ORDER BY seq`,
    );
    expect(childItems.rows).toEqual(ids.slice(2).map((id) => ({ sub_order_id: id, status: "SUCCESS" })));
    // Nothing retryable is left; terminal failures are never retried.
    expect(await retryFailedRows(database.db, { batchId, actor: ops, mayStartAny: false })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("no failed rows that can be retried") },
    });
    // (Two sub-orders were cancelled by hand above, without the ledger: only reservations are checked.)
    expect(await ledgerReport(database.db)).toMatchObject({ reservedUnits: 0, pendingEntries: 0 });
  });

  test("a cancellation that may have reached the warehouse is never given up", async () => {
    const [id] = await insertBulkSubOrders(database.db, "SO-MAYBE", 1, "WH-WMS");
    wms.reset();
    wms.setLatency(2_000); // it acts, but answers after our 300 ms timeout
    await connectFixtures(database.db, {
      wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 300, maxAttempts: 1 },
    });
    const batchId = await upload(`Sub Order ID\n${id}\n`);
    await startBatch(database.db, { batchId, confirmDuplicate: true, now: new Date() });
    const runner = new BatchRunner(database.db, {
      idleMs: 20,
      retryBaseMs: 20,
      retryMaxMs: 100,
      waitingAfterMs: 0,
      unreachableFailAfterMs: 200,
    });
    runner.start();
    try {
      await waitFor(async () => wms.requests.length >= 1, 10_000, "asked once");
      // Now it refuses connections: a later ask is known unsent, but the first may have landed.
      await connectFixtures(database.db, {
        wms: { url: await closedPortUrl(), apiKey: FAKE_WMS_API_KEY, timeoutMs: 300, maxAttempts: 1 },
      });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const state = await database.db.execute<{ status: string }>(
        sql`SELECT status FROM batch_items WHERE batch_id = ${batchId}`,
      );
      expect(state.rows).toEqual([{ status: "WAITING" }]);
      wms.setLatency(0);
      await connectFixtures(database.db, {
        wms: { url: wms.url, apiKey: FAKE_WMS_API_KEY, timeoutMs: 300, maxAttempts: 1 },
      });
      await waitFor(
        async () =>
          (
            await database.db.execute<{ status: string }>(
              sql`SELECT status FROM batch_items WHERE batch_id = ${batchId}`,
            )
          ).rows[0]?.status === "SUCCESS",
        10_000,
        "resolved once the warehouse answers",
      );
    } finally {
      await runner.stop();
    }
  });
});
