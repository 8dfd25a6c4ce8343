import type { ConnectorAnswer, WarehouseGate } from "../types";

/**
 * The `manual` connector: no remote. A warehouse without an API keeps its truth in our database,
 * and a channel without one is told by people reading the panel, so both agree at once.
 */
export async function manualAnswer(): Promise<ConnectorAnswer> {
  return { kind: "accepted" };
}

export const manualGate: WarehouseGate = async () => ({ kind: "accepted" });
