import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { AuditAction } from "@/db/schema";
import { type ActionFailure, failure } from "@/lib/action-result";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { Actor } from "@/lib/cancellation/service/types";
import { getAuth } from "./auth";
import { getClientIp } from "./client-ip";
import { signInPath } from "./next-path";
import { can, type Permission, ROLES, type Role } from "./permissions";

export type SessionUser = { id: string; name: string; email: string; role: Role };

/** Who acts, as the services want it (`Actor`), with a name for batches and the audit log. */
export type SessionActor = Actor & { name: string; email: string };

export type Authorized = { ok: true; user: SessionUser; actor: SessionActor };

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * The signed-in user of this request, or null. Reads the session row every time (no cookie cache),
 * so a signed-out or deleted session stops working at once. It never refreshes the session: a
 * server component cannot set the cookie, so refreshes happen through /api/auth/get-session (the
 * shell's keep-alive) where the cookie moves with the row.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  // Reading the request first also marks the page dynamic before anything else runs.
  const requestHeaders = await headers();
  const result = await getAuth().api.getSession({ headers: requestHeaders, query: { disableRefresh: true } });
  if (!result) return null;
  const { id, name, email, role } = result.user;
  // The database refuses unknown roles; should one appear anyway, it grants nothing.
  if (!isRole(role)) return null;
  // Disabling a user deletes their sessions; one that slipped through (a sign-in racing the
  // disable) is refused here, on its next request.
  if (result.user.disabledAt) return null;
  return { id, name, email, role };
});

export function actorOf(user: SessionUser): SessionActor {
  return { type: "user", id: user.id, name: user.name, email: user.email };
}

type AuthorizeOptions = {
  /** What the refused attempt was, for the audit log. Default `access`. */
  action?: AuditAction;
  target?: string;
};

/**
 * The permission check every server action and route handler runs first. Signed out:
 * UNAUTHENTICATED. Signed in without the permission: FORBIDDEN, and a `denied` audit event.
 */
export async function authorize(
  permission: Permission,
  options: AuthorizeOptions = {},
): Promise<Authorized | ActionFailure> {
  const user = await getSessionUser();
  if (!user) return failure("UNAUTHENTICATED", { how: "session" });
  if (!can(user.role, permission)) {
    await recordAuditEvent({
      actor: auditActorOf(actorOf(user)),
      action: options.action ?? "access",
      target: options.target ?? null,
      outcome: "denied",
      sourceIp: getClientIp(await headers()),
      detail: { permission, role: user.role },
    });
    return failure("FORBIDDEN", { role: user.role, permission });
  }
  return { ok: true, user, actor: actorOf(user) };
}

/** For actions any signed-in user may take (signing out). */
export async function requireSignedIn(): Promise<Authorized | ActionFailure> {
  const user = await getSessionUser();
  if (!user) return failure("UNAUTHENTICATED", { how: "session" });
  return { ok: true, user, actor: actorOf(user) };
}

/**
 * For server components: the signed-in user when they hold `permission`. Signed out, it redirects
 * to sign-in (coming back to `path`); signed in without the permission, it records the refusal and
 * renders the 403 page.
 */
export async function requirePagePermission(permission: Permission, path?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(signInPath(path));
  if (!can(user.role, permission)) {
    await recordAuditEvent({
      actor: auditActorOf(actorOf(user)),
      action: "access",
      target: path ?? null,
      outcome: "denied",
      sourceIp: getClientIp(await headers()),
      detail: { permission, role: user.role },
    });
    forbidden();
  }
  return user;
}

/** For server components any signed-in user may see. */
export async function requirePageUser(path?: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(signInPath(path));
  return user;
}
