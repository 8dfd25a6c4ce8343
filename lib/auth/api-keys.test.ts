import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

vi.hoisted(() => {
  process.env.API_KEY_RATE_LIMIT_PER_MINUTE = "3";
});

import { apiKeys, auditEvents } from "@/db/schema";
import { seedDemoUsers } from "@/db/seed-users";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import {
  API_KEY_PREFIX,
  authenticateApiRequest,
  createApiKey,
  hashApiKey,
  INVALID_KEY_REQUESTS_PER_MINUTE,
  listApiKeys,
  revokeApiKey,
} from "./api-keys";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoUsers(database.db);
});

afterAll(async () => {
  await database?.drop();
});

function apiRequest(key?: string, ip = "203.0.113.7"): Request {
  const headers = new Headers({ [CLIENT_IP_HEADER]: ip });
  if (key !== undefined) headers.set("authorization", `Bearer ${key}`);
  return new Request("http://localhost:3000/api/v1/me", { headers });
}

async function statusOf(result: Awaited<ReturnType<typeof authenticateApiRequest>>) {
  return result.ok ? 200 : result.response.status;
}

describe("API keys", () => {
  test("the secret is returned once and only its SHA-256 is stored", async () => {
    const { key, secret } = await createApiKey(
      { name: "ERP", scopes: ["read", "cancel", "read"], createdBy: "demo-admin" },
      database.db,
    );
    expect(secret.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(secret.length).toBe(API_KEY_PREFIX.length + 43);
    expect(key.prefix).toBe(secret.slice(0, key.prefix.length));
    expect(key.scopes).toEqual(["read", "cancel"]);
    expect(key.createdByName).toBe("Ada Admin");

    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.keyHash).toBe(hashApiKey(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await listApiKeys(database.db);
    expect(JSON.stringify(listed)).not.toContain(row?.keyHash ?? "?");
  });

  test("a valid key with the scope passes and its last use is recorded", async () => {
    const { key, secret } = await createApiKey(
      { name: "Reader", scopes: ["read"], createdBy: "demo-admin" },
      database.db,
    );
    expect(key.lastUsedAt).toBeNull();
    const now = new Date("2026-11-22T10:00:00.000Z");
    const result = await authenticateApiRequest(apiRequest(secret), "read", database.db, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.actor).toEqual({ type: "api_key", id: key.id, name: "Reader" });
    expect(result.sourceIp).toBe("203.0.113.7");
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.lastUsedAt?.toISOString()).toBe(now.toISOString());
  });

  test("no key, an unknown key and a revoked key get the same 401; a missing scope gets 403 and is audited", async () => {
    const { key, secret } = await createApiKey(
      { name: "Reader 2", scopes: ["read"], createdBy: "demo-admin" },
      database.db,
    );
    const missing = await authenticateApiRequest(apiRequest(), "read", database.db);
    expect(await statusOf(missing)).toBe(401);
    if (!missing.ok) expect(missing.response.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    const unknown = await authenticateApiRequest(
      apiRequest(`${API_KEY_PREFIX}${"x".repeat(43)}`),
      "read",
      database.db,
    );
    expect(await statusOf(unknown)).toBe(401);

    const scope = await authenticateApiRequest(apiRequest(secret), "cancel", database.db);
    expect(await statusOf(scope)).toBe(403);
    if (!scope.ok) expect(await scope.response.json()).toMatchObject({ status: 403, code: "FORBIDDEN" });
    const denied = await database.db.select().from(auditEvents).where(eq(auditEvents.actorId, key.id));
    expect(denied).toMatchObject([
      { actorType: "api_key", outcome: "denied", action: "access", target: "/api/v1/me" },
    ]);

    const revoked = await revokeApiKey(key.id, database.db, new Date("2026-11-22T11:00:00.000Z"));
    expect(revoked?.revokedAt?.toISOString()).toBe("2026-11-22T11:00:00.000Z");
    // Revoking again keeps the first time.
    expect((await revokeApiKey(key.id, database.db))?.revokedAt?.toISOString()).toBe(
      "2026-11-22T11:00:00.000Z",
    );
    const after = await authenticateApiRequest(apiRequest(secret), "read", database.db);
    expect(await statusOf(after)).toBe(401);
    if (!after.ok && !unknown.ok) expect(await after.response.json()).toEqual(await unknown.response.json());
  });

  test("each key has its own per-minute limit, shared through the database: 429 with Retry-After", async () => {
    const a = await createApiKey({ name: "Busy", scopes: ["read"], createdBy: "demo-admin" }, database.db);
    const b = await createApiKey({ name: "Quiet", scopes: ["read"], createdBy: "demo-admin" }, database.db);
    const at = new Date("2026-11-22T12:00:10.000Z");
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        await statusOf(await authenticateApiRequest(apiRequest(a.secret), "read", database.db, at)),
      );
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await authenticateApiRequest(apiRequest(a.secret), "read", database.db, at);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.response.headers.get("Retry-After")).toBe("50");
      expect(await refused.response.json()).toMatchObject({ code: "RATE_LIMITED" });
    }
    // Another key is not affected, and the next minute starts afresh.
    expect(await statusOf(await authenticateApiRequest(apiRequest(b.secret), "read", database.db, at))).toBe(
      200,
    );
    const nextMinute = new Date("2026-11-22T12:01:00.000Z");
    expect(
      await statusOf(await authenticateApiRequest(apiRequest(a.secret), "read", database.db, nextMinute)),
    ).toBe(200);
  });

  test("requests with no key or a wrong key are limited per client address", async () => {
    const now = new Date("2026-12-02T12:00:30Z");
    const guess = (ip: string, key?: string) =>
      authenticateApiRequest(apiRequest(key, ip), "read", database.db, now).then(statusOf);
    const statuses = [];
    for (let i = 0; i < INVALID_KEY_REQUESTS_PER_MINUTE; i++)
      statuses.push(await guess("203.0.113.50", `oms_guess${i}`));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(await guess("203.0.113.50", "oms_one-more")).toBe(429);
    expect(await guess("203.0.113.50")).toBe(429);
    // Another address is not affected.
    expect(await guess("203.0.113.51", "oms_other")).toBe(401);
  });
});
