import "server-only";
import type { Tx } from "@/db/client";
import { type AuditActor, recordAuditEvent } from "@/lib/audit/record-audit-event";

/** Who changes a setting, as the audit trail names them. */
export type SettingsChangeBy = { actor: AuditActor; sourceIp: string | null };

/** `{ field: { from, to } }` of the fields whose value changed. */
export function changedFields(
  pairs: Record<string, readonly [from: unknown, to: unknown]>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [name, [from, to]] of Object.entries(pairs)) if (from !== to) changes[name] = { from, to };
  return changes;
}

/**
 * One `settings.update` event in the transaction that makes the change (so both commit or neither
 * does). `detail.setting` says which kind of setting; it never holds a secret.
 */
export async function auditSettingsChange(
  tx: Tx,
  by: SettingsChangeBy,
  event: { target: string; setting: string; detail: Record<string, unknown> },
): Promise<void> {
  await recordAuditEvent(
    {
      actor: by.actor,
      action: "settings.update",
      target: event.target,
      outcome: "success",
      sourceIp: by.sourceIp,
      detail: { setting: event.setting, ...event.detail },
    },
    tx,
  );
}
