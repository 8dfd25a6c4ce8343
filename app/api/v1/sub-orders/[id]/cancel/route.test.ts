/**
 * POST /api/v1/sub-orders/{id}/cancel through its real handler, API key and database: one
 * Idempotency-Key never acts twice however many requests carry it at once, and a failure inside
 * the cancelling transaction (here: the audit insert) leaves nothing behind and answers clearly.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import { seedDemoUsers } from "@/db/seed-users";
import { createApiKey } from "@/lib/auth/api-keys";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, ledgerReport, readLines, TEST_REASON } from "@/test/fixtures";
import { POST } from "./route";

let secret: string;

beforeAll(async () => {
  state.database = await createTestDatabase();
  await seedDemoUsers(state.database.db);
  await insertReferenceData(state.database.db);
  ({ secret } = await createApiKey(
    { name: "ERP", scopes: ["read", "cancel"], createdBy: "demo-admin" },
    state.database.db,
  ));
});
afterAll(() => state.database?.drop());

function db() {
  if (!state.database) throw new Error("no database");
  return state.database.db;
}

function cancelRequest(
  subOrderId: string,
  body: unknown,
  key?: string,
): [Request, { params: Promise<{ id: string }> }] {
  const headers = new Headers({ authorization: `Bearer ${secret}`, "content-type": "application/json" });
  if (key) headers.set("idempotency-key", key);
  return [
    new Request(`http://localhost:3000/api/v1/sub-orders/${subOrderId}/cancel`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ id: subOrderId }) },
  ];
}

async function send(subOrderId: string, body: unknown, key?: string) {
  const response = await POST(...cancelRequest(subOrderId, body, key));
  return { status: response.status, body: await response.json() };
}

describe("Idempotency-Key", () => {
  test("40 simultaneous requests with one key: one cancellation, every caller the same status and body", async () => {
    await insertSubOrder(db(), "SO-API-IDEM", [{ sku: "A", ordered: 10 }]);
    const body = { reasonCode: TEST_REASON, lines: [{ sku: "A", quantity: 3 }] };
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => send("SO-API-IDEM", body, "same-key-40")),
    );
    const first = answers[0];
    expect(first).toMatchObject({ status: 200, body: { ok: true, data: { units: 3, status: "CONFIRMED" } } });
    for (const answer of answers) expect(answer).toEqual(first);
    expect((await readLines(db(), "SO-API-IDEM")).map((l) => l.cancelled)).toEqual([3]);

    // Later, the same request again: the stored answer, nothing cancelled.
    expect(await send("SO-API-IDEM", body, "same-key-40")).toEqual(first);
    // The same key for a different request is a client error, and acts on nothing.
    const reused = await send("SO-API-IDEM", { ...body, lines: [{ sku: "A", quantity: 1 }] }, "same-key-40");
    expect(reused).toMatchObject({ status: 422, body: { code: "IDEMPOTENCY_KEY_REUSED", status: 422 } });
    expect((await readLines(db(), "SO-API-IDEM")).map((l) => l.cancelled)).toEqual([3]);
    // A refusal is an answer too: replayed as it was.
    const refused = await send("SO-API-IDEM", { ...body, lines: [{ sku: "A", quantity: 99 }] }, "too-many");
    expect(refused.status).toBe(409);
    expect(await send("SO-API-IDEM", { ...body, lines: [{ sku: "A", quantity: 99 }] }, "too-many")).toEqual(
      refused,
    );
    expect(await ledgerReport(db())).toEqual({ mismatchedLines: [], reservedUnits: 0, pendingEntries: 0 });
  });
});

describe("after a restart", () => {
  test("a replay is answered from the database: fresh modules, no memory of the first call, nothing cancelled twice", async () => {
    await insertSubOrder(db(), "SO-API-RESTART", [{ sku: "A", ordered: 4 }]);
    const body = { reasonCode: TEST_REASON, lines: [{ sku: "A", quantity: 2 }] };
    const first = await send("SO-API-RESTART", body, "restart-key");
    expect(first.status).toBe(200);

    // What a restarted server has: the same database, freshly loaded code and no in-process state.
    vi.resetModules();
    const { POST: restarted } = await import("./route");
    const response = await restarted(...cancelRequest("SO-API-RESTART", body, "restart-key"));
    expect({ status: response.status, body: await response.json() }).toEqual(first);
    expect(response.headers.get("idempotent-replayed")).toBe("true");
    expect((await readLines(db(), "SO-API-RESTART")).map((l) => l.cancelled)).toEqual([2]);
  });
});

describe("a failure inside the cancelling transaction", () => {
  test("an audit insert that fails rolls the cancellation back, and the caller gets a clear 500", async () => {
    await insertSubOrder(db(), "SO-AUDIT-FAIL", [{ sku: "A", ordered: 2 }]);
    await db().execute(sql`
      CREATE FUNCTION refuse_audit() RETURNS trigger AS $$
      BEGIN
        IF NEW.target = 'SO-AUDIT-FAIL' THEN RAISE EXCEPTION 'audit store unavailable'; END IF;
        RETURN NEW;
      END; $$ LANGUAGE plpgsql`);
    await db().execute(
      sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    );
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const answer = await send("SO-AUDIT-FAIL", { reasonCode: TEST_REASON }, "audit-fails");
      expect(answer.status).toBe(500);
      expect(answer.body).toMatchObject({
        status: 500,
        code: "INTERNAL_ERROR",
        requestId: expect.any(String),
      });
      expect(answer.body.detail).not.toMatch(/audit store|INSERT|SELECT/);
    } finally {
      errors.mockRestore();
      await db().execute(sql`DROP TRIGGER refuse_audit ON audit_events`);
      await db().execute(sql`DROP FUNCTION refuse_audit()`);
    }
    // Nothing was cancelled and nothing was recorded.
    expect((await readLines(db(), "SO-AUDIT-FAIL")).map((l) => [l.cancelled, l.pendingCancel])).toEqual([
      [0, 0],
    ]);
    const entries = await db().execute(
      sql`SELECT id FROM cancellations WHERE sub_order_id = 'SO-AUDIT-FAIL'`,
    );
    expect(entries.rows).toEqual([]);
    // The key was let go: the same request, sent again once the audit store is back, cancels once.
    const again = await send("SO-AUDIT-FAIL", { reasonCode: TEST_REASON }, "audit-fails");
    expect(again).toMatchObject({ status: 200, body: { ok: true, data: { units: 2 } } });
    const audited = await db().execute<{ outcome: string }>(
      sql`SELECT outcome FROM audit_events WHERE action = 'cancellation.cancel' AND target = 'SO-AUDIT-FAIL'`,
    );
    expect(audited.rows).toEqual([{ outcome: "success" }]);
  });
});
