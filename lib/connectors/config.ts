import { connectorSecret } from "@/lib/env";
import { decryptCredentials, encryptionKey } from "./secrets";
import type { ConnectorConfig } from "./types";

/** A stored connector row as a connector's configuration: its credentials decrypted. */
export function connectorConfigOf(row: {
  baseUrl: string | null;
  credentialsEncrypted: string | null;
  timeoutMs: number;
}): ConnectorConfig {
  const credentials = row.credentialsEncrypted
    ? decryptCredentials(row.credentialsEncrypted, encryptionKey(connectorSecret()))
    : {};
  return { baseUrl: row.baseUrl ?? "", credentials, timeoutMs: row.timeoutMs };
}
