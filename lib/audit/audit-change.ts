import "server-only";
import type { Tx } from "@/db/client";
import type { AuditAction, AuditActorType, AuditOutcome } from "@/db/schema";
import { recordAuditEvent } from "./record-audit-event";

/** Who made a change, as the trail shows them: their label and address. */
export type ChangeAudit = { label: string; sourceIp: string | null };

/**
 * One event about a change, in the transaction that makes it (so it commits or rolls back with
 * the change). Nothing is written when the caller has no trail to keep (tests, the system).
 */
export async function auditChange(
  tx: Tx,
  audit: ChangeAudit | undefined,
  event: {
    actor: { type: AuditActorType; id: string };
    action: AuditAction;
    target: string;
    outcome: AuditOutcome;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  if (!audit) return;
  await recordAuditEvent(
    {
      actor: { type: event.actor.type, id: event.actor.id, label: audit.label },
      action: event.action,
      target: event.target,
      outcome: event.outcome,
      sourceIp: audit.sourceIp,
      detail: event.detail,
    },
    tx,
  );
}
