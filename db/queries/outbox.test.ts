/**
 * The Sync screen's reads (db/queries/outbox.ts), the connector settings read
 * (db/queries/connectors.ts), and the services behind the Sync and connector settings actions,
 * against a real database with real cancellations and their outbox rows.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { connectorSettingsSchema } from "@/app/(app)/settings/connectors/_lib/connector-settings-schema";
import { updateConnectorSettings } from "@/app/(app)/settings/connectors/_lib/update-connector-settings";
import { retryDeadNotifications, retryNotification } from "@/app/(app)/sync/_lib/retry-notifications";
import { auditEvents, channels, lineItems, orders, subOrders, warehouses } from "@/db/schema";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { decryptCredentials, encryptCredentials, encryptionKey } from "@/lib/connectors/secrets";
import { connectorSecret } from "@/lib/env";
import { resolveChannelNotifier } from "@/lib/outbox/channel-delivery";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { connectFixtures, insertReferenceData, SYSTEM_ACTOR, TEST_REASON } from "@/test/fixtures";

import { listConnectorSettings } from "./connectors";
import { countOutboxStates, listOutboxEntries } from "./outbox";

let database: TestDatabase;
const key = encryptionKey(connectorSecret());
const who = {
  actor: { type: "user" as const, id: "u-admin", label: "admin@demo.test" },
  sourceIp: "10.0.0.9",
};
const TOKEN = "tok-secret-value-1234";

/** Ledger ids of the confirmed cancellations, by sub-order. */
const ledger = new Map<string, string>();

async function cancel(subOrderId: string, channelId: string, channelOrderNo: string): Promise<string> {
  const db = database.db;
  const orderId = `ORD-${subOrderId}`;
  await db.insert(orders).values({
    id: orderId,
    channelId,
    channelOrderNo,
    channelOrderId: orderId,
    currency: "INR",
    customerName: "Test",
  });
  await db.insert(subOrders).values({ id: subOrderId, orderId, warehouseId: "WH-MANUAL" });
  await db.insert(lineItems).values({ subOrderId, sku: "A", ordered: 2, unitPriceMinor: 1000 });
  const result = await cancelSubOrder(db, {
    actor: SYSTEM_ACTOR,
    source: "single",
    reasonCode: TEST_REASON,
    subOrderId,
    mode: "strict",
  });
  if (!result.ok) throw new Error(result.error.message);
  ledger.set(subOrderId, result.value.cancellationId);
  return result.value.cancellationId;
}

const idOf = (subOrderId: string) => ledger.get(subOrderId) as string;

async function setState(subOrderId: string, state: string, extra = sql``) {
  await database.db.execute(sql`
    UPDATE channel_notifications SET state = ${state} ${extra} WHERE cancellation_id = ${idOf(subOrderId)}`);
}

async function outboxRow(cancellationId: string) {
  const rows = await database.db.execute<{ state: string; attempts: number; due: boolean }>(sql`
    SELECT state, attempts, next_attempt_at <= now() AS due
      FROM channel_notifications WHERE cancellation_id = ${cancellationId}`);
  return rows.rows[0];
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await insertReferenceData(db);
  // Two channels with an API (the dispatcher is not running here: states are set by hand).
  await connectFixtures(db, {
    channel: { connector: "dropship", url: "http://127.0.0.1:9", token: "fixture-token" },
  });
  await db.insert(channels).values({
    id: "CH-OTHER",
    name: "Another channel",
    connector: "commerce",
    baseUrl: "http://127.0.0.1:9",
    credentialsEncrypted: encryptCredentials({ token: "other-token" }, key),
  });
  await db.insert(channels).values({ id: "CH-MANUAL", name: "Manual channel", connector: "manual" });

  await cancel("SO-SYNC-1", "CH-TEST", "ACME-1001");
  await cancel("SO-SYNC-2", "CH-TEST", "ACME-1002");
  await cancel("SO-SYNC-3", "CH-TEST", "ACME-1003");
  await cancel("SO-SYNC-4", "CH-OTHER", "NW-2001");
  await cancel("SO-SYNC-5", "CH-OTHER", "NW-2002");
  // A manual channel has nobody to tell: no outbox row.
  await cancel("SO-SYNC-MANUAL", "CH-MANUAL", "WEB-1");

  await setState("SO-SYNC-1", "delivered", sql`, attempts = 1, delivered_at = now()`);
  await setState(
    "SO-SYNC-2",
    "dead",
    sql`, attempts = 3, last_error = 'Dropship API did not answer: connection reset'`,
  );
  await setState("SO-SYNC-3", "retrying", sql`, attempts = 1, next_attempt_at = now() + interval '1 hour'`);
  await setState("SO-SYNC-4", "dead", sql`, attempts = 1, last_error = 'refused'`);
  // SO-SYNC-5 stays pending. Creation times one minute apart, in sub-order order.
  for (const [i, subOrderId] of ["SO-SYNC-1", "SO-SYNC-2", "SO-SYNC-3", "SO-SYNC-4", "SO-SYNC-5"].entries()) {
    await database.db.execute(sql`
      UPDATE channel_notifications SET created_at = '2026-11-01T10:00:00Z'::timestamptz + make_interval(mins => ${i})
       WHERE cancellation_id = ${idOf(subOrderId)}`);
  }
});

