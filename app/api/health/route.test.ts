/**
 * /api/health: the load balancer's answer. 200 with the driver, the migration state, heartbeats and
 * outbox counts; 503 when migrations are pending or the database does not answer; never an error text.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test, vi } from "vitest";

import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({ database: undefined as TestDatabase | undefined, broken: false }));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    if (!state.broken) return state.database;
    const refuse = async () => {
      throw new Error("connection refused");
    };
    return { ...state.database, db: { execute: refuse } };
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import { createTestDatabase } from "@/test/database";
import { insertReferenceData } from "@/test/fixtures";
import { GET } from "./route";

beforeAll(async () => {
  state.database = await createTestDatabase();
  await insertReferenceData(state.database.db);
});

afterAll(async () => {
  await state.database?.drop();
});

test("200 with the snapshot's counts and timestamps, keeping ok and driver", async () => {
  const response = await GET();
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    ok: true,
    driver: state.database?.driver,
    migrations: { upToDate: true, pending: [] },
    heartbeats: { "batch-chunk": null, "outbox-dispatch": null, "webhook-delivery": null },
    outbox: [
      {
        channelId: "CH-TEST",
        notifications: { pending: 0, retrying: 0, delivered: 0, dead: 0 },
        webhooks: { pending: 0, retrying: 0, delivered: 0, dead: 0 },
      },
    ],
  });
  expect(body.connectors).toContainEqual(
    expect.objectContaining({ target: "warehouse", id: "WH-WMS", waiting: 0 }),
  );
  expect(JSON.stringify(body)).not.toMatch(/lastError"|baseUrl|credentials"/);
});

test("503 while a migration is pending", async () => {
  const db = state.database?.db;
  if (!db) throw new Error("no database");
  const newest = await db.execute<{ id: number; hash: string; created_at: string }>(
    sql`SELECT id, hash, created_at::text FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`,
  );
  const row = newest.rows[0];
  if (!row) throw new Error("no migrations recorded");
  await db.execute(sql`DELETE FROM drizzle.__drizzle_migrations WHERE id = ${row.id}`);
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, migrations: { upToDate: false } });
    expect(body.migrations.pending).toHaveLength(1);
  } finally {
    await db.execute(sql`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at)
                         VALUES (${row.id}, ${row.hash}, ${row.created_at}::bigint)`);
  }
  expect((await GET()).status).toBe(200);
});

test("503 when the database does not answer", async () => {
  state.broken = true;
  const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, driver: state.database?.driver });
  } finally {
    state.broken = false;
    quiet.mockRestore();
  }
});
