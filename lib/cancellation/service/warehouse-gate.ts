import "server-only";

/** What the warehouse is asked before units are cancelled. */
export type GateRequest = {
  /** The ledger entry id: the warehouse sees the same key however often we ask. */
  idempotencyKey: string;
  subOrderId: string;
  warehouseExternalId: string | null;
  reasonCode: string;
  lines: { sku: string; quantity: number }[];
  /**
   * True when only some line items (or units) of the sub-order are cancelled. A WMS whose API
   * cancels whole sales orders only refuses such requests (lib/connectors/wms).
   */
  partial?: boolean;
};

export type GateAnswer =
  | { kind: "accepted" }
  | { kind: "rejected"; message: string; credentialsProblem?: boolean }
  | { kind: "unavailable"; message: string };

export type WarehouseGate = (request: GateRequest) => Promise<GateAnswer>;

/** A warehouse with no API: our database is the warehouse's truth, so it always agrees. */
export const manualGate: WarehouseGate = async () => ({ kind: "accepted" });
