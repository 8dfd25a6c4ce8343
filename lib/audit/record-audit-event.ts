import "server-only";
import { type DbOrTx, getDb } from "@/db/client";
import { type AuditAction, type AuditActorType, type AuditOutcome, auditEvents } from "@/db/schema";

export type AuditActor = {
  type: AuditActorType;
  /** User id or API key id; null for an anonymous visitor. */
  id: string | null;
  /** What a person reads in the log: an email, a key's name, "system". */
  label: string;
};

export type AuditEventInput = {
  actor: AuditActor;
  action: AuditAction;
  outcome: AuditOutcome;
  /** What was acted on: a sub-order id, a batch id, an API key id, a setting's name. */
  target?: string | null;
  sourceIp?: string | null;
  /** Error code and message, permission, counts: small, JSON-serialisable, no secrets. */
  detail?: Record<string, unknown> | null;
};

const MAX_LABEL = 320;
const MAX_TARGET = 200;

/**
 * Appends one event to the audit trail (the table refuses updates and deletes). Pass the
 * transaction when the event must commit or roll back with the change it describes. It throws when
 * the row cannot be written: an action that must be audited should not succeed silently unaudited.
 */
export async function recordAuditEvent(event: AuditEventInput, db: DbOrTx = getDb()): Promise<void> {
  await db.insert(auditEvents).values({
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorLabel: event.actor.label.slice(0, MAX_LABEL),
    sourceIp: event.sourceIp ?? null,
    action: event.action,
    target: event.target?.slice(0, MAX_TARGET) ?? null,
    outcome: event.outcome,
    detail: event.detail ?? null,
  });
}

export const SYSTEM_AUDIT_ACTOR: AuditActor = { type: "system", id: "system", label: "system" };

/** The audit actor for a signed-in user or an API key, from what `authorize` / API auth return. */
export function auditActorOf(actor: {
  type: "user" | "api_key" | "system";
  id: string;
  name: string;
  email?: string;
}): AuditActor {
  return { type: actor.type, id: actor.id, label: actor.email ?? actor.name };
}
