/**
 * The audit trail: who did what, when, from where, and how it ended. Append-only: a trigger in
 * the migrations refuses UPDATE and DELETE, so a row is written once and never changes (which is
 * why it has `at` and no `updated_at`).
 */
import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const AUDIT_ACTOR_TYPES = ["user", "api_key", "system", "anonymous"] as const;
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;

/**
 * The actions the app records. `access` is a refused permission check on a screen or action that
 * names no more specific action.
 */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_out",
  "cancellation.cancel",
  "cancellation.resolve",
  "batch.create",
  "batch.start",
  "batch.update",
  "batch.retry",
  "settings.update",
  "settings.connector.updated",
  "sync.retry",
  "api_key.create",
  "api_key.revoke",
  "user.create",
  "user.invite",
  "user.role_change",
  "user.disable",
  "user.enable",
  "user.password_reset",
  "user.password_set",
  "order.upsert",
  "warehouse.event",
  "cancel_request.create",
  "cancel_request.approve",
  "cancel_request.reject",
  "order_exception.update",
  "access",
] as const;

export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorType: text({ enum: AUDIT_ACTOR_TYPES }).notNull(),
    /** The user id or API key id; null for an anonymous visitor (a failed sign-in). */
    actorId: text(),
    /** What a person reads: the email of a user, the name of a key, the email typed at sign-in. */
    actorLabel: text().notNull(),
    sourceIp: text(),
    action: text({ enum: AUDIT_ACTIONS }).notNull(),
    /** What was acted on: a sub-order id, a batch id, an API key id, a setting. */
    target: text(),
    outcome: text({ enum: AUDIT_OUTCOMES }).notNull(),
    /** Anything else worth keeping: error code and message, permission, counts. */
    detail: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    // Pages are read newest first by id (keyset), optionally narrowed by one of these.
    index("audit_events_at_idx").on(t.at),
    index("audit_events_action_id_idx").on(t.action, t.id),
    index("audit_events_outcome_id_idx").on(t.outcome, t.id),
    index("audit_events_actor_id_idx").on(t.actorId, t.id),
  ],
);