afterAll(async () => {
  await database?.drop();
});

describe("outbox reads", () => {
  test("list newest first, with sub-order, channel, attempts and the channel's limit", async () => {
    const { rows, total } = await listOutboxEntries(database.db, {}, { offset: 0, limit: 50 });
    expect(total).toBe(5);
    expect(rows.map((r) => r.subOrderId)).toEqual([
      "SO-SYNC-5",
      "SO-SYNC-4",
      "SO-SYNC-3",
      "SO-SYNC-2",
      "SO-SYNC-1",
    ]);
    expect(rows.find((r) => r.subOrderId === "SO-SYNC-2")).toMatchObject({
      cancellationId: idOf("SO-SYNC-2"),
      channelId: "CH-TEST",
      channelName: "Test channel",
      channelOrderNo: "ACME-1002",
      state: "dead",
      attempts: 3,
      maxAttempts: 5,
      lastError: "Dropship API did not answer: connection reset",
      deliveredAt: null,
    });
    const delivered = rows.find((r) => r.subOrderId === "SO-SYNC-1");
    expect(delivered?.deliveredAt).toBeInstanceOf(Date);
    expect(delivered?.createdAt.toISOString()).toBe("2026-11-01T10:00:00.000Z");
  });

  test("filter by state, channel and sub-order or channel order number; page with offset and limit", async () => {
    const subOrdersOf = async (filters: Parameters<typeof listOutboxEntries>[1], offset = 0, limit = 50) => {
      const page = await listOutboxEntries(database.db, filters, { offset, limit });
      return { ids: page.rows.map((r) => r.subOrderId), total: page.total };
    };
    expect(await subOrdersOf({ state: "dead" })).toEqual({ ids: ["SO-SYNC-4", "SO-SYNC-2"], total: 2 });
    expect(await subOrdersOf({ state: "dead", channelId: "CH-TEST" })).toEqual({
      ids: ["SO-SYNC-2"],
      total: 1,
    });
    expect(await subOrdersOf({ state: "all", channelId: "CH-OTHER" })).toEqual({
      ids: ["SO-SYNC-5", "SO-SYNC-4"],
      total: 2,
    });
    expect(await subOrdersOf({ q: "so-sync-3" })).toEqual({ ids: ["SO-SYNC-3"], total: 1 });
    expect(await subOrdersOf({ q: "NW-" })).toEqual({ ids: ["SO-SYNC-5", "SO-SYNC-4"], total: 2 });
    // LIKE wildcards typed by a person are taken literally.
    expect(await subOrdersOf({ q: "%" })).toEqual({ ids: [], total: 0 });
    expect(await subOrdersOf({}, 1, 2)).toEqual({ ids: ["SO-SYNC-4", "SO-SYNC-3"], total: 5 });
    expect(await subOrdersOf({}, 4, 2)).toEqual({ ids: ["SO-SYNC-1"], total: 5 });
  });

  test("count per state for the tabs, under the channel and search filters", async () => {
    expect(await countOutboxStates(database.db, {})).toEqual({
      all: 5,
      pending: 1,
      retrying: 1,
      delivered: 1,
      dead: 2,
    });
    expect(await countOutboxStates(database.db, { channelId: "CH-OTHER" })).toEqual({
      all: 2,
      pending: 1,
      retrying: 0,
      delivered: 0,
      dead: 1,
    });
    expect(await countOutboxStates(database.db, { q: "SO-SYNC-2" })).toMatchObject({ all: 1, dead: 1 });
  });
});

