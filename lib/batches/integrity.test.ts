import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { createSubOrderBatch, insertBulkSubOrders, insertReferenceData, ledgerReport } from "@/test/fixtures";
import { BatchRunner } from "./runner";
import { startBatch } from "./start-batch";

let database: TestDatabase;
const creator = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;

beforeAll(async () => {
  database = await createTestDatabase();
  await insertReferenceData(database.db);
});
afterAll(() => database.drop());

const draftOf = (ids: string[], fileSha256: string) =>
  createSubOrderBatch(database.db, ids, { fileSha256, mode: "unfulfilled_only", createdBy: creator });

describe("the same file started twice", () => {
  test("two drafts of one file started at the same moment: only one runs without the explicit confirmation (20 tries)", async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ids = await insertBulkSubOrders(database.db, `SO-TWICE-${attempt}`, 3);
      const sha = `same-file-${attempt}`;
      const [a, b] = [await draftOf(ids, sha), await draftOf(ids, sha)];
      const now = new Date();
      const results = await Promise.all([
        startBatch(database.db, { batchId: a, confirmDuplicate: false, now }),
        startBatch(database.db, { batchId: b, confirmDuplicate: false, now }),
      ]);
      const started = results.filter((r) => r.ok && !r.value.alreadyStarted);
      const refused = results.filter((r) => !r.ok);
      expect(started, `try ${attempt}`).toHaveLength(1);
      expect(refused.map((r) => !r.ok && r.error.code)).toEqual(["DUPLICATE_FILE"]);
      const statuses = await database.db.execute<{ status: string }>(
        sql`SELECT status FROM batches WHERE id IN (${a}, ${b}) ORDER BY status`,
      );
      expect(statuses.rows.map((r) => r.status)).toEqual(["draft", "queued"]);
    }
    // With the explicit confirmation the second runs, knowingly.
    const ids = await insertBulkSubOrders(database.db, "SO-TWICE-OK", 2);
    const first = await draftOf(ids, "confirmed-file");
    const second = await draftOf(ids, "confirmed-file");
    expect(
      await startBatch(database.db, { batchId: first, confirmDuplicate: false, now: new Date() }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await startBatch(database.db, { batchId: second, confirmDuplicate: true, now: new Date() }),
    ).toMatchObject({
      ok: true,
      value: { alreadyStarted: false },
    });
  });
});

describe("an item that makes its chunk fail", () => {
  test("is blamed by its own id, and no other item is", async () => {
    const ids = await insertBulkSubOrders(database.db, "SO-POISON", 60);
    const poisoned = ids[37] ?? "";
    // The ledger refuses this one sub-order (as a broken row or a bug would): its chunk rolls back.
    await database.db.execute(
      sql.raw(`
      CREATE FUNCTION poison_ledger() RETURNS trigger AS $$
      BEGIN
        IF NEW.sub_order_id = '${poisoned}' THEN RAISE EXCEPTION 'poisoned row'; END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`),
    );
    await database.db.execute(
      sql`CREATE TRIGGER poison_ledger BEFORE INSERT ON cancellations FOR EACH ROW EXECUTE FUNCTION poison_ledger()`,
    );
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const batchId = await draftOf(ids, "poison");
      await startBatch(database.db, { batchId, confirmDuplicate: false, now: new Date() });
      // Two loops (and, on PostgreSQL, two connections) claim chunks at once.
      await Promise.all([
        new BatchRunner(database.db, { chunkSize: 10 }).runUntilIdle(),
        new BatchRunner(database.db, { chunkSize: 10 }).runUntilIdle(),
      ]);
      const items = await database.db.execute<{
        sub_order_id: string;
        status: string;
        error_code: string | null;
      }>(
        sql`SELECT sub_order_id, status, error_code FROM batch_items WHERE batch_id = ${batchId} AND status <> 'SUCCESS'`,
      );
      expect(items.rows).toEqual([{ sub_order_id: poisoned, status: "ERROR", error_code: "INTERNAL_ERROR" }]);
      const done = await database.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM batch_items WHERE batch_id = ${batchId} AND status = 'SUCCESS'`,
      );
      expect(done.rows[0]?.n).toBe(59);
      const batch = await database.db.execute<{ status: string }>(
        sql`SELECT status FROM batches WHERE id = ${batchId}`,
      );
      expect(batch.rows[0]?.status).toBe("completed");
    } finally {
      errors.mockRestore();
      await database.db.execute(sql`DROP TRIGGER poison_ledger ON cancellations`);
      await database.db.execute(sql`DROP FUNCTION poison_ledger()`);
    }
    expect(await ledgerReport(database.db)).toEqual({
      mismatchedLines: [],
      reservedUnits: 0,
      pendingEntries: 0,
    });
  });
});

describe("who starts a draft", () => {
  test("only its uploader or an admin; the ledger and the audit trail name who started it", async () => {
    const ids = await insertBulkSubOrders(database.db, "SO-STARTER", 2);
    const batchId = await draftOf(ids, "starter-file"); // uploaded by u-ops
    const other = { type: "user", id: "u-other-ops", name: "Otto Ops" } as const;
    const refused = await startBatch(database.db, {
      batchId,
      confirmDuplicate: false,
      now: new Date(),
      startedBy: other,
      mayStartAny: false,
      audit: { label: "otto@example.test", sourceIp: "192.0.2.1" },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: "FORBIDDEN",
        message: expect.stringContaining("Only Olivia Ops, who uploaded this file, or an admin"),
      },
    });
    const admin = { type: "user", id: "u-admin", name: "Ada Admin" } as const;
    const started = await startBatch(database.db, {
      batchId,
      confirmDuplicate: false,
      now: new Date(),
      startedBy: admin,
      mayStartAny: true,
      audit: { label: "ada@example.test", sourceIp: "192.0.2.2" },
    });
    expect(started).toMatchObject({ ok: true, value: { alreadyStarted: false } });
    await new BatchRunner(database.db).runUntilIdle();

    const actors = await database.db.execute<{ actor_id: string }>(
      sql`SELECT DISTINCT actor_id FROM cancellations WHERE batch_id = ${batchId}`,
    );
    expect(actors.rows).toEqual([{ actor_id: "u-admin" }]);
    const audit = await database.db.execute<{ actor_id: string; outcome: string }>(
      sql`SELECT actor_id, outcome FROM audit_events WHERE action = 'batch.start' AND target = ${batchId} ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { actor_id: "u-other-ops", outcome: "denied" },
      { actor_id: "u-admin", outcome: "success" },
    ]);
    const batch = await database.db.execute<{ started_by_name: string }>(
      sql`SELECT started_by_name FROM batches WHERE id = ${batchId}`,
    );
    expect(batch.rows[0]?.started_by_name).toBe("Ada Admin");
  });
});
