import "server-only";
import type { Tx } from "@/db/client";
import type { AuditAction, AuditOutcome } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { BatchCreator } from "./types";

/** Who did something to a batch, as the trail shows it: their label and address. */
export type BatchAudit = { label: string; sourceIp: string | null };

/**
 * One event about a batch, in the transaction that changes it (so it commits or rolls back with
 * the change). Nothing is written when the caller has no trail to keep (tests, the system).
 */
export async function auditBatch(
  tx: Tx,
  audit: BatchAudit | undefined,
  event: {
    actor: Pick<BatchCreator, "type" | "id">;
    action: AuditAction;
    batchId: string;
    outcome: AuditOutcome;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  if (!audit) return;
  await recordAuditEvent(
    {
      actor: { type: event.actor.type, id: event.actor.id, label: audit.label },
      action: event.action,
      target: event.batchId,
      outcome: event.outcome,
      sourceIp: audit.sourceIp,
      detail: event.detail,
    },
    tx,
  );
}
