import "server-only";
import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { channels, warehouses } from "@/db/schema";

export const CONNECTOR_TARGETS = ["channel", "warehouse"] as const;
export type ConnectorTarget = (typeof CONNECTOR_TARGETS)[number];

/**
 * How one channel or warehouse reaches its remote system, as the settings screen shows it. Whether
 * credentials are stored is all it says about them: neither the values nor their ciphertext leave
 * the server.
 */
export type ConnectorSettingsRow = {
  target: ConnectorTarget;
  id: string;
  name: string;
  connector: string;
  baseUrl: string | null;
  hasCredentials: boolean;
  timeoutMs: number;
  maxAttempts: number;
  enabled: boolean;
  credentialsRejectedAt: Date | null;
  updatedAt: Date;
};

/** Every channel, then every warehouse, each by name. */
export async function listConnectorSettings(db: DbOrTx): Promise<ConnectorSettingsRow[]> {
  const columnsOf = (table: typeof channels | typeof warehouses) => ({
    id: table.id,
    name: table.name,
    connector: table.connector,
    baseUrl: table.baseUrl,
    hasCredentials: sql<boolean>`${table.credentialsEncrypted} IS NOT NULL`,
    timeoutMs: table.timeoutMs,
    maxAttempts: table.maxAttempts,
    enabled: table.enabled,
    credentialsRejectedAt: table.credentialsRejectedAt,
    updatedAt: table.updatedAt,
  });
  const [channelRows, warehouseRows] = await Promise.all([
    db.select(columnsOf(channels)).from(channels).orderBy(asc(channels.name)),
    db.select(columnsOf(warehouses)).from(warehouses).orderBy(asc(warehouses.name)),
  ]);
  return [
    ...channelRows.map((r) => ({ ...r, target: "channel" as const })),
    ...warehouseRows.map((r) => ({ ...r, target: "warehouse" as const })),
  ];
}
