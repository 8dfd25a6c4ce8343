/**
 * Who may call what: every server action and every route handler of the app, called as each role
 * and as nobody, through the real session (a better-auth cookie on the request) and the real
 * permission check. The files are found by scanning app/: a new action file or route handler that
 * is not in RULES below fails this test until someone decides who may call it.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({
  database: undefined as TestDatabase | undefined,
  /** The request the mocked `next/headers` answers with. */
  headers: new Headers(),
}));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

vi.mock("next/headers", () => ({
  headers: async () => new Headers(state.headers),
  cookies: async () => {
    const jar = new Map<string, string>();
    return {
      get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
      getAll: () => [...jar].map(([name, value]) => ({ name, value })),
      has: (name: string) => jar.has(name),
      set: (name: string, value: string) => void jar.set(name, value),
      delete: (name: string) => void jar.delete(name),
    };
  },
}));

vi.mock("next/cache", () => ({
  revalidatePath: () => {},
  revalidateTag: () => {},
  updateTag: () => {},
  refresh: () => {},
}));

import { auditEvents, sessions } from "@/db/schema";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "@/db/seed-users";
import { createApiKey } from "@/lib/auth/api-keys";
import { getAuth } from "@/lib/auth/auth";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { API_SCOPES, type ApiScope, type Role } from "@/lib/auth/permissions";
import { signInCookie, TEST_ORIGIN } from "@/test/auth";
import {
  ACCESS_RULES,
  CALLERS,
  type Caller,
  expectedOutcome,
  type Outcome,
  type Rule,
} from "@/test/authorization-rules";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, TEST_REASON } from "@/test/fixtures";

const APP_DIR = path.resolve(import.meta.dirname);
const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

// biome-ignore lint/suspicious/noExplicitAny: modules are imported by path; their exports are checked below
type Module = Record<string, (...args: any[]) => Promise<unknown>>;

type Case = {
  rule: Rule;
  /** Calls the export with an input that passes validation, so only the permission can refuse. */
  call: (mod: Module, caller: Caller) => Promise<unknown>;
};

const uuid = () => randomUUID();
const get = (url: string) => new NextRequest(`${TEST_ORIGIN}${url}`, { headers: state.headers });
const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

function csvUpload(): NextRequest {
  const query = new URLSearchParams({
    kind: "sub_orders",
    mode: "strict",
    reasonCode: TEST_REASON,
    fileName: "authz.csv",
  });
  return new NextRequest(`${TEST_ORIGIN}/api/batches?${query}`, {
    method: "POST",
    headers: new Headers([...state.headers, ["content-type", "text/csv"]]),
    body: "Sub Order ID\r\nSO-AUTHZ-1\r\n",
  });
}

function withJson(headers: Headers): Headers {
  return new Headers([...headers, ["content-type", "application/json"]]);
}

function jsonRequest(method: string, path: string, body: unknown): NextRequest {
  return new NextRequest(`${TEST_ORIGIN}${path}`, {
    method,
    headers: withJson(state.headers),
    body: JSON.stringify(body),
  });
}

