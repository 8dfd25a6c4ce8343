import "server-only";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type DatabaseHandle, type DbOrTx, MIGRATIONS_FOLDER } from "@/db/client";
import {
  type CHANNEL_CONNECTORS,
  HEARTBEAT_NAMES,
  type HeartbeatName,
  OUTBOX_STATES,
  type WAREHOUSE_CONNECTORS,
  WEBHOOK_STATES,
} from "@/db/schema";

export type DatabaseDriver = DatabaseHandle["driver"];

/** The committed migrations (db/migrations/meta/_journal.json) against drizzle's record of applied ones. */
export type MigrationStatus = {
  /** Migrations drizzle has recorded as applied in this database. */
  applied: number;
  /** Migrations this code ships. */
  known: number;
  /**
   * The newest applied migration: its tag (null when this code does not know it: the database was
   * migrated by a newer version) and when it was written (drizzle records no time of applying).
   */
  latest: { tag: string | null; createdAt: Date } | null;
  /** Tags of the shipped migrations not applied yet, oldest first. */
  pending: string[];
  upToDate: boolean;
};

export type Heartbeat = {
  name: HeartbeatName;
  /** null: no process has recorded this loop yet. */
  at: Date | null;
  detail: Record<string, string | number>;
};

export type OutboxCounts = Record<(typeof OUTBOX_STATES)[number], number>;
export type WebhookCounts = Record<(typeof WEBHOOK_STATES)[number], number>;

/** One channel's outbox: cancellation notifications and request-decision webhooks, by state. */
export type ChannelOutbox = {
  channelId: string;
  channelName: string;
  notifications: OutboxCounts;
  webhooks: WebhookCounts;
};

/** What a remote system's calls last did, as far as the tables record it. */
export type CallRecord = {
  /** The last call the remote accepted (a notification or webhook delivered, a cancellation confirmed). */
  lastSuccessAt: Date | null;
  /**
   * The newest error still recorded, and when that row was last tried. Errors are kept only on work
   * not yet done: a notification that is delivered in the end clears its error.
   */
  lastErrorAt: Date | null;
  lastError: string | null;
};

export type ConnectorHealth = CallRecord & {
  target: "channel" | "warehouse";
  id: string;
  name: string;
  connector: (typeof CHANNEL_CONNECTORS)[number] | (typeof WAREHOUSE_CONNECTORS)[number];
  enabled: boolean;
  /** When the remote last refused our credentials (cleared by a settings change). */
  credentialsRejectedAt: Date | null;
  /** A channel's request-decision webhooks (null: it has no webhook URL and polls). */
  webhooks: CallRecord | null;
  /**
   * A warehouse's cancellations still waiting for its answer (always 0 for a channel). A manual
   * warehouse is never asked: it has no calls to report.
   */
  waiting: number;
};

/** Settings → System: everything an admin checks before asking for a shell. */
export type SystemHealth = {
  checkedAt: Date;
  driver: DatabaseDriver;
  migrations: MigrationStatus;
  heartbeats: Heartbeat[];
  outbox: ChannelOutbox[];
  connectors: ConnectorHealth[];
};

type JournalEntry = { idx: number; when: number; tag: string };

function readJournal(): JournalEntry[] {
  const file = path.join(MIGRATIONS_FOLDER, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(file, "utf8")) as { entries: JournalEntry[] };
  return [...journal.entries].sort((a, b) => a.when - b.when);
}

const toDate = (value: Date | string | null | undefined): Date | null =>
  value === null || value === undefined ? null : new Date(value);

/**
 * Compares drizzle's `drizzle.__drizzle_migrations` with the journal the way drizzle's migrator does:
 * a shipped migration is pending when it is newer than the newest applied one.
 */
