/**
 * Who may call each server action and route handler of the app: the table app/authorization.test.ts
 * checks in-process (each export called as each role and as nobody) and the reliability suite's
 * security case checks over HTTP against \`next start\` (test/reliability/security.test.ts). Keys
 * are files under app/ and their exports; a new action file or route handler fails
 * app/authorization.test.ts until it is added here.
 */
import { type ApiScope, can, type Permission, ROLES, type Role } from "@/lib/auth/permissions";

/**
 * Who may call it: a permission; "signed-in" (any role); "public" (anyone, e.g. sign-in itself); or an
 * API scope (REST handlers: an API key, never a browser session).
 */
export type Rule = Permission | "signed-in" | "public" | { apiScope: ApiScope };
export type Caller = Role | "nobody";
export type Outcome = "allowed" | "unauthenticated" | "forbidden";

export const CALLERS: readonly Caller[] = [...ROLES, "nobody"];

/** How the permission check answers `caller` (a browser session of that role, or none) under `rule`. */
export function expectedOutcome(rule: Rule, caller: Caller): Outcome {
  if (rule === "public") return "allowed";
  if (typeof rule === "object") return "unauthenticated"; // a browser session is not an API key
  if (caller === "nobody") return "unauthenticated";
  if (rule === "signed-in") return "allowed";
  return can(caller, rule) ? "allowed" : "forbidden";
}

export const ACCESS_RULES: Record<string, Record<string, Rule>> = {
  // --- server actions ---------------------------------------------------------------------
  "(app)/_actions/set-locale.ts": { setLocaleAction: "signed-in" },
  "(app)/_actions/sign-out.ts": { signOutAction: "signed-in" },
  "(app)/settings/api-keys/_actions/create-api-key.ts": { createApiKeyAction: "settings:manage" },
  "(app)/settings/api-keys/_actions/revoke-api-key.ts": { revokeApiKeyAction: "settings:manage" },
  "(app)/settings/users/_actions/invite-user.ts": { inviteUserAction: "settings:manage" },
  "(app)/settings/users/_actions/change-role.ts": { changeRoleAction: "settings:manage" },
  "(app)/settings/users/_actions/disable-user.ts": { disableUserAction: "settings:manage" },
  "(app)/settings/users/_actions/enable-user.ts": { enableUserAction: "settings:manage" },
  "(app)/settings/users/_actions/reset-password.ts": { resetPasswordAction: "settings:manage" },
  // The one-time link's page: its visitor has no session; the token is the credential.
  "(auth)/invite/[token]/_actions/set-password.ts": { setPasswordAction: "public" },
  "(app)/cancellations/_actions/cancel-sub-order.ts": { cancelSubOrderAction: "cancel:single" },
  "(app)/cancellations/_actions/lookup-sub-order.ts": { lookupSubOrderAction: "orders:read" },
  "(app)/cancellations/_actions/preview-batch.ts": { previewBatchAction: "batches:read" },
  "(app)/cancellations/_actions/start-batch.ts": { startBatchAction: "cancel:bulk" },
  "(app)/cancellations/_actions/update-draft.ts": { updateDraftAction: "cancel:bulk" },
  "(app)/orders/[id]/_actions/cancel-order-lines.ts": { cancelOrderLinesAction: "cancel:single" },
  "(app)/orders/[id]/_actions/update-exception.ts": { updateExceptionAction: "requests:decide" },
  "(app)/cancel-requests/_actions/decide.ts": {
    approveCancelRequestAction: "requests:decide",
    rejectCancelRequestAction: "requests:decide",
  },
  "(app)/batches/_actions/retry-failed-rows.ts": { retryFailedRowsAction: "cancel:bulk" },
  "(app)/sync/_actions/retry-notification.ts": { retryNotificationAction: "sync:retry" },
  "(app)/sync/_actions/retry-dead-notifications.ts": { retryDeadNotificationsAction: "sync:retry" },
  "(app)/settings/connectors/_actions/update-connector.ts": { updateConnectorAction: "settings:manage" },
  "(app)/settings/reasons/_actions/add-reason.ts": { addReasonAction: "settings:manage" },
  "(app)/settings/reasons/_actions/rename-reason.ts": { renameReasonAction: "settings:manage" },
  "(app)/settings/reasons/_actions/set-reason-active.ts": { setReasonActiveAction: "settings:manage" },
  "(app)/settings/reasons/_actions/reason-mapping.ts": {
    saveReasonMappingAction: "settings:manage",
    removeReasonMappingAction: "settings:manage",
  },
  "(app)/settings/connectors/_actions/update-channel-policy.ts": {
    updateChannelPolicyAction: "settings:manage",
  },
  "(app)/_actions/reason-mapping-warning.ts": { getReasonMappingWarningAction: "orders:read" },
  // --- route handlers ---------------------------------------------------------------------
  "api/health/route.ts": { GET: "public" },
  // The API's description and reference page: no data, public like any API documentation.
  "api/v1/openapi.json/route.ts": { GET: "public" },
  "api/docs/route.ts": { GET: "public" },
  "api/docs/scalar.js/route.ts": { GET: "public" },
  "api/auth/[...all]/route.ts": { GET: "public", POST: "public" },
  "api/audit/export/route.ts": { GET: "audit:read" },
  "api/v1/me/route.ts": { GET: { apiScope: "read" } },
  "api/v1/sub-orders/[id]/route.ts": { GET: { apiScope: "read" } },
  "api/v1/sub-orders/[id]/cancel/route.ts": { POST: { apiScope: "cancel" } },
  "api/v1/sub-orders/[id]/lines/[sku]/cancel/route.ts": { POST: { apiScope: "cancel" } },
  "api/v1/orders/route.ts": { GET: { apiScope: "read" } },
  "api/v1/orders/[id]/route.ts": { GET: { apiScope: "read" } },
  "api/v1/orders/[id]/cancel/route.ts": { POST: { apiScope: "cancel" } },
  "api/v1/channels/[channelId]/orders/[channelOrderId]/route.ts": { PUT: { apiScope: "orders:write" } },
  "api/v1/warehouses/[warehouseId]/events/route.ts": { POST: { apiScope: "orders:write" } },
  "api/v1/channels/[channelId]/cancel-requests/route.ts": {
    GET: { apiScope: "read" },
    POST: { apiScope: "requests:write" },
  },
  "api/v1/cancellation-batches/route.ts": { POST: { apiScope: "cancel" } },
  "api/v1/cancellation-batches/[id]/route.ts": { GET: { apiScope: "read" } },
  "api/v1/cancellation-batches/[id]/items/route.ts": { GET: { apiScope: "read" } },
  "api/v1/cancellation-batches/[id]/errors.csv/route.ts": { GET: { apiScope: "read" } },
  "api/v1/cancellation-batches/[id]/start/route.ts": { POST: { apiScope: "cancel" } },
  "api/v1/cancellation-batches/[id]/retry-failed/route.ts": { POST: { apiScope: "cancel" } },
  "api/batches/route.ts": { POST: "cancel:bulk" },
  "api/batches/[id]/errors.csv/route.ts": { GET: "batches:read" },
  "api/batches/[id]/items/route.ts": { GET: "batches:read" },
  "api/batches/[id]/items/[seq]/route.ts": { GET: "batches:read" },
  "api/batches/[id]/progress/route.ts": { GET: "batches:read" },
  "api/templates/[kind]/route.ts": { GET: "batches:read" },
};