/** How to call each export of every server action file and route handler under app/. */
const CALLS: Record<string, Record<string, Omit<Case, "rule">>> = {
  // --- server actions -----------------------------------------------------------------------
  "(app)/_actions/set-locale.ts": {
    setLocaleAction: { call: (m) => invoke(m, "setLocaleAction", { locale: "de-DE" }) },
  },
  "(app)/_actions/sign-out.ts": {
    signOutAction: { call: (m) => invoke(m, "signOutAction") },
  },
  "(app)/settings/api-keys/_actions/create-api-key.ts": {
    createApiKeyAction: {
      call: (m) => invoke(m, "createApiKeyAction", { name: "authz test", scopes: ["read"] }),
    },
  },
  "(app)/settings/api-keys/_actions/revoke-api-key.ts": {
    revokeApiKeyAction: {
      call: (m) => invoke(m, "revokeApiKeyAction", { id: uuid() }),
    },
  },
  "(app)/settings/users/_actions/invite-user.ts": {
    inviteUserAction: {
      call: (m) =>
        invoke(m, "inviteUserAction", {
          name: "Authz Invitee",
          email: `authz-${uuid()}@example.test`,
          role: "viewer",
        }),
    },
  },
  "(app)/settings/users/_actions/change-role.ts": {
    changeRoleAction: {
      call: (m) => invoke(m, "changeRoleAction", { userId: "authz-no-such-user", role: "viewer" }),
    },
  },
  "(app)/settings/users/_actions/disable-user.ts": {
    disableUserAction: {
      call: (m) => invoke(m, "disableUserAction", { userId: "authz-no-such-user" }),
    },
  },
  "(app)/settings/users/_actions/enable-user.ts": {
    enableUserAction: {
      call: (m) => invoke(m, "enableUserAction", { userId: "authz-no-such-user" }),
    },
  },
  "(app)/settings/users/_actions/reset-password.ts": {
    resetPasswordAction: {
      call: (m) => invoke(m, "resetPasswordAction", { userId: "authz-no-such-user" }),
    },
  },
  // The one-time link's page: its visitor has no session; the token is the credential.
  "(auth)/invite/[token]/_actions/set-password.ts": {
    setPasswordAction: {
      call: (m) =>
        invoke(m, "setPasswordAction", {
          token: "authz-no-such-token",
          password: "authz-password-123",
          confirm: "authz-password-123",
        }),
    },
  },
  "(app)/cancellations/_actions/cancel-sub-order.ts": {
    cancelSubOrderAction: {
      call: (m) =>
        invoke(m, "cancelSubOrderAction", {
          subOrderId: "SO-AUTHZ-MISSING",
          mode: "strict",
          reasonCode: TEST_REASON,
        }),
    },
  },
  "(app)/cancellations/_actions/lookup-sub-order.ts": {
    lookupSubOrderAction: {
      call: (m) => invoke(m, "lookupSubOrderAction", { subOrderId: "SO-AUTHZ-MISSING" }),
    },
  },
  "(app)/cancellations/_actions/preview-batch.ts": {
    previewBatchAction: {
      call: (m) => invoke(m, "previewBatchAction", { batchId: uuid() }),
    },
  },
  "(app)/cancellations/_actions/start-batch.ts": {
    startBatchAction: {
      call: (m) => invoke(m, "startBatchAction", { batchId: uuid() }),
    },
  },
  "(app)/cancellations/_actions/update-draft.ts": {
    updateDraftAction: {
      call: (m) => invoke(m, "updateDraftAction", { batchId: uuid(), reasonCode: TEST_REASON }),
    },
  },
  "(app)/orders/[id]/_actions/cancel-order-lines.ts": {
    cancelOrderLinesAction: {
      call: (m) =>
        invoke(m, "cancelOrderLinesAction", {
          orderId: "ORD-AUTHZ-MISSING",
          reasonCode: TEST_REASON,
          lines: [{ lineItemId: 1, quantity: 1 }],
        }),
    },
  },
  "(app)/orders/[id]/_actions/update-exception.ts": {
    updateExceptionAction: {
      call: (m) =>
        invoke(m, "updateExceptionAction", {
          orderId: "ORD-AUTHZ-MISSING",
          exceptionId: uuid(),
          steps: { customerTold: true, acknowledged: false, sellerSupportContacted: false },
        }),
    },
  },
  "(app)/cancel-requests/_actions/decide.ts": {
    approveCancelRequestAction: {
      call: (m) => invoke(m, "approveCancelRequestAction", { id: uuid() }),
    },
    rejectCancelRequestAction: {
      call: (m) => invoke(m, "rejectCancelRequestAction", { id: uuid(), note: "Already shipped" }),
    },
  },
  "(app)/batches/_actions/retry-failed-rows.ts": {
    retryFailedRowsAction: {
      call: (m) => invoke(m, "retryFailedRowsAction", { batchId: uuid() }),
    },
  },
  "(app)/sync/_actions/retry-notification.ts": {
    retryNotificationAction: {
      call: (m) => invoke(m, "retryNotificationAction", { cancellationId: uuid() }),
    },
  },
  "(app)/sync/_actions/retry-dead-notifications.ts": {
    retryDeadNotificationsAction: {
      call: (m) => invoke(m, "retryDeadNotificationsAction", { channelId: "CH-TEST" }),
    },
  },
  "(app)/settings/connectors/_actions/update-connector.ts": {
    updateConnectorAction: {
      call: (m) =>
        invoke(m, "updateConnectorAction", {
          target: "channel",
          id: "CH-TEST",
          connector: "manual",
          baseUrl: "",
          timeoutMs: "5000",
          maxAttempts: "3",
          enabled: "on",
        }),
    },
  },

  "(app)/settings/reasons/_actions/add-reason.ts": {
    addReasonAction: {
      call: (m) =>
        invoke(m, "addReasonAction", { code: "AUTHZ_REASON", label: "Authz", initiator: "seller" }),
    },
  },
  "(app)/settings/reasons/_actions/rename-reason.ts": {
    renameReasonAction: {
      call: (m) => invoke(m, "renameReasonAction", { code: TEST_REASON, label: "Test reason" }),
    },
  },
  "(app)/settings/reasons/_actions/set-reason-active.ts": {
    setReasonActiveAction: {
      call: (m) => invoke(m, "setReasonActiveAction", { code: TEST_REASON, active: true }),
    },
  },
  "(app)/settings/reasons/_actions/reason-mapping.ts": {
    saveReasonMappingAction: {
      call: (m) =>
        invoke(m, "saveReasonMappingAction", {
          channelId: "CH-TEST",
          reasonCode: TEST_REASON,
          channelCode: "T",
        }),
    },
    removeReasonMappingAction: {
      call: (m) => invoke(m, "removeReasonMappingAction", { channelId: "CH-TEST", reasonCode: "RETIRED" }),
    },
  },
  "(app)/settings/connectors/_actions/update-channel-policy.ts": {
    updateChannelPolicyAction: {
      call: (m) =>
        invoke(m, "updateChannelPolicyAction", { channelId: "CH-TEST", partialQuantities: "partial" }),
    },
  },
  "(app)/_actions/reason-mapping-warning.ts": {
    getReasonMappingWarningAction: {
      call: (m) =>
        invoke(m, "getReasonMappingWarningAction", { channelId: "CH-TEST", reasonCode: TEST_REASON }),
    },
  },

  // --- route handlers -----------------------------------------------------------------------
  "api/health/route.ts": {
    GET: { call: (m) => invoke(m, "GET") },
  },
  // The API's description and reference page: no data, public like any API documentation.
  "api/v1/openapi.json/route.ts": {
    GET: { call: (m) => invoke(m, "GET") },
  },
  "api/docs/route.ts": {
    GET: { call: (m) => invoke(m, "GET") },
  },
  "api/docs/scalar.js/route.ts": {
    GET: { call: (m) => invoke(m, "GET") },
  },
  "api/auth/[...all]/route.ts": {
    GET: { call: (m) => invoke(m, "GET", get("/api/auth/get-session")) },
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          new NextRequest(`${TEST_ORIGIN}/api/auth/sign-in/email`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              origin: TEST_ORIGIN,
              [CLIENT_IP_HEADER]: "192.0.2.99",
            },
            body: JSON.stringify({ email: "viewer@demo.test", password: DEMO_PASSWORD }),
          }),
        ),
    },
  },
  "api/audit/export/route.ts": {
    GET: { call: (m) => invoke(m, "GET", get("/api/audit/export?outcome=denied")) },
  },
  "api/v1/me/route.ts": {
    GET: { call: (m) => invoke(m, "GET", get("/api/v1/me")) },
  },
  "api/v1/sub-orders/[id]/route.ts": {
    GET: {
      call: (m) =>
        invoke(m, "GET", get("/api/v1/sub-orders/SO-AUTHZ-MISSING"), params({ id: "SO-AUTHZ-MISSING" })),
    },
  },
  "api/v1/sub-orders/[id]/cancel/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          new NextRequest(`${TEST_ORIGIN}/api/v1/sub-orders/SO-AUTHZ-MISSING/cancel`, {
            method: "POST",
            headers: withJson(state.headers),
            body: JSON.stringify({ reasonCode: TEST_REASON }),
          }),
          params({ id: "SO-AUTHZ-MISSING" }),
        ),
    },
  },
  "api/v1/sub-orders/[id]/lines/[sku]/cancel/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          jsonRequest("POST", "/api/v1/sub-orders/SO-AUTHZ-MISSING/lines/A/cancel", {
            reasonCode: TEST_REASON,
            newQuantity: 0,
          }),
          params({ id: "SO-AUTHZ-MISSING", sku: "A" }),
        ),
    },
  },
  "api/v1/orders/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/v1/orders?q=AUTHZ&limit=5"), params({})),
    },
  },
  "api/v1/orders/[id]/route.ts": {
    GET: {
      call: (m) =>
        invoke(m, "GET", get("/api/v1/orders/ORD-AUTHZ-MISSING"), params({ id: "ORD-AUTHZ-MISSING" })),
    },
  },
  "api/v1/orders/[id]/cancel/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          jsonRequest("POST", "/api/v1/orders/ORD-AUTHZ-MISSING/cancel", { reasonCode: TEST_REASON }),
          params({ id: "ORD-AUTHZ-MISSING" }),
        ),
    },
  },
  "api/v1/channels/[channelId]/orders/[channelOrderId]/route.ts": {
    PUT: {
      call: (m) =>
        invoke(
          m,
          "PUT",
          jsonRequest("PUT", "/api/v1/channels/CH-TEST/orders/AUTHZ-ORDER", {
            orderNumber: "AUTHZ-ORDER",
            currency: "INR",
            customerName: "Authz",
            subOrders: [
              {
                id: "SO-AUTHZ-NEW",
                warehouseId: "WH-MANUAL",
                lines: [{ sku: "A", quantity: 1, unitPriceMinor: 100 }],
              },
            ],
          }),
          params({ channelId: "CH-TEST", channelOrderId: "AUTHZ-ORDER" }),
        ),
    },
  },
  "api/v1/warehouses/[warehouseId]/events/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          jsonRequest("POST", "/api/v1/warehouses/WH-MANUAL/events", {
            eventId: "authz-1",
            type: "allocated",
            subOrderId: "SO-AUTHZ-MISSING",
            lines: [{ sku: "A", quantity: 1 }],
          }),
          params({ warehouseId: "WH-MANUAL" }),
        ),
    },
  },
  "api/v1/channels/[channelId]/cancel-requests/route.ts": {
    GET: {
      call: (m) =>
        invoke(
          m,
          "GET",
          get("/api/v1/channels/CH-TEST/cancel-requests?state=open"),
          params({ channelId: "CH-TEST" }),
        ),
    },
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          jsonRequest("POST", "/api/v1/channels/CH-TEST/cancel-requests", {
            requestId: "authz-1",
            channelOrderId: "AUTHZ-MISSING",
            reason: TEST_REASON,
          }),
          params({ channelId: "CH-TEST" }),
        ),
    },
  },
  "api/v1/cancellation-batches/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          new NextRequest(
            `${TEST_ORIGIN}/api/v1/cancellation-batches?kind=sub_orders&reasonCode=${TEST_REASON}&fileName=authz.csv`,
            {
              method: "POST",
              headers: new Headers([...state.headers, ["content-type", "text/csv"]]),
              body: "Sub Order ID\r\nSO-AUTHZ-1\r\n",
            },
          ),
          params({}),
        ),
    },
  },
  "api/v1/cancellation-batches/[id]/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/v1/cancellation-batches/x"), params({ id: uuid() })),
    },
  },
  "api/v1/cancellation-batches/[id]/items/route.ts": {
    GET: {
      call: (m) =>
        invoke(m, "GET", get("/api/v1/cancellation-batches/x/items?status=ERROR"), params({ id: uuid() })),
    },
  },
  "api/v1/cancellation-batches/[id]/errors.csv/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/v1/cancellation-batches/x/errors.csv"), params({ id: uuid() })),
    },
  },
  "api/v1/cancellation-batches/[id]/start/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          jsonRequest("POST", "/api/v1/cancellation-batches/x/start", {}),
          params({ id: uuid() }),
        ),
    },
  },
  "api/v1/cancellation-batches/[id]/retry-failed/route.ts": {
    POST: {
      call: (m) =>
        invoke(
          m,
          "POST",
          new NextRequest(`${TEST_ORIGIN}/api/v1/cancellation-batches/x/retry-failed`, {
            method: "POST",
            headers: state.headers,
          }),
          params({ id: uuid() }),
        ),
    },
  },
  "api/batches/route.ts": {
    POST: { call: (m) => invoke(m, "POST", csvUpload()) },
  },
  "api/batches/[id]/errors.csv/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/batches/x/errors.csv"), params({ id: uuid() })),
    },
  },
  "api/batches/[id]/items/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/batches/x/items"), params({ id: uuid() })),
    },
  },
  "api/batches/[id]/items/[seq]/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/batches/x/items/1"), params({ id: uuid(), seq: "1" })),
    },
  },
  "api/batches/[id]/progress/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/batches/x/progress"), params({ id: uuid() })),
    },
  },
  "api/templates/[kind]/route.ts": {
    GET: {
      call: (m) => invoke(m, "GET", get("/api/templates/sub_orders"), params({ kind: "sub_orders" })),
    },
  },
};

