import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { warehouses } from "@/db/schema";
import { connectorConfigOf } from "@/lib/connectors/config";
import { warehouseGateFor } from "@/lib/connectors/notification";
import type { WarehouseGate } from "@/lib/connectors/types";
import { cachedSetting, invalidateConnectorCache } from "@/lib/server/settings-cache";

export type WarehouseConnection = {
  /** Asks the warehouse once; its answer is the connectors' one answer type. */
  gate: WarehouseGate;
  /** Quick tries a person waiting on screen gets before the cancellation waits for the warehouse. */
  quickTries: number;
};

/**
 * The gate of one warehouse, from its stored settings: the one place the cancellation flow learns
 * how to ask a warehouse. Each call asks once: a call without a definite answer is an unknown
 * outcome that the caller records and asks again later with the same key. A refusal of our
 * credentials flags the warehouse for an admin.
 */
export function resolveWarehouseConnection(db: Db, warehouseId: string): Promise<WarehouseConnection> {
  return cachedSetting(`warehouse:${warehouseId}`, async () => {
    const [row] = await db.select().from(warehouses).where(eq(warehouses.id, warehouseId));
    if (!row) throw new Error(`warehouse ${warehouseId} does not exist`);
    const quickTries = Math.max(1, row.maxAttempts);
    if (row.connector === "manual") return { gate: warehouseGateFor("manual"), quickTries };
    if (!row.enabled) {
      const message = `The connector of warehouse ${row.name} is disabled in Settings`;
      return { gate: async () => ({ kind: "unavailable", message, notSent: true }), quickTries: 1 };
    }
    const ask = warehouseGateFor(row.connector, connectorConfigOf(row));
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
