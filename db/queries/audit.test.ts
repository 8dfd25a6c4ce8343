import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { auditEvents } from "@/db/schema";
import { auditCsvChunks } from "@/lib/audit/audit-csv";
import { auditFiltersSchema } from "@/lib/audit/filters";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { iterateAuditEvents, listAuditEvents } from "./audit";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const admin = { type: "user" as const, id: "u-admin", label: "admin@demo.test" };
  const anonymous = { type: "anonymous" as const, id: null, label: '=HYPERLINK("http://evil")' };
  for (let i = 0; i < 7; i++) {
    await recordAuditEvent(
      { actor: admin, action: "auth.sign_in", outcome: "success", sourceIp: "10.0.0.1" },
      database.db,
    );
  }
  await recordAuditEvent(
    {
      actor: anonymous,
      action: "auth.sign_in",
      outcome: "failure",
      detail: { code: "INVALID_EMAIL_OR_PASSWORD" },
    },
    database.db,
  );
  await recordAuditEvent(
    {
      actor: admin,
      action: "api_key.create",
      outcome: "success",
      target: "key-1",
      detail: { scopes: ["read"] },
    },
    database.db,
  );
  // One event from an earlier day, for the date filters.
  await database.db.execute(sql`
    INSERT INTO audit_events (at, actor_type, actor_id, actor_label, action, outcome)
    VALUES ('2026-01-15T12:00:00Z', 'user', 'u-ops', 'ops@demo.test', 'cancellation.cancel', 'denied')`);
});

afterAll(async () => {
  await database?.drop();
});

describe("audit events", () => {
  test("are append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    await expect(database.db.execute(sql`UPDATE audit_events SET outcome = 'success'`)).rejects.toThrow();
    await expect(database.db.execute(sql`DELETE FROM audit_events`)).rejects.toThrow();
    await expect(database.db.execute(sql`TRUNCATE audit_events`)).rejects.toThrow();
    const [count] = await database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    expect(count?.n).toBe(10);
  });

  test("filter by action, outcome, actor and date range", async () => {
    const filter = (query: Record<string, string>) =>
      listAuditEvents(database.db, auditFiltersSchema.parse(query)).then((page) => page.rows);
    expect(await filter({ action: "auth.sign_in" })).toHaveLength(8);
    expect(await filter({ action: "auth.sign_in", outcome: "failure" })).toHaveLength(1);
    expect(await filter({ actor: "OPS@demo" })).toMatchObject([{ actorLabel: "ops@demo.test" }]);
    // LIKE wildcards typed by a person are taken literally.
    expect(await filter({ actor: "%" })).toHaveLength(0);
    expect(await filter({ from: "2026-01-15", to: "2026-01-15" })).toMatchObject([
      { action: "cancellation.cancel" },
    ]);
    expect(await filter({ to: "2026-01-14" })).toHaveLength(0);
    expect(auditFiltersSchema.safeParse({ from: "2026-02-01", to: "2026-01-01" }).success).toBe(false);
    expect(auditFiltersSchema.safeParse({ action: "drop table" }).success).toBe(false);
    expect(auditFiltersSchema.parse({ action: "", outcome: "" })).toEqual({});
  });

  test("pages newest first by keyset, without gaps or repeats", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listAuditEvents(database.db, {}, { before, limit: 3 });
      seen.push(...page.rows.map((r) => r.id));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(seen).toHaveLength(10);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const all: number[] = [];
    for await (const row of iterateAuditEvents(database.db, {}, 4)) all.push(row.id);
    expect(all).toEqual(seen);
  });

  test("export as CSV with a BOM, a header, and formula-safe cells", async () => {
    let csv = "";
    for await (const chunk of auditCsvChunks(iterateAuditEvents(database.db, { outcome: "failure" })))
      csv += chunk;
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("\uFEFFAt (UTC),Actor Type,Actor ID,Actor,Source IP,Action,Target,Outcome,Detail");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain("auth.sign_in");
  });
});
