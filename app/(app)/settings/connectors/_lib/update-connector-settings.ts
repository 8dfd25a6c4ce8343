import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { channels, warehouses } from "@/db/schema";
import { type ActionResult, failure, success } from "@/lib/action-result";
import { type AuditActor, recordAuditEvent } from "@/lib/audit/record-audit-event";
import {
  type Credentials,
  decryptCredentials,
  encryptCredentials,
  encryptionKey,
} from "@/lib/connectors/secrets";
import { connectorSecret } from "@/lib/env";
import { invalidateConnectorCache } from "@/lib/server/settings-cache";
import { CREDENTIAL_FIELDS } from "./connector-fields";
import { originOf } from "./connector-origin";
import type { ConnectorSettingsInput } from "./connector-settings-schema";

export type ConnectorSettingsSaved = {
  target: ConnectorSettingsInput["target"];
  id: string;
  name: string;
  connector: string;
  /** What happened to the stored credentials (never their values). */
  credentials: "kept" | "replaced" | "removed" | "none";
};

type StoredRow = {
  name: string;
  connector: string;
  baseUrl: string | null;
  credentialsEncrypted: string | null;
  timeoutMs: number;
  maxAttempts: number;
  enabled: boolean;
};

async function lockRow(tx: Tx, input: ConnectorSettingsInput): Promise<StoredRow | undefined> {
  const table = input.target === "channel" ? channels : warehouses;
  const [row] = await tx
    .select({
      name: table.name,
      connector: table.connector,
      baseUrl: table.baseUrl,
      credentialsEncrypted: table.credentialsEncrypted,
      timeoutMs: table.timeoutMs,
      maxAttempts: table.maxAttempts,
      enabled: table.enabled,
    })
    .from(table)
    .where(eq(table.id, input.id))
    .for("update");
  return row;
}

async function writeRow(
  tx: Tx,
  input: ConnectorSettingsInput,
  values: { baseUrl: string | null; credentialsEncrypted: string | null },
): Promise<void> {
  const common = {
    ...values,
    timeoutMs: input.timeoutMs,
    maxAttempts: input.maxAttempts,
    enabled: input.enabled,
    // A settings change is the admin's answer to a refusal: the flag goes until the remote refuses again.
    credentialsRejectedAt: null,
    updatedAt: new Date(),
  };
  if (input.target === "channel") {
    await tx
      .update(channels)
      .set({ ...common, connector: input.connector })
      .where(eq(channels.id, input.id));
  } else {
    await tx
      .update(warehouses)
      .set({ ...common, connector: input.connector })
      .where(eq(warehouses.id, input.id));
  }
}

/**
 * Saves the connector settings of one channel or warehouse (Settings > Connectors). Credentials are
 * write-only: a blank field keeps the stored ones, a typed one replaces them, encrypted at rest.
 * Changing the connector type drops the old type's credentials, and so does moving the base URL to
 * another origin unless new ones are entered in the same save: a key never silently follows the
 * address to a different host. The change and its audit event (which names what changed,
 * never a secret) commit together; then this process's connector cache is cleared.
 */
export async function updateConnectorSettings(
  db: Db,
  input: ConnectorSettingsInput,
  who: { actor: AuditActor; sourceIp: string | null },
  key: Buffer = encryptionKey(connectorSecret()),
): Promise<ActionResult<ConnectorSettingsSaved>> {
  const result = await db.transaction(async (tx): Promise<ActionResult<ConnectorSettingsSaved>> => {
    const row = await lockRow(tx, input);
    if (!row)
      return failure("INVALID_INPUT", { problem: `There is no ${input.target} with the id ${input.id}.` });

    const kindChanged = row.connector !== input.connector;
    // Credentials belong to the host they were entered for: they never follow the address elsewhere.
    const hostChanged = originOf(row.baseUrl) !== originOf(input.baseUrl ?? null);
    const field = CREDENTIAL_FIELDS[input.connector];
    const typed = field ? input[field.name] : undefined;

    let credentialsEncrypted: string | null;
    let credentials: ConnectorSettingsSaved["credentials"];
    if (!field) {
      credentialsEncrypted = kindChanged ? null : row.credentialsEncrypted;
      credentials = credentialsEncrypted === null ? (row.credentialsEncrypted ? "removed" : "none") : "kept";
    } else if (typed !== undefined) {
      let stored: Credentials = {};
      if (!kindChanged && !hostChanged && row.credentialsEncrypted) {
        try {
          stored = decryptCredentials(row.credentialsEncrypted, key);
        } catch {
          // Unreadable with today's key: the typed value replaces it.
        }
      }
      credentialsEncrypted = encryptCredentials({ ...stored, [field.name]: typed }, key);
      credentials = "replaced";
    } else if (hostChanged && !kindChanged) {
      credentialsEncrypted = null;
      credentials = row.credentialsEncrypted ? "removed" : "none";
    } else {
      const problem = kindChanged
        ? `Enter the ${field.label} for the new connector type.`
        : storedProblem(row.credentialsEncrypted, field.name, field.label, key);
      if (problem) {
        return {
          ok: false,
          code: "INVALID_INPUT",
          message: problem,
          fieldErrors: { [field.name]: [problem] },
        };
      }
      credentialsEncrypted = row.credentialsEncrypted;
      credentials = "kept";
    }

    const baseUrl = input.baseUrl ?? null;
    await writeRow(tx, input, { baseUrl, credentialsEncrypted });

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const compare = (name: string, from: unknown, to: unknown) => {
      if (from !== to) changes[name] = { from, to };
    };
    compare("connector", row.connector, input.connector);
    compare("baseUrl", row.baseUrl, baseUrl);
    compare("timeoutMs", row.timeoutMs, input.timeoutMs);
    compare("maxAttempts", row.maxAttempts, input.maxAttempts);
    compare("enabled", row.enabled, input.enabled);
    await recordAuditEvent(
      {
        actor: who.actor,
        action: "settings.connector.updated",
        target: `${input.target}:${input.id}`,
        outcome: "success",
        sourceIp: who.sourceIp,
        detail: { [input.target]: input.id, name: row.name, changes, credentials },
      },
      tx,
    );
    return success({
      target: input.target,
      id: input.id,
      name: row.name,
      connector: input.connector,
      credentials,
    });
  });
  if (result.ok) invalidateConnectorCache();
  return result;
}

/** Why the stored credentials cannot be kept, or null when they hold the field. */
function storedProblem(stored: string | null, name: string, label: string, key: Buffer): string | null {
  if (!stored) return `Enter the ${label}: none is stored yet.`;
  try {
    const credentials = decryptCredentials(stored, key);
    return credentials[name] ? null : `Enter the ${label}: none is stored yet.`;
  } catch {
    return `The stored ${label} cannot be read with the current encryption key: enter it again.`;
  }
}
