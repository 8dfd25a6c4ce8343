import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, warehouses } from "@/db/schema";
import type { WarehouseGate } from "@/lib/cancellation/service/warehouse-gate";
import { connectorSecret } from "@/lib/env";
import { type ChannelNotifier, channelNotifierFor, warehouseGateFor } from "./notification";
import { decryptCredentials, encryptionKey } from "./secrets";
import type { ConnectorConfig } from "./types";

// Settings change rarely and bulk runs ask per row: a few seconds of caching saves a query
// per row; a settings change clears this process's cache at once.
const CACHE_MS = 5_000;
// On globalThis: Next may load this module once for server actions and once for the
// background work, and a settings change must clear the cache both use.
const globalForCache = globalThis as unknown as {
  __omsConnectorCache?: Map<string, { at: number; value: unknown }>;
};
globalForCache.__omsConnectorCache ??= new Map();
const cache = globalForCache.__omsConnectorCache;

export function invalidateConnectorCache(): void {
  cache.clear();
}

async function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as T;
  const value = await load();
  cache.set(key, { at: Date.now(), value });
  return value;
}

function configOf(row: {
  baseUrl: string | null;
  credentialsEncrypted: string | null;
  timeoutMs: number;
}): ConnectorConfig {
  const credentials = row.credentialsEncrypted
    ? decryptCredentials(row.credentialsEncrypted, encryptionKey(connectorSecret()))
    : {};
  return { baseUrl: row.baseUrl ?? "", credentials, timeoutMs: row.timeoutMs };
}

export type WarehouseConnection = {
  /** Asks the warehouse once. */
  gate: WarehouseGate;
  /** Quick tries a person waiting on screen gets before the cancellation waits for the warehouse. */
  quickTries: number;
};

/**
 * The gate of one warehouse. Each call asks once: a call without a definite answer is an unknown
 * outcome that the caller records and asks again later with the same key. A refusal of our
 * credentials flags the warehouse for an admin.
 */
export function resolveWarehouseConnection(db: Db, warehouseId: string): Promise<WarehouseConnection> {
  return cached(`warehouse:${warehouseId}`, async () => {
    const [row] = await db.select().from(warehouses).where(eq(warehouses.id, warehouseId));
    if (!row) throw new Error(`warehouse ${warehouseId} does not exist`);
    const quickTries = Math.max(1, row.maxAttempts);
    if (row.connector === "manual") return { gate: warehouseGateFor("manual"), quickTries };
    if (!row.enabled) {
      const message = `The connector of warehouse ${row.name} is disabled in Settings`;
      return { gate: async () => ({ kind: "unavailable", message }), quickTries: 1 };
    }
    const ask = warehouseGateFor(row.connector, configOf(row));
    const gate: WarehouseGate = async (request) => {
      const answer = await ask(request);
      if (answer.kind === "rejected" && answer.credentialsProblem) {
        await db
          .update(warehouses)
          .set({ credentialsRejectedAt: new Date() })
          .where(eq(warehouses.id, warehouseId));
        invalidateConnectorCache();
      }
      return answer;
    };
    return { gate, quickTries };
  });
}

export type ChannelDelivery = {
  notifier: ChannelNotifier;
  maxAttempts: number;
  enabled: boolean;
  name: string;
};

/** How to tell one channel about a cancellation. Retries are the outbox's business, not this. */
export function resolveChannelNotifier(db: Db, channelId: string): Promise<ChannelDelivery> {
  return cached(`channel:${channelId}`, async () => {
    const [row] = await db.select().from(channels).where(eq(channels.id, channelId));
    if (!row) throw new Error(`channel ${channelId} does not exist`);
    const notifier =
      row.connector === "manual"
        ? channelNotifierFor("manual")
        : channelNotifierFor(row.connector, configOf(row));
    return { notifier, maxAttempts: row.maxAttempts, enabled: row.enabled, name: row.name };
  });
}