describe("retry services (the Sync screen's actions)", () => {
  test("retry now: a dead notification is due at once with fresh tries, and the retry is audited", async () => {
    const id = idOf("SO-SYNC-2");
    const result = await retryNotification(database.db, id, who);
    expect(result).toEqual({
      ok: true,
      data: { cancellationId: id, subOrderId: "SO-SYNC-2", channelId: "CH-TEST" },
    });
    expect(await outboxRow(id)).toEqual({ state: "retrying", attempts: 0, due: true });
    const events = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sync.retry"), eq(auditEvents.target, id)));
    expect(events).toMatchObject([
      {
        actorId: "u-admin",
        outcome: "success",
        sourceIp: "10.0.0.9",
        detail: { subOrderId: "SO-SYNC-2", channel: "CH-TEST", previousState: "dead" },
      },
    ]);
  });

  test("retry now: a waiting one is brought forward; a delivered or unknown one is refused", async () => {
    const waiting = idOf("SO-SYNC-3");
    expect((await outboxRow(waiting))?.due).toBe(false);
    expect((await retryNotification(database.db, waiting, who)).ok).toBe(true);
    expect(await outboxRow(waiting)).toEqual({ state: "retrying", attempts: 0, due: true });

    const delivered = await retryNotification(database.db, idOf("SO-SYNC-1"), who);
    expect(delivered).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      message: expect.stringContaining("already delivered"),
    });
    expect((await outboxRow(idOf("SO-SYNC-1")))?.state).toBe("delivered");
    expect(await retryNotification(database.db, randomUUID(), who)).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
    });
  });

  test("retry all dead for a channel touches only that channel's dead letters", async () => {
    await setState("SO-SYNC-2", "dead", sql`, attempts = 5`);
    await setState("SO-SYNC-3", "dead", sql`, attempts = 5`);
    const result = await retryDeadNotifications(database.db, "CH-TEST", who);
    expect(result).toEqual({ ok: true, data: { channelId: "CH-TEST", count: 2 } });
    expect(await outboxRow(idOf("SO-SYNC-2"))).toEqual({ state: "retrying", attempts: 0, due: true });
    expect(await outboxRow(idOf("SO-SYNC-3"))).toEqual({ state: "retrying", attempts: 0, due: true });
    // Another channel's dead letter and a delivered one stay as they were.
    expect((await outboxRow(idOf("SO-SYNC-4")))?.state).toBe("dead");
    expect((await outboxRow(idOf("SO-SYNC-1")))?.state).toBe("delivered");
    const [event] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sync.retry"), eq(auditEvents.target, "channel:CH-TEST")));
    expect(event?.detail).toEqual({ channel: "CH-TEST", state: "dead", count: 2 });

    expect(await retryDeadNotifications(database.db, "CH-TEST", who)).toEqual({
      ok: true,
      data: { channelId: "CH-TEST", count: 0 },
    });
    expect(await retryDeadNotifications(database.db, "CH-NOPE", who)).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
    });
  });
});

