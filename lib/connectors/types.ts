/**
 * What every connector answers, whatever the remote's contract (DESIGN.md "Downstream systems").
 *
 * - accepted: the remote agreed. (What a channel's answer teaches us beyond that, such as the
 *   dropship API's new item id after a partial cancel, travels in ChannelDeliveryAnswer.progress.)
 * - rejected: permanent; retrying the same request will not help. `message` is the remote's own
 *   words where it gave any. `credentialsProblem` marks 401/403-style answers: the request was
 *   fine but our key/token is not, so an operator must fix the configuration.
 * - unavailable: transient (5xx, timeout, connection refused/reset, unreadable 5xx body);
 *   the caller keeps the work pending and retries later with the same idempotency key.
 *   `notSent` marks the cases known never to have reached the remote (connection refused, name
 *   not found, the connector switched off): nothing can have happened there.
 */
export type ConnectorAnswer =
  | { kind: "accepted" }
  | { kind: "rejected"; code: string; message: string; credentialsProblem?: boolean }
  | { kind: "unavailable"; message: string; notSent?: true };

/** Where a remote lives and how to authenticate with it. Credentials never appear in messages. */
export type ConnectorConfig = {
  baseUrl: string;
  credentials: Record<string, string>;
  timeoutMs: number;
  /** Reach loopback, private and link-local addresses too; unset: CONNECTOR_ALLOW_PRIVATE_NETWORKS. */
  allowPrivateNetworks?: boolean;
};

export const DEFAULT_TIMEOUT_MS = 5000;

/** What a warehouse is asked before units are cancelled, whatever its API. */
export type WarehouseCancelRequest = {
  /** The ledger entry id: the warehouse sees the same key however often we ask. */
  idempotencyKey: string;
  subOrderId: string;
  warehouseExternalId: string | null;
  reasonCode: string;
  /** The reason as a person reads it (its label): what a WMS's free-text `cancel_reason` gets. */
  reasonText: string;
  lines: { sku: string; quantity: number }[];
  /**
   * True when only some line items (or units) of the sub-order are cancelled. A WMS whose API
   * cancels whole sales orders only refuses such requests (lib/connectors/wms).
   */
  partial?: boolean;
};

/** A warehouse's cancel API: one request, one answer (accepted / rejected / unavailable). */
export type WarehouseGate = (request: WarehouseCancelRequest) => Promise<ConnectorAnswer>;

export const CHANNEL_CONNECTOR_KINDS = ["manual", "dropship", "commerce"] as const;
export type ChannelConnectorKind = (typeof CHANNEL_CONNECTOR_KINDS)[number];

export const WAREHOUSE_CONNECTOR_KINDS = ["manual", "wms"] as const;
export type WarehouseConnectorKind = (typeof WAREHOUSE_CONNECTOR_KINDS)[number];

/**
 * Whether a warehouse connector's API cancels whole orders only: the WMS contract cancels a sales
 * order and has no partial form, so the rules refuse a partial cancellation there before reserving.
 */
export function cancelsWholeOrdersOnly(connector: string): boolean {
  return connector === "wms";
}