export async function getMigrationStatus(db: DbOrTx): Promise<MigrationStatus> {
  const journal = readJournal();
  const exists = await db.execute<{ present: boolean }>(
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present`,
  );
  let applied = 0;
  let latest: MigrationStatus["latest"] = null;
  let latestMillis = Number.NEGATIVE_INFINITY;
  if (exists.rows[0]?.present) {
    const rows = await db.execute<{ n: number; created_at: string | number | null }>(sql`
      SELECT count(*)::int AS n, max(created_at)::text AS created_at FROM drizzle.__drizzle_migrations`);
    const row = rows.rows[0];
    applied = row?.n ?? 0;
    if (row?.created_at !== null && row?.created_at !== undefined) {
      latestMillis = Number(row.created_at);
      latest = {
        tag: journal.find((entry) => entry.when === latestMillis)?.tag ?? null,
        createdAt: new Date(latestMillis),
      };
    }
  }
  const pending = journal.filter((entry) => entry.when > latestMillis).map((entry) => entry.tag);
  return { applied, known: journal.length, latest, pending, upToDate: pending.length === 0 };
}

async function listHeartbeats(db: DbOrTx): Promise<Heartbeat[]> {
  const rows = await db.execute<{
    name: HeartbeatName;
    at: Date | string;
    detail: Record<string, string | number>;
  }>(sql`SELECT name, at, detail FROM worker_heartbeats`);
  const byName = new Map(rows.rows.map((r) => [r.name, r]));
  return HEARTBEAT_NAMES.map((name) => {
    const row = byName.get(name);
    return { name, at: toDate(row?.at), detail: row?.detail ?? {} };
  });
}

const zeroCounts = <S extends string>(states: readonly S[]) =>
  Object.fromEntries(states.map((s) => [s, 0])) as Record<S, number>;

type CallRow = {
  id: string;
  success_at: Date | string | null;
  error_at: Date | string | null;
  error: string | null;
};

function callRecordOf(row: CallRow | undefined): CallRecord {
  return {
    lastSuccessAt: toDate(row?.success_at),
    lastErrorAt: toDate(row?.error_at),
    lastError: row?.error ?? null,
  };
}

/**
 * Per remote: the newest success and the newest error still on record, from one outbox-shaped table
 * (channel_notifications or webhook_deliveries).
 */
async function channelCalls(db: DbOrTx, table: "channel_notifications" | "webhook_deliveries") {
  const name = sql.identifier(table);
  const rows = await db.execute<CallRow>(sql`
    SELECT c.id,
           (SELECT max(t.delivered_at) FROM ${name} t WHERE t.channel_id = c.id AND t.state = 'delivered') AS success_at,
           e.updated_at AS error_at, e.last_error AS error
      FROM channels c
      LEFT JOIN LATERAL (SELECT t.updated_at, t.last_error FROM ${name} t
                          WHERE t.channel_id = c.id AND t.last_error IS NOT NULL
                          ORDER BY t.updated_at DESC LIMIT 1) e ON true`);
  return new Map(rows.rows.map((r) => [r.id, r]));
}

/** A warehouse's WMS: the newest confirmed cancellation, the newest unanswered ask, the asks waiting. */
async function warehouseCalls(db: DbOrTx) {
  const rows = await db.execute<CallRow & { waiting: number }>(sql`
    SELECT w.id,
           (SELECT max(c.resolved_at) FROM cancellations c JOIN sub_orders so ON so.id = c.sub_order_id
             WHERE so.warehouse_id = w.id AND c.status = 'CONFIRMED') AS success_at,
           e.updated_at AS error_at, e.last_ask_error AS error,
           (SELECT count(*)::int FROM cancellations c JOIN sub_orders so ON so.id = c.sub_order_id
             WHERE so.warehouse_id = w.id AND c.status = 'PENDING') AS waiting
      FROM warehouses w
      LEFT JOIN LATERAL (SELECT c.updated_at, c.last_ask_error FROM cancellations c
                           JOIN sub_orders so ON so.id = c.sub_order_id
                          WHERE so.warehouse_id = w.id AND c.last_ask_error IS NOT NULL
                          ORDER BY c.updated_at DESC LIMIT 1) e ON true
     WHERE w.connector <> 'manual'`);
  return new Map(rows.rows.map((r) => [r.id, r]));
}

/**
 * The system's state in one read: the database driver, the migration version, the background loops'
 * heartbeats, each channel's outbox by state, and what each connector's calls last did. Reads only;
 * counts and timestamps come from the tables as they are, nothing is estimated.
 */
export async function getSystemHealth(
  db: DbOrTx,
  driver: DatabaseDriver,
  now: Date = new Date(),
): Promise<SystemHealth> {
  // One statement at a time: PGlite has a single connection, and a transaction may be passed in.
  const migrations = await getMigrationStatus(db);
  const heartbeats = await listHeartbeats(db);
  const channelRows = await db.execute<{
    id: string;
    name: string;
    connector: (typeof CHANNEL_CONNECTORS)[number];
    enabled: boolean;
    credentials_rejected_at: Date | string | null;
    webhook_url: string | null;
  }>(
    sql`SELECT id, name, connector, enabled, credentials_rejected_at, webhook_url FROM channels ORDER BY name, id`,
  );
  const warehouseRows = await db.execute<{
    id: string;
    name: string;
    connector: (typeof WAREHOUSE_CONNECTORS)[number];
    enabled: boolean;
    credentials_rejected_at: Date | string | null;
  }>(sql`SELECT id, name, connector, enabled, credentials_rejected_at FROM warehouses ORDER BY name, id`);
  const notificationCounts = await db.execute<{ channel_id: string; state: string; n: number }>(sql`
    SELECT channel_id, state, count(*)::int AS n FROM channel_notifications GROUP BY channel_id, state`);
  const webhookCounts = await db.execute<{ channel_id: string; state: string; n: number }>(sql`
    SELECT channel_id, state, count(*)::int AS n FROM webhook_deliveries GROUP BY channel_id, state`);
  const notificationCalls = await channelCalls(db, "channel_notifications");
  const webhookCalls = await channelCalls(db, "webhook_deliveries");
  const wmsCalls = await warehouseCalls(db);

  const outbox = new Map<string, ChannelOutbox>(
    channelRows.rows.map((c) => [
      c.id,
      {
        channelId: c.id,
        channelName: c.name,
        notifications: zeroCounts(OUTBOX_STATES),
        webhooks: zeroCounts(WEBHOOK_STATES),
      },
    ]),
  );
  for (const r of notificationCounts.rows) {
    const entry = outbox.get(r.channel_id);
    if (entry && r.state in entry.notifications) entry.notifications[r.state as keyof OutboxCounts] = r.n;
  }
  for (const r of webhookCounts.rows) {
    const entry = outbox.get(r.channel_id);
    if (entry && r.state in entry.webhooks) entry.webhooks[r.state as keyof WebhookCounts] = r.n;
  }

  const connectors: ConnectorHealth[] = [
    ...channelRows.rows.map((c) => ({
      target: "channel" as const,
      id: c.id,
      name: c.name,
      connector: c.connector,
      enabled: c.enabled,
      credentialsRejectedAt: toDate(c.credentials_rejected_at),
      ...callRecordOf(notificationCalls.get(c.id)),
      webhooks: c.webhook_url ? callRecordOf(webhookCalls.get(c.id)) : null,
      waiting: 0,
    })),
    ...warehouseRows.rows.map((w) => {
      const calls = wmsCalls.get(w.id);
      return {
        target: "warehouse" as const,
        id: w.id,
        name: w.name,
        connector: w.connector,
        enabled: w.enabled,
        credentialsRejectedAt: toDate(w.credentials_rejected_at),
        ...callRecordOf(calls),
        webhooks: null,
        waiting: calls?.waiting ?? 0,
      };
    }),
  ];

  return { checkedAt: now, driver, migrations, heartbeats, outbox: [...outbox.values()], connectors };
}

/**
 * The snapshot as `/api/health` answers it to anyone: counts, timestamps, the driver and the
 * migration state. No error texts (they may quote a remote's answer or an order), no URLs, no names.
 */
export function publicHealthOf(health: SystemHealth) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    checkedAt: health.checkedAt.toISOString(),
    migrations: {
      upToDate: health.migrations.upToDate,
      applied: health.migrations.applied,
      known: health.migrations.known,
      latest: health.migrations.latest?.tag ?? null,
      pending: health.migrations.pending,
    },
    heartbeats: Object.fromEntries(health.heartbeats.map((h) => [h.name, iso(h.at)])) as Record<
      HeartbeatName,
      string | null
    >,
    outbox: health.outbox.map((o) => ({
      channelId: o.channelId,
      notifications: o.notifications,
      webhooks: o.webhooks,
    })),
    connectors: health.connectors.map((c) => ({
      target: c.target,
      id: c.id,
      enabled: c.enabled,
      lastSuccessAt: iso(c.lastSuccessAt),
      lastErrorAt: iso(c.lastErrorAt),
      credentialsRejectedAt: iso(c.credentialsRejectedAt),
      ...(c.target === "warehouse" ? { waiting: c.waiting } : {}),
    })),
  };
}

export type PublicHealth = ReturnType<typeof publicHealthOf>;