describe("connector settings (the settings screen's action)", () => {
  const form = (values: Record<string, unknown>) =>
    connectorSettingsSchema.parse({
      target: "channel",
      id: "CH-TEST",
      connector: "dropship",
      baseUrl: "http://127.0.0.1:4999/",
      timeoutMs: "2500",
      maxAttempts: "1",
      enabled: "on",
      ...values,
    });
  const channelRow = async (id = "CH-TEST") => {
    const [row] = await database.db.select().from(channels).where(eq(channels.id, id));
    if (!row) throw new Error(`no channel ${id}`);
    return row;
  };

  test("the form schema: http(s) URLs only, whole numbers in range, kinds per target, a URL for remote kinds", () => {
    const errorsOf = (values: Record<string, unknown>) => {
      const parsed = connectorSettingsSchema.safeParse({
        target: "channel",
        id: "CH-TEST",
        connector: "dropship",
        baseUrl: "https://api.example.com",
        timeoutMs: "5000",
        maxAttempts: "3",
        ...values,
      });
      return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    };
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ baseUrl: "ftp://files.example.com" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "javascript:alert(1)" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "not a url" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "https://user:pass@api.example.com" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "https://api.example.com/v1?tenant=1" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "https://api.example.com/v1#x" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "" })).toEqual(["baseUrl"]);
    expect(errorsOf({ baseUrl: "", connector: "manual" })).toEqual([]);
    expect(errorsOf({ timeoutMs: "99" })).toEqual(["timeoutMs"]);
    expect(errorsOf({ timeoutMs: "60001" })).toEqual(["timeoutMs"]);
    expect(errorsOf({ timeoutMs: "1.5" })).toEqual(["timeoutMs"]);
    expect(errorsOf({ maxAttempts: "0" })).toEqual(["maxAttempts"]);
    expect(errorsOf({ maxAttempts: "51" })).toEqual(["maxAttempts"]);
    expect(errorsOf({ connector: "wms" })).toEqual(["connector"]);
    expect(errorsOf({ target: "warehouse", connector: "wms" })).toEqual([]);
    expect(errorsOf({ target: "warehouse", connector: "dropship" })).toEqual(["connector"]);
    expect(form({ enabled: undefined }).enabled).toBe(false);
    expect(form({ token: "   " }).token).toBeUndefined();
  });

  test("saving encrypts the typed token, clears a refusal, is audited without secrets, and takes effect at once", async () => {
    await database.db
      .update(channels)
      .set({ credentialsRejectedAt: new Date("2026-11-02T08:00:00Z") })
      .where(eq(channels.id, "CH-TEST"));
    // Warm the connector cache with the old settings.
    expect((await resolveChannelNotifier(database.db, "CH-TEST")).maxAttempts).toBe(5);

    const result = await updateConnectorSettings(database.db, form({ token: TOKEN }), who, key);
    expect(result).toEqual({
      ok: true,
      data: {
        target: "channel",
        id: "CH-TEST",
        name: "Test channel",
        connector: "dropship",
        credentials: "replaced",
      },
    });
    const row = await channelRow();
    expect(row).toMatchObject({
      connector: "dropship",
      baseUrl: "http://127.0.0.1:4999/",
      timeoutMs: 2500,
      maxAttempts: 1,
      enabled: true,
      credentialsRejectedAt: null,
    });
    expect(row.credentialsEncrypted).not.toContain(TOKEN);
    expect(decryptCredentials(row.credentialsEncrypted ?? "", key)).toEqual({ token: TOKEN });
    // The cache was cleared: the dispatcher sees the new limit without waiting.
    expect((await resolveChannelNotifier(database.db, "CH-TEST")).maxAttempts).toBe(1);

    const events = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "settings.connector.updated"));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      target: "channel:CH-TEST",
      actorLabel: "admin@demo.test",
      detail: {
        channel: "CH-TEST",
        credentials: "replaced",
        changes: {
          baseUrl: { from: "http://127.0.0.1:9", to: "http://127.0.0.1:4999/" },
          timeoutMs: { from: 1000, to: 2500 },
          maxAttempts: { from: 5, to: 1 },
        },
      },
    });
    expect(JSON.stringify(events[0])).not.toContain(TOKEN);
    expect(JSON.stringify(events[0])).not.toContain(row.credentialsEncrypted);
  });

  test("a blank credential keeps the stored one; none stored, or a new type, needs one", async () => {
    const before = (await channelRow()).credentialsEncrypted;
    const kept = await updateConnectorSettings(database.db, form({ token: "", maxAttempts: "4" }), who, key);
    expect(kept).toMatchObject({ ok: true, data: { credentials: "kept" } });
    expect((await channelRow()).credentialsEncrypted).toBe(before);
    expect((await channelRow()).maxAttempts).toBe(4);

    // Dropship to commerce: the dropship token does not carry over.
    const switched = await updateConnectorSettings(database.db, form({ connector: "commerce" }), who, key);
    expect(switched).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
      fieldErrors: { token: [expect.stringContaining("new connector type")] },
    });
    expect((await channelRow()).connector).toBe("dropship");

    // Stored credentials that today's key cannot read must be typed again.
    await database.db
      .update(channels)
      .set({ credentialsEncrypted: encryptCredentials({ token: "x" }, encryptionKey("another key")) })
      .where(eq(channels.id, "CH-TEST"));
    expect(await updateConnectorSettings(database.db, form({}), who, key)).toMatchObject({
      ok: false,
      fieldErrors: { token: [expect.stringContaining("cannot be read")] },
    });
    expect(await updateConnectorSettings(database.db, form({ token: TOKEN }), who, key)).toMatchObject({
      ok: true,
    });

    // Another host: the stored token does not follow the address, unless a new one is typed.
    const moved = await updateConnectorSettings(
      database.db,
      form({ baseUrl: "https://elsewhere.example.com/api/" }),
      who,
      key,
    );
    expect(moved).toMatchObject({ ok: true, data: { credentials: "removed" } });
    expect((await channelRow()).credentialsEncrypted).toBeNull();
    const movedBack = await updateConnectorSettings(database.db, form({ token: "new-host-token" }), who, key);
    expect(movedBack).toMatchObject({ ok: true, data: { credentials: "replaced" } });
    expect(decryptCredentials((await channelRow()).credentialsEncrypted ?? "", key)).toEqual({
      token: "new-host-token",
    });
    // Same host, another path: the token stays.
    const samePlace = await updateConnectorSettings(
      database.db,
      form({ baseUrl: "http://127.0.0.1:4999/v2/" }),
      who,
      key,
    );
    expect(samePlace).toMatchObject({ ok: true, data: { credentials: "kept" } });

    // Back to manual: nothing to store, the old token goes.
    const manual = await updateConnectorSettings(
      database.db,
      form({ connector: "manual", baseUrl: "", enabled: undefined }),
      who,
      key,
    );
    expect(manual).toMatchObject({ ok: true, data: { credentials: "removed" } });
    expect(await channelRow()).toMatchObject({
      connector: "manual",
      baseUrl: null,
      credentialsEncrypted: null,
      enabled: false,
    });
  });

  test("a warehouse takes an API key; an unknown id is refused", async () => {
    const warehouse = connectorSettingsSchema.parse({
      target: "warehouse",
      id: "WH-WMS",
      connector: "wms",
      baseUrl: "https://wms.example.com",
      apiKey: "wms-key-5678",
      timeoutMs: "3000",
      maxAttempts: "2",
      enabled: "on",
    });
    expect(await updateConnectorSettings(database.db, warehouse, who, key)).toMatchObject({ ok: true });
    const [row] = await database.db.select().from(warehouses).where(eq(warehouses.id, "WH-WMS"));
    expect(decryptCredentials(row?.credentialsEncrypted ?? "", key)).toEqual({ apiKey: "wms-key-5678" });
    expect(
      await updateConnectorSettings(database.db, { ...warehouse, id: "WH-NOPE" }, who, key),
    ).toMatchObject({ ok: false, code: "INVALID_INPUT" });
  });

  test("the settings list says whether credentials are set, never what they are", async () => {
    const rows = await listConnectorSettings(database.db);
    expect(rows.map((r) => `${r.target}:${r.id}`)).toEqual([
      "channel:CH-OTHER",
      "channel:CH-MANUAL",
      "channel:CH-TEST",
      "warehouse:WH-WMS",
      "warehouse:WH-MANUAL",
    ]);
    expect(rows.find((r) => r.id === "CH-OTHER")).toMatchObject({
      hasCredentials: true,
      connector: "commerce",
    });
    expect(rows.find((r) => r.id === "CH-TEST")).toMatchObject({ hasCredentials: false });
    for (const row of rows) expect(Object.keys(row)).not.toContain("credentialsEncrypted");
    expect(JSON.stringify(rows)).not.toMatch(/v1\.|token|wms-key/);
  });
});
