import { eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, warehouses } from "@/db/schema";
import { DEMO_CREDENTIALS, DEMO_PORTS } from "@/dev/fakes/demo";
import { encryptCredentials, encryptionKey } from "@/lib/connectors/secrets";
import { connectorSecret } from "@/lib/env";

const local = (port: number) => `http://127.0.0.1:${port}`;

/**
 * Points the demo channels and the 3PL warehouse at the local fake servers (started with the
 * app in dev, dev/fakes), with their demo credentials encrypted like real ones.
 * Kept apart from the deterministic seed because encryption is randomised. Only touches rows
 * that have no base URL yet, so an admin's own settings are never overwritten.
 */
export async function configureDemoConnectors(db: Db): Promise<void> {
  const key = encryptionKey(connectorSecret());
  const targets = [
    { table: warehouses, connector: "wms", port: DEMO_PORTS.wms, credentials: DEMO_CREDENTIALS.wms },
    {
      table: channels,
      connector: "dropship",
      port: DEMO_PORTS.dropship,
      credentials: DEMO_CREDENTIALS.dropship,
    },
    {
      table: channels,
      connector: "commerce",
      port: DEMO_PORTS.commerce,
      credentials: DEMO_CREDENTIALS.commerce,
    },
  ] as const;
  for (const target of targets) {
    const rows = await db
      .select({ id: target.table.id, baseUrl: target.table.baseUrl })
      .from(target.table)
      .where(eq(target.table.connector, target.connector));
    const unset = rows.filter((r) => !r.baseUrl).map((r) => r.id);
    if (unset.length === 0) continue;
    await db
      .update(target.table)
      .set({
        baseUrl: local(target.port),
        credentialsEncrypted: encryptCredentials({ ...target.credentials }, key),
        timeoutMs: 3_000,
        maxAttempts: target.table === channels ? 8 : 3,
      })
      .where(inArray(target.table.id, unset));
  }
}
