/**
 * Who may do what. Pure data, used by every server action and route handler (the check runs
 * inside each of them) and by the UI to hide what a role may not do.
 */
export const ROLES = ["admin", "ops", "support", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "orders:read",
  "batches:read",
  "cancel:single",
  "cancel:bulk",
  /** Start a draft batch someone else uploaded (everyone may start their own). */
  "batches:start-any",
  "requests:decide",
  "sync:retry",
  "settings:manage",
  "audit:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  ops: ["orders:read", "batches:read", "cancel:single", "cancel:bulk", "requests:decide", "sync:retry"],
  support: ["orders:read", "batches:read", "cancel:single", "requests:decide"],
  viewer: ["orders:read", "batches:read"],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** API keys carry scopes instead of roles. */
export const API_SCOPES = ["cancel", "read", "orders:write", "requests:write"] as const;
export type ApiScope = (typeof API_SCOPES)[number];
