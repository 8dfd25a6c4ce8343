import {
  CHANNEL_CONNECTOR_KINDS,
  type ChannelConnectorKind,
  WAREHOUSE_CONNECTOR_KINDS,
  type WarehouseConnectorKind,
} from "@/lib/connectors/types";

/**
 * What the connector settings form offers, per kind of connector. Plain data, used by the form in
 * the browser and by the schema on the server, so both agree on names and limits.
 */

export type ConnectorKind = ChannelConnectorKind | WarehouseConnectorKind;

export const CONNECTOR_KINDS_BY_TARGET = {
  channel: CHANNEL_CONNECTOR_KINDS,
  warehouse: WAREHOUSE_CONNECTOR_KINDS,
} as const;

export const CONNECTOR_LABELS: Record<ConnectorKind, string> = {
  manual: "Manual (no API)",
  wms: "3PL WMS API",
  dropship: "Dropship API",
  commerce: "Commerce platform API",
};

export type CredentialField = { name: "apiKey" | "token"; label: string };

/** The one secret each remote contract needs (none for manual): how lib/connectors reads it. */
export const CREDENTIAL_FIELDS: Record<ConnectorKind, CredentialField | null> = {
  manual: null,
  wms: { name: "apiKey", label: "API key" },
  dropship: { name: "token", label: "API token" },
  commerce: { name: "token", label: "API token" },
};

export const TIMEOUT_MS_RANGE = { min: 100, max: 60_000 } as const;
export const MAX_ATTEMPTS_RANGE = { min: 1, max: 50 } as const;