/** Every server action file and route handler under app/: its rule per export (test/authorization-rules.ts) and its call. */
const RULES: Record<string, Record<string, Case>> = Object.fromEntries(
  Object.entries(ACCESS_RULES).map(([file, exports]) => [
    file,
    Object.fromEntries(
      Object.entries(exports).map(([name, rule]) => {
        const call = CALLS[file]?.[name]?.call;
        if (!call)
          throw new Error(`${file} ${name}: a rule in test/authorization-rules.ts without a call in CALLS`);
        return [name, { rule, call }];
      }),
    ),
  ]),
);

// --- discovery ------------------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The file's code without comments, enough to find directives. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

const files = sourceFiles(APP_DIR).map((full) => ({
  file: path.relative(APP_DIR, full).split(path.sep).join("/"),
  code: withoutComments(fs.readFileSync(full, "utf8")),
}));
const actionFiles = files.filter((f) => /^\s*["']use server["']/.test(f.code)).map((f) => f.file);
const routeFiles = files.filter((f) => /(^|\/)route\.tsx?$/.test(f.file)).map((f) => f.file);
const inlineActions = files
  .filter((f) => !actionFiles.includes(f.file) && /["']use server["']/.test(f.code))
  .map((f) => f.file);

/** "use server" modules elsewhere (lib/, components/, db/, dev/): each would be a public endpoint this test misses. */
const ROOT = path.resolve(APP_DIR, "..");
const actionsOutsideApp = ["lib", "components", "db", "dev"]
  .filter((dir) => fs.existsSync(path.join(ROOT, dir)))
  .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
  .filter((full) => /["']use server["']/.test(withoutComments(fs.readFileSync(full, "utf8"))))
  .map((full) => path.relative(ROOT, full));

/** Calls an export by name (the table names them; a missing one is a failure, not a crash). */
function invoke(mod: Module, name: string, ...args: unknown[]): Promise<unknown> {
  const fn = mod[name];
  if (!fn) throw new Error(`no export ${name}`);
  return fn(...args);
}

async function load(file: string): Promise<Module> {
  return (await import(path.join(APP_DIR, file))) as Module;
}

function exportedFunctions(mod: Module, file: string): string[] {
  const names = Object.keys(mod).filter((name) => typeof mod[name] === "function");
  return routeFiles.includes(file)
    ? names.filter((n) => (ROUTE_METHODS as readonly string[]).includes(n))
    : names;
}

// --- callers ----------------------------------------------------------------------------------

const cookies = new Map<Role, string>();
const ipOf = (caller: Caller) => `198.51.100.${CALLERS.indexOf(caller) + 1}`;

function actAs(caller: Caller, cookie = caller === "nobody" ? undefined : cookies.get(caller)) {
  state.headers = new Headers({
    host: new URL(TEST_ORIGIN).host,
    origin: TEST_ORIGIN,
    [CLIENT_IP_HEADER]: ipOf(caller),
  });
  if (cookie) state.headers.set("cookie", cookie);
}

const expected = expectedOutcome;

function outcomeOfValue(value: unknown): Outcome {
  if (value instanceof Response) {
    if (value.status === 401) return "unauthenticated";
    if (value.status === 403) return "forbidden";
    return "allowed";
  }
  const result = value as { ok?: boolean; code?: string } | undefined;
  if (result?.ok === false && result.code === "UNAUTHENTICATED") return "unauthenticated";
  if (result?.ok === false && result.code === "FORBIDDEN") return "forbidden";
  return "allowed";
}

function digestOf(error: unknown): string {
  return typeof error === "object" && error !== null && "digest" in error ? String(error.digest) : "";
}

async function deniedEvents(): Promise<number> {
  const db = state.database?.db;
  if (!db) throw new Error("no database");
  const [row] = await db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.outcome, "denied"));
  return row?.n ?? 0;
}

/** Calls one export as one caller and says how the permission check answered. */
async function attempt(file: string, entry: Case, caller: Caller): Promise<Outcome> {
  const mod = await load(file);
  if (file === "(app)/_actions/sign-out.ts") {
    // Signing out ends the session: give it a fresh one, and judge by what happened to it.
    const cookie =
      caller === "nobody" ? undefined : await signInCookie(getAuth(), `${caller}@demo.test`, DEMO_PASSWORD);
    actAs(caller, cookie);
    const before = await sessionCount();
    await entry.call(mod, caller).catch((error: unknown) => {
      if (!digestOf(error).startsWith("NEXT_REDIRECT")) throw error;
    });
    return (await sessionCount()) === before - 1 ? "allowed" : "unauthenticated";
  }
  actAs(caller);
  try {
    const value = await entry.call(mod, caller);
    if (value instanceof Response) await value.body?.cancel();
    return outcomeOfValue(value);
  } catch (error) {
    const digest = digestOf(error);
    if (digest.startsWith("NEXT_REDIRECT") && digest.includes("/sign-in")) return "unauthenticated";
    if (digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;403")) return "forbidden";
    throw error;
  }
}

async function sessionCount(): Promise<number> {
  const db = state.database?.db;
  if (!db) throw new Error("no database");
  const [row] = await db.select({ n: count() }).from(sessions);
  return row?.n ?? 0;
}

// --- the tests ----------------------------------------------------------------------------------

beforeAll(async () => {
  state.database = await createTestDatabase();
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await insertReferenceData(state.database.db);
  await seedDemoUsers(state.database.db);
  for (const user of DEMO_USERS)
    cookies.set(user.role, await signInCookie(getAuth(), user.email, DEMO_PASSWORD));
});

afterAll(async () => {
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await state.database?.drop();
});

describe("every server action and route handler has a rule", () => {
  test("the scan finds the known files (sanity)", () => {
    expect(actionFiles).toContain("(app)/_actions/sign-out.ts");
    expect(routeFiles).toContain("api/auth/[...all]/route.ts");
  });

  test("no inline server actions: each lives in its own file, where this test can find it", () => {
    expect(inlineActions).toEqual([]);
  });

  test("no server actions outside app/: every public endpoint is in this table", () => {
    expect(actionsOutsideApp).toEqual([]);
  });

  test("every action file and route handler under app/ is listed", () => {
    const missing = [...actionFiles, ...routeFiles].filter((file) => !(file in RULES));
    expect(
      missing,
      "add these to test/authorization-rules.ts and CALLS in app/authorization.test.ts",
    ).toEqual([]);
  });

  test("every call in CALLS has a rule", () => {
    const extra = Object.entries(CALLS).flatMap(([file, exports]) =>
      Object.keys(exports)
        .filter((name) => ACCESS_RULES[file]?.[name] === undefined)
        .map((name) => `${file} ${name}`),
    );
    expect(extra, "add their rules to test/authorization-rules.ts").toEqual([]);
  });

  test("every listed file still exists", () => {
    const stale = Object.keys(RULES).filter(
      (file) => !actionFiles.includes(file) && !routeFiles.includes(file),
    );
    expect(stale, "remove these from RULES").toEqual([]);
  });

  test.each([...actionFiles, ...routeFiles])("every export of %s is listed", async (file) => {
    const mod = await load(file);
    expect(exportedFunctions(mod, file).sort()).toEqual(Object.keys(RULES[file] ?? {}).sort());
  });
});

const cases = Object.entries(RULES).flatMap(([file, exports]) =>
  Object.entries(exports).flatMap(([name, entry]) =>
    CALLERS.map((caller) => ({ file, name, entry, caller, want: expected(entry.rule, caller) })),
  ),
);

describe("called as each role and as nobody", () => {
  test.each(cases)("$file $name as $caller: $want", async ({ file, entry, caller, want }) => {
    const deniedBefore = await deniedEvents();
    const before = want === "allowed" ? null : await businessState();
    const got = await attempt(file, entry, caller);
    expect(got).toBe(want);
    // A signed-in caller who is refused leaves a "denied" entry in the audit log.
    if (want === "forbidden") expect(await deniedEvents()).toBe(deniedBefore + 1);
    // A refused call changed nothing.
    if (before) expect(await businessState()).toEqual(before);
  });
});

/** Everything a call could change, but the audit log, sessions and rate-limit counters. */
async function businessState(): Promise<Record<string, unknown>> {
  const db = state.database?.db;
  if (!db) throw new Error("no database");
  const result = await db.execute<Record<string, unknown>>(sql`
    SELECT (SELECT count(*) FROM cancellations) AS cancellations,
           (SELECT coalesce(sum(cancelled + pending_cancel), 0) FROM line_items) AS cancelled_units,
           (SELECT count(*) FROM batches) AS batches,
           (SELECT string_agg(status, ',' ORDER BY id) FROM batches) AS batch_statuses,
           (SELECT count(*) FROM batch_items) AS batch_items,
           (SELECT count(*) FROM channel_notifications) AS notifications,
           (SELECT string_agg(state || attempts, ',' ORDER BY cancellation_id) FROM channel_notifications) AS outbox,
           (SELECT count(*) FROM api_keys) AS api_keys,
           (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL) AS revoked_keys,
           (SELECT string_agg(id || connector || coalesce(base_url, '') || timeout_ms || max_attempts || enabled, ',' ORDER BY id)
              FROM (SELECT id, connector, base_url, timeout_ms, max_attempts, enabled FROM channels
                    UNION ALL SELECT id, connector, base_url, timeout_ms, max_attempts, enabled FROM warehouses) c) AS connectors,
           (SELECT count(*) FROM users) AS users,
           (SELECT count(*) FROM orders) AS orders,
           (SELECT count(*) FROM warehouse_events) AS warehouse_events,
           (SELECT count(*) FROM cancel_requests) AS cancel_requests`);
  return result.rows[0] ?? {};
}

describe("REST handlers check their own scope", () => {
  const restCases = Object.entries(RULES).flatMap(([file, exports]) =>
    Object.entries(exports).flatMap(([name, entry]) =>
      typeof entry.rule === "object" ? [{ file, name, entry, scope: entry.rule.apiScope }] : [],
    ),
  );
  test.each(restCases)(
    "$file $name: a key without $scope is refused; one with it passes",
    async ({ file, entry, scope }) => {
      const db = state.database?.db;
      if (!db) throw new Error("no database");
      const others = API_SCOPES.filter((s) => s !== scope);
      const mod = await load(file);
      const withKey = async (scopes: ApiScope[]) => {
        const { secret } = await createApiKey(
          { name: `authz ${scopes.join("+")}`, scopes, createdBy: "demo-admin" },
          db,
        );
        state.headers = new Headers({ authorization: `Bearer ${secret}`, [CLIENT_IP_HEADER]: "192.0.2.20" });
        const before = await businessState();
        const response = (await entry.call(mod, "admin")) as Response;
        await response.body?.cancel();
        return {
          status: response.status,
          changed: JSON.stringify(await businessState()) !== JSON.stringify(before),
        };
      };
      if (others.length > 0) expect(await withKey([...others])).toEqual({ status: 403, changed: false });
      expect([401, 403]).not.toContain((await withKey([scope])).status);
    },
  );
});

describe("REST handlers take API keys, not sessions", () => {
  test("api/v1/me: a read key passes, a cancel-only key is refused, no key is unauthenticated", async () => {
    const db = state.database?.db;
    if (!db) throw new Error("no database");
    const read = await createApiKey({ name: "authz read", scopes: ["read"], createdBy: "demo-admin" }, db);
    const cancel = await createApiKey(
      { name: "authz cancel", scopes: ["cancel"], createdBy: "demo-admin" },
      db,
    );
    const mod = await load("api/v1/me/route.ts");
    const call = (key?: string) => {
      const headers = new Headers({ [CLIENT_IP_HEADER]: "192.0.2.10" });
      if (key) headers.set("authorization", `Bearer ${key}`);
      return invoke(
        mod,
        "GET",
        new NextRequest(`${TEST_ORIGIN}/api/v1/me`, { headers }),
      ) as Promise<Response>;
    };
    expect((await call(read.secret)).status).toBe(200);
    expect((await call(cancel.secret)).status).toBe(403);
    expect((await call()).status).toBe(401);
    // A session cookie is not a key, even an admin's.
    actAs("admin");
    expect(outcomeOfValue(await invoke(mod, "GET", get("/api/v1/me")))).toBe("unauthenticated");
    const denied = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorId, cancel.key.id), eq(auditEvents.outcome, "denied")));
    expect(denied).toHaveLength(1);
  });
});
