/**
 * Reliability, hostile requests: fast-check throws random input at every route handler under
 * app/api and every server action, in process, past authentication (a valid API key for the REST
 * API, an admin's real session cookie for the screens' routes and actions), so that input validation
 * is what answers: random path parameters, query strings, raw bodies (arbitrary bytes, invalid UTF-8,
 * lone surrogates, control characters, huge strings, wrong JSON types, valid bodies with fields
 * replaced, dropped or retyped) and media types. Never a 5xx or a thrown exception: a 4xx problem
 * whose detail says what is wrong (naming the field where a field is wrong), or an action's typed
 * error result, or an ordinary answer when the random input happens to be acceptable.
 *
 * The handlers are the ones in test/authorization-rules.ts (the table app/authorization.test.ts keeps
 * complete): a new route or action without a generator here fails the coverage test below.
 */
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => {
  // One key makes every request here: keep its rate limit out of the way of validation.
  process.env.API_KEY_RATE_LIMIT_PER_MINUTE = "1000000";
  return { database: undefined as TestDatabase | undefined, headers: new Headers() };
});

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

import { DEMO_PASSWORD, seedDemoUsers } from "@/db/seed-users";
import type { Operation } from "@/lib/api/contract/operation";
import { OPERATIONS } from "@/lib/api/contract/operations";
import { createApiKey } from "@/lib/auth/api-keys";
import { getAuth } from "@/lib/auth/auth";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { signInCookie, TEST_ORIGIN } from "@/test/auth";
import { ACCESS_RULES } from "@/test/authorization-rules";
import { createTestDatabase } from "@/test/database";
import { insertReferenceData, insertSubOrder, TEST_REASON } from "@/test/fixtures";
import { recordCase } from "./results";

const APP_DIR = path.resolve(import.meta.dirname, "..", "..", "app");

// --- hostile values ---------------------------------------------------------------------------------

const NASTY = [
  "",
  " ",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "9".repeat(400),
  "../../etc/passwd",
  "%00",
  "%",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\u0000",
  "SO-\u0000-1",
  "\ud800",
  "a\udfffb",
  "\u0085\udfff", // a lone surrogate after a two-byte character: PGlite refused the bytes (a 500)
  "é\ud800x",
  "\u202etxt.exe",
  "\ufeffSO-1",
  "=cmd|' /C calc'!A0",
  "é".repeat(3000),
] as const;

/** Arbitrary text: any code point (lone surrogates too), graphemes, control characters, known nasties. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      "\u0000",
      "\u0001",
      "\u001f",
      "\u007f",
      "\u0085",
      "\ud800",
      "\udfff",
      "\r",
      "\n",
      "\t",
    ),
    maxLength: 12,
  }),
  fc.constantFrom(...NASTY),
);

/** An id that exists, or one that looks like one, or anything: so that some requests reach the services. */
const idLike = (...known: string[]): fc.Arbitrary<string> =>
  fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...known) }, { weight: 3, arbitrary: hostileString });

const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(-1, 0, 1.5, 2 ** 31, 2 ** 53 + 2, 1e308, -0),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const KEEP = Symbol("keep");
const DROP = Symbol("drop");

/** `sample` with each field kept, dropped or replaced by a hostile value of any JSON type, and maybe extra fields. */
function mutated(sample: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(sample);
  const choice = fc.oneof(
    { weight: 2, arbitrary: fc.constant<typeof KEEP>(KEEP) },
    { weight: 1, arbitrary: fc.constant<typeof DROP>(DROP) },
    { weight: 3, arbitrary: hostileJsonValue },
  );
  return fc
    .tuple(
      fc.tuple(...keys.map(() => choice)),
      fc.option(fc.dictionary(hostileString, hostileJsonValue, { maxKeys: 2 }), { nil: undefined }),
    )
    .map(([choices, extra]) => {
      const out: Record<string, unknown> = { ...extra };
      keys.forEach((key, i) => {
        const c = choices[i];
        if (c === KEEP) out[key] = sample[key];
        else if (c !== DROP) out[key] = c;
      });
      return out;
    });
}

const encoder = new TextEncoder();
const HUGE_JSON = `{"reasonCode":"${"x".repeat(1024 * 1024 + 10)}"}`;
const DEEP_JSON = `${"[".repeat(5000)}${"]".repeat(5000)}`;

/** A raw request body: JSON of a mutated sample or of anything, raw text, raw bytes, invalid UTF-8. */
function jsonBody(sample: Record<string, unknown>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 6, arbitrary: mutated(sample).map((v) => encoder.encode(JSON.stringify(v))) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => encoder.encode(JSON.stringify(v))) },
    { weight: 1, arbitrary: hostileString.map((s) => encoder.encode(s)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Uint8Array.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), // {"\xc3(":1}
        Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
        Uint8Array.from([0x22, 0xed, 0xa0, 0x80, 0x22]), // an encoded lone surrogate
        encoder.encode('"\\ud800"'),
        encoder.encode('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'),
        encoder.encode('{"reasonCode":"A","reasonCode":{"x":1}}'),
        encoder.encode(HUGE_JSON),
        encoder.encode(DEEP_JSON),
        encoder.encode("1e999"),
        new Uint8Array(0),
      ),
    },
  );
}

/** A hostile CSV upload: random cells and lines, raw bytes, or a few known nasty files. */
const csvBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.array(hostileString, { minLength: 1, maxLength: 4 }), { maxLength: 8 })
      .map((rows) =>
        encoder.encode(["Sub Order ID,Reason Code", ...rows.map((r) => r.join(","))].join("\r\n")),
      ),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
  { weight: 1, arbitrary: hostileString.map((s) => encoder.encode(s)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]),
      Uint8Array.from([0xff, 0xfe, 0x53, 0x00, 0x0a, 0x00]),
      encoder.encode('Sub Order ID\n"SO-1"x\nSO-2,"'),
      encoder.encode("Sub Order ID\nSO-\u0000-1\n"),
      new Uint8Array(0),
    ),
  },
);

const mediaType = (usual: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(usual) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "application/json; charset=utf-8",
        "text/csv",
        "text/plain",
        "",
        "application/problem+json",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/octet-stream",
        "APPLICATION/JSON",
        "application/json; charset=latin1",
      ),
    },
  );

/** A header value (a ByteString without NUL, CR or LF: anything else a client can send). */
const headerValue = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

/** Query values: a valid one sometimes (so that validation reaches the next field), anything otherwise. */
const queryValue = (valid: readonly string[]) =>
  valid.length > 0
    ? fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: hostileString })
    : hostileString;

function queryOf(known: Record<string, readonly string[]>): fc.Arbitrary<[string, string][]> {
  const names = Object.keys(known);
  return fc
    .tuple(
      fc.tuple(...names.map((name) => fc.option(queryValue(known[name] ?? []), { nil: undefined }))),
      fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }),
    )
    .map(([values, extra]) => [
      ...names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]] as [string, string]])),
      ...extra,
    ]);
}

// --- the handlers --------------------------------------------------------------------------------

type RouteSpec = {
  file: string;
  method: string;
  /** The path under which it is served, with `[name]` parameters. */
  url: string;
  params: Record<string, fc.Arbitrary<string>>;
  catchAll?: string;
  query: Record<string, readonly string[]>;
  body?: fc.Arbitrary<Uint8Array>;
  mediaType?: string;
  auth: "api-key" | "session" | "none";
};

const EXISTING = {
  subOrder: "SO-HR-1",
  order: "ORD-SO-HR-1",
  channel: "CH-TEST",
  warehouse: "WH-MANUAL",
  reason: TEST_REASON,
  uuid: "00000000-0000-4000-8000-000000000000",
};

const KNOWN_PARAMS: Record<string, fc.Arbitrary<string>> = {
  id: idLike(EXISTING.subOrder, EXISTING.order, EXISTING.uuid),
  sku: idLike("SKU-1"),
  channelId: idLike(EXISTING.channel),
  channelOrderId: idLike("HR-ORDER-1"),
  warehouseId: idLike(EXISTING.warehouse),
  seq: idLike("1", "0", "-1", "1.5"),
  kind: idLike("sub_orders", "line_items"),
};

/** Valid values of known query names, so that a request can get past one field to the next. */
const KNOWN_QUERY: Record<string, readonly string[]> = {
  kind: ["sub_orders", "line_items"],
  mode: ["strict", "unfulfilled_only", "line_items"],
  reasonCode: [TEST_REASON],
  fileName: ["a.csv"],
  start: ["true", "false"],
  confirmDuplicate: ["true", "false"],
  status: ["ERROR", "SUCCESS", "PENDING", "open"],
  state: ["open", "approved", "rejected", "expired"],
  limit: ["1", "100", "0", "1000000"],
  cursor: ["abc"],
  q: ["SO"],
  channel: [EXISTING.channel],
  warehouse: [EXISTING.warehouse],
  exceptions: ["true", "only"],
  sort: ["newest", "oldest"],
  offset: ["0", "-1"],
  since: ["2025-01-01T00:00:00Z"],
  after: ["0"],
  only: ["changed"],
  action: ["auth.sign_in"],
  outcome: ["denied"],
  from: ["2025-01-01"],
  to: ["2025-12-31"],
  actor: ["admin"],
};

const queryNamesOf = (schema: Operation["query"]) => (schema ? Object.keys(schema.shape) : []);

/** The REST API: every operation, its path parameters, query names and body from its contract. */
const REST: RouteSpec[] = OPERATIONS.map((op) => {
  const url = `/api/v1${op.path.replace(/\{(\w+)\}/g, "[$1]")}`;
  const params = Object.fromEntries(
    Object.keys(op.params?.shape ?? {}).map((name) => [name, KNOWN_PARAMS[name] ?? hostileString]),
  );
  const query = Object.fromEntries(queryNamesOf(op.query).map((name) => [name, KNOWN_QUERY[name] ?? []]));
  const sample = (op.body?.example ?? {}) as Record<string, unknown>;
  return {
    file: `${url.slice(1)}/route.ts`,
    method: op.method.toUpperCase(),
    url,
    params,
    query,
    ...(op.body ? { body: jsonBody(sample), mediaType: "application/json" } : {}),
    ...(op.upload ? { body: csvBody, mediaType: "text/csv" } : {}),
    auth: "api-key" as const,
  };
});

const SCREEN_ROUTES: RouteSpec[] = [
  {
    file: "api/batches/route.ts",
    method: "POST",
    url: "/api/batches",
    params: {},
    query: {
      kind: KNOWN_QUERY.kind ?? [],
      mode: KNOWN_QUERY.mode ?? [],
      reasonCode: [TEST_REASON],
      fileName: ["a"],
    },
    body: csvBody,
    mediaType: "text/csv",
    auth: "session",
  },
  ...(["errors.csv", "items", "progress"] as const).map(
    (leaf): RouteSpec => ({
      file: `api/batches/[id]/${leaf}/route.ts`,
      method: "GET",
      url: `/api/batches/[id]/${leaf}`,
      params: { id: KNOWN_PARAMS.id as fc.Arbitrary<string> },
      query: (leaf === "items"
        ? { offset: ["0"], limit: ["10"], status: ["ERROR"] }
        : { since: [], after: [], only: [] }) as Record<string, readonly string[]>,
      auth: "session",
    }),
  ),
  {
    file: "api/batches/[id]/items/[seq]/route.ts",
    method: "GET",
    url: "/api/batches/[id]/items/[seq]",
    params: { id: KNOWN_PARAMS.id as fc.Arbitrary<string>, seq: KNOWN_PARAMS.seq as fc.Arbitrary<string> },
    query: {},
    auth: "session",
  },
  {
    file: "api/templates/[kind]/route.ts",
    method: "GET",
    url: "/api/templates/[kind]",
    params: { kind: KNOWN_PARAMS.kind as fc.Arbitrary<string> },
    query: {},
    auth: "session",
  },
  {
    file: "api/audit/export/route.ts",
    method: "GET",
    url: "/api/audit/export",
    params: {},
    query: Object.fromEntries(
      ["action", "outcome", "from", "to", "actor"].map((n) => [n, KNOWN_QUERY[n] ?? []]),
    ),
    auth: "session",
  },
  ...["api/health", "api/v1/openapi.json", "api/docs", "api/docs/scalar.js"].map((url) => ({
    file: `${url}/route.ts`,
    method: "GET",
    url: `/${url}`,
    params: {},
    query: {},
    auth: "none" as const,
  })),
  ...(["GET", "POST"] as const).map((method) => ({
    file: "api/auth/[...all]/route.ts",
    method,
    url: "/api/auth/[...all]",
    params: {},
    catchAll: "all",
    query: {},
    ...(method === "POST"
      ? {
          body: jsonBody({ email: "admin@demo.test", password: DEMO_PASSWORD, callbackURL: "/" }),
          mediaType: "application/json",
        }
      : {}),
    auth: "none" as const,
  })),
];

/** Every server action with an input that passes validation; the property mutates it. */
const ACTIONS: { file: string; name: string; sample: Record<string, unknown>; runs?: number }[] = [
  { file: "(app)/_actions/set-locale.ts", name: "setLocaleAction", sample: { locale: "de-DE" } },
  { file: "(app)/_actions/sign-out.ts", name: "signOutAction", sample: {}, runs: 3 },
  {
    file: "(app)/settings/api-keys/_actions/create-api-key.ts",
    name: "createApiKeyAction",
    sample: { name: "hostile", scopes: ["read"] },
  },
  {
    file: "(app)/settings/api-keys/_actions/revoke-api-key.ts",
    name: "revokeApiKeyAction",
    sample: { id: EXISTING.uuid },
  },
  {
    file: "(app)/settings/users/_actions/invite-user.ts",
    name: "inviteUserAction",
    sample: { name: "Hostile Invitee", email: "hostile@example.test", role: "viewer" },
  },
  {
    file: "(app)/settings/users/_actions/change-role.ts",
    name: "changeRoleAction",
    sample: { userId: "no-such-user", role: "viewer" },
  },
  {
    file: "(app)/settings/users/_actions/disable-user.ts",
    name: "disableUserAction",
    sample: { userId: "no-such-user" },
  },
  {
    file: "(app)/settings/users/_actions/enable-user.ts",
    name: "enableUserAction",
    sample: { userId: "no-such-user" },
  },
  {
    file: "(app)/settings/users/_actions/reset-password.ts",
    name: "resetPasswordAction",
    sample: { userId: "no-such-user" },
  },
  {
    file: "(auth)/invite/[token]/_actions/set-password.ts",
    name: "setPasswordAction",
    sample: { token: "no-such-token", password: "hostile-password-123", confirm: "hostile-password-123" },
  },
  {
    file: "(app)/cancellations/_actions/cancel-sub-order.ts",
    name: "cancelSubOrderAction",
    sample: { subOrderId: EXISTING.subOrder, mode: "strict", reasonCode: TEST_REASON },
  },
  {
    file: "(app)/cancellations/_actions/lookup-sub-order.ts",
    name: "lookupSubOrderAction",
    sample: { subOrderId: EXISTING.subOrder },
  },
  {
    file: "(app)/cancellations/_actions/preview-batch.ts",
    name: "previewBatchAction",
    sample: { batchId: EXISTING.uuid },
  },
  {
    file: "(app)/cancellations/_actions/start-batch.ts",
    name: "startBatchAction",
    sample: { batchId: EXISTING.uuid },
  },
  {
    file: "(app)/cancellations/_actions/update-draft.ts",
    name: "updateDraftAction",
    sample: { batchId: EXISTING.uuid, reasonCode: TEST_REASON },
  },
  {
    file: "(app)/orders/[id]/_actions/cancel-order-lines.ts",
    name: "cancelOrderLinesAction",
    sample: { orderId: "ORD-HR-MISSING", reasonCode: TEST_REASON, lines: [{ lineItemId: 1, quantity: 1 }] },
  },
  {
    file: "(app)/orders/[id]/_actions/update-exception.ts",
    name: "updateExceptionAction",
    sample: {
      orderId: "ORD-HR-MISSING",
      exceptionId: EXISTING.uuid,
      steps: { customerTold: true, acknowledged: false, sellerSupportContacted: false },
    },
  },
  {
    file: "(app)/cancel-requests/_actions/decide.ts",
    name: "approveCancelRequestAction",
    sample: { id: EXISTING.uuid },
  },
  {
    file: "(app)/cancel-requests/_actions/decide.ts",
    name: "rejectCancelRequestAction",
    sample: { id: EXISTING.uuid, note: "Already shipped" },
  },
  {
    file: "(app)/batches/_actions/retry-failed-rows.ts",
    name: "retryFailedRowsAction",
    sample: { batchId: EXISTING.uuid },
  },
  {
    file: "(app)/sync/_actions/retry-notification.ts",
    name: "retryNotificationAction",
    sample: { cancellationId: EXISTING.uuid },
  },
  {
    file: "(app)/sync/_actions/retry-dead-notifications.ts",
    name: "retryDeadNotificationsAction",
    sample: { channelId: EXISTING.channel },
  },
  {
    file: "(app)/settings/connectors/_actions/update-connector.ts",
    name: "updateConnectorAction",
    sample: {
      target: "channel",
      id: EXISTING.channel,
      connector: "manual",
      baseUrl: "",
      apiKey: "",
      token: "",
      timeoutMs: "5000",
      maxAttempts: "3",
      enabled: "on",
    },
  },
  {
    file: "(app)/settings/reasons/_actions/add-reason.ts",
    name: "addReasonAction",
    sample: { code: "HOSTILE_REASON", label: "Hostile", initiator: "seller" },
  },
  {
    file: "(app)/settings/reasons/_actions/rename-reason.ts",
    name: "renameReasonAction",
    sample: { code: TEST_REASON, label: "Renamed" },
  },
  {
    file: "(app)/settings/reasons/_actions/set-reason-active.ts",
    name: "setReasonActiveAction",
    sample: { code: "NO_SUCH_REASON", active: true },
  },
  {
    file: "(app)/settings/reasons/_actions/reason-mapping.ts",
    name: "saveReasonMappingAction",
    sample: { channelId: EXISTING.channel, reasonCode: TEST_REASON, channelCode: "T" },
  },
  {
    file: "(app)/settings/reasons/_actions/reason-mapping.ts",
    name: "removeReasonMappingAction",
    sample: { channelId: "CH-HR-MISSING", reasonCode: "RETIRED" },
  },
  {
    file: "(app)/settings/connectors/_actions/update-channel-policy.ts",
    name: "updateChannelPolicyAction",
    sample: { channelId: EXISTING.channel, partialQuantities: "partial" },
  },
  {
    file: "(app)/_actions/reason-mapping-warning.ts",
    name: "getReasonMappingWarningAction",
    sample: { channelId: EXISTING.channel, reasonCode: TEST_REASON },
  },
];

/** An action's input: the sample mutated (as an object or as the form's FormData), anything at all. */
function actionInput(sample: Record<string, unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: mutated(sample) },
    {
      weight: 2,
      arbitrary: mutated(sample).map((values) => {
        const form = new FormData();
        for (const [key, value] of Object.entries(values)) {
          form.append(key, typeof value === "string" ? value : (JSON.stringify(value) ?? ""));
        }
        return form;
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: hostileString },
    {
      weight: 1,
      arbitrary: fc.constantFrom(undefined, null, [], 0, Number.NaN, () => 1, new Date(Number.NaN)),
    },
  );
}

// --- calling and judging ------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: handlers and actions are imported by path and called loosely
type Module = Record<string, (...args: any[]) => Promise<unknown>>;
const load = async (file: string) => (await import(path.join(APP_DIR, file))) as Module;

type Figures = { faultsInjected: number; rowsProcessed: number; serverErrors: number };
const figures: Record<"REST API" | "screen routes" | "server actions", Figures> = {
  "REST API": { faultsInjected: 0, rowsProcessed: 0, serverErrors: 0 },
  "screen routes": { faultsInjected: 0, rowsProcessed: 0, serverErrors: 0 },
  "server actions": { faultsInjected: 0, rowsProcessed: 0, serverErrors: 0 },
};

/** What a message must not look like: a leaked object, a stack, SQL. */
const LEAK =
  /\[object Object\]|\bundefined\b.*\bundefined\b|\n\s+at |SQLSTATE|syntax error at or near|violates .* constraint/;

/** A 4xx problem's body says what is wrong; a field error names its field. Returns why not, or null. */
function judgeProblem(status: number, contentType: string, text: string): string | null {
  if (!contentType.includes("json")) return `a ${status} answered ${contentType || "no content type"}`;
  let body: {
    detail?: unknown;
    message?: unknown;
    code?: unknown;
    errors?: { field?: unknown; message?: unknown }[];
  };
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${status} whose body is not JSON: ${text.slice(0, 80)}`;
  }
  const detail = body.detail ?? body.message;
  if (typeof detail !== "string" || detail.trim() === "")
    return `a ${status} without a detail: ${text.slice(0, 120)}`;
  if (LEAK.test(detail)) return `a ${status} whose detail leaks: ${detail.slice(0, 160)}`;
  if (body.code === "INVALID_INPUT" && body.errors) {
    for (const e of body.errors) {
      if (
        typeof e.field !== "string" ||
        e.field === "" ||
        typeof e.message !== "string" ||
        e.message === ""
      ) {
        return `a field error without its field: ${JSON.stringify(e)}`;
      }
    }
    // The detail names the field ("quantity: …"), or is the message the errors list under it.
    const [first] = body.errors;
    if (first && first.field !== "_" && !detail.startsWith(`${first.field}: `) && first.message !== detail) {
      return `the detail does not name the field ${String(first.field)}: ${detail}`;
    }
  }
  return null;
}

/** The URL of a request: parameters percent-encoded as a client would (well-formed, so that it can be encoded). */
function urlOf(
  spec: RouteSpec,
  params: Record<string, string>,
  segments: string[],
  query: [string, string][],
) {
  const enc = (s: string) => encodeURIComponent(s.toWellFormed());
  let pathname = spec.url.replace(/\[(\w+)\]/g, (_, name: string) => enc(params[name] ?? ""));
  if (spec.catchAll) pathname = pathname.replace(`[...${spec.catchAll}]`, segments.map(enc).join("/"));
  const url = new URL(`${TEST_ORIGIN}${pathname}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  return url;
}

let apiKey: string;
let adminCookie: string;
const sessionHeaders = (cookie: string) =>
  new Headers({
    host: new URL(TEST_ORIGIN).host,
    origin: TEST_ORIGIN,
    cookie,
    [CLIENT_IP_HEADER]: "192.0.2.50",
  });

beforeAll(async () => {
  state.database = await createTestDatabase();
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  const db = state.database.db;
  await insertReferenceData(db);
  await insertSubOrder(db, EXISTING.subOrder, [
    { sku: "SKU-1", ordered: 5 },
    { sku: "SKU-2", ordered: 3 },
  ]);
  await seedDemoUsers(db);
  adminCookie = await signInCookie(getAuth(), "admin@demo.test", DEMO_PASSWORD);
  ({ secret: apiKey } = await createApiKey(
    {
      name: "hostile",
      scopes: ["read", "cancel", "orders:write", "requests:write"],
      createdBy: "demo-admin",
    },
    db,
  ));
  state.headers = sessionHeaders(adminCookie);
});

afterAll(async () => {
  for (const [group, f] of Object.entries(figures)) {
    recordCase({ case: `hostile requests: ${group}`, ...f, rowsLost: 0 });
  }
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await state.database?.drop();
});

describe("coverage", () => {
  test("every route handler and server action of the authorization table has a generator here", () => {
    const covered = new Set([
      ...[...REST, ...SCREEN_ROUTES].map((s) => `${s.file} ${s.method}`),
      ...ACTIONS.map((a) => `${a.file} ${a.name}`),
    ]);
    const all = Object.entries(ACCESS_RULES).flatMap(([file, exports]) =>
      Object.keys(exports).map((name) => `${file} ${name}`),
    );
    expect(all.filter((entry) => !covered.has(entry))).toEqual([]);
    expect([...covered].filter((entry) => !all.includes(entry))).toEqual([]);
    for (const spec of [...REST, ...SCREEN_ROUTES])
      expect(fs.existsSync(path.join(APP_DIR, spec.file))).toBe(true);
  });
});

/** `HOSTILE_RUNS_SCALE=10` for a longer sweep; the default keeps the file well under a minute. */
const SCALE = Number(process.env.HOSTILE_RUNS_SCALE ?? "1");
const ROUTE_RUNS = Math.round(20 * SCALE);

describe("route handlers: random input answers a 4xx problem (or an ordinary answer), never a 5xx", () => {
  test.each([...REST, ...SCREEN_ROUTES].map((spec) => ({ ...spec, name: `${spec.method} ${spec.url}` })))(
    "$name",
    async (spec) => {
      const group = spec.auth === "api-key" ? figures["REST API"] : figures["screen routes"];
      const handler = (await load(spec.file))[spec.method];
      if (!handler) throw new Error(`no ${spec.method} in ${spec.file}`);
      const paramNames = Object.keys(spec.params);
      await fc.assert(
        fc.asyncProperty(
          fc.tuple(...paramNames.map((name) => spec.params[name] as fc.Arbitrary<string>)),
          fc.array(hostileString, { minLength: 0, maxLength: 3 }),
          queryOf(spec.query),
          spec.body ?? fc.constant(undefined),
          mediaType(spec.mediaType ?? ""),
          fc.option(headerValue, { nil: undefined, freq: 4 }),
          async (values, segments, query, body, type, idempotencyKey) => {
            const params = Object.fromEntries(paramNames.map((name, i) => [name, values[i] as string]));
            const headers =
              spec.auth === "api-key"
                ? new Headers({ authorization: `Bearer ${apiKey}` })
                : sessionHeaders(adminCookie);
            if (spec.auth === "none") headers.delete("cookie");
            if (type) headers.set("content-type", type);
            if (idempotencyKey !== undefined) headers.set("idempotency-key", idempotencyKey);
            const request = new NextRequest(urlOf(spec, params, segments, query), {
              method: spec.method,
              headers,
              ...(spec.method === "GET" ? {} : { body: (body ?? null) as BodyInit | null }),
            });
            const context = {
              params: Promise.resolve(spec.catchAll ? { ...params, [spec.catchAll]: segments } : params),
            };
            group.rowsProcessed++;
            group.faultsInjected++;
            let response: Response;
            try {
              response = (await handler(request, context)) as Response;
            } catch (error) {
              group.serverErrors++;
              throw error;
            }
            const text = await response.text();
            if (response.status >= 500) {
              group.serverErrors++;
              expect.fail(`${spec.method} ${request.url} answered ${response.status}: ${text.slice(0, 300)}`);
            }
            if (response.status >= 400 && !spec.file.startsWith("api/auth/")) {
              const why = judgeProblem(response.status, response.headers.get("content-type") ?? "", text);
              expect(why, `${spec.method} ${request.url}`).toBeNull();
            }
          },
        ),
        { numRuns: ROUTE_RUNS, endOnFailure: true },
      );
    },
  );
});

const ACTION_RUNS = Math.round(15 * SCALE);

describe("server actions: random input answers a typed error result, never an exception or INTERNAL_ERROR", () => {
  test.each(ACTIONS)("$name", async ({ file, name, sample, runs }) => {
    const group = figures["server actions"];
    const action = (await load(file))[name];
    if (!action) throw new Error(`no ${name} in ${file}`);
    await fc.assert(
      fc.asyncProperty(actionInput(sample), async (input) => {
        // Signing out ends the session it runs in: give each call its own.
        if (name === "signOutAction") {
          state.headers = sessionHeaders(await signInCookie(getAuth(), "viewer@demo.test", DEMO_PASSWORD));
        }
        group.rowsProcessed++;
        group.faultsInjected++;
        let result: unknown;
        try {
          result = await action(input);
        } catch (error) {
          const digest = typeof error === "object" && error && "digest" in error ? String(error.digest) : "";
          // A redirect is how an action ends on purpose (sign-out, a password set): not an error.
          if (digest.startsWith("NEXT_REDIRECT")) return;
          group.serverErrors++;
          throw error;
        } finally {
          state.headers = sessionHeaders(adminCookie);
        }
        if (result === undefined) return; // an action that answers nothing (sign-out) when it works
        const r = result as {
          ok?: unknown;
          code?: unknown;
          message?: unknown;
          fieldErrors?: Record<string, unknown>;
        };
        expect(typeof r.ok, JSON.stringify(result)?.slice(0, 200)).toBe("boolean");
        if (r.ok) return;
        if (r.code === "INTERNAL_ERROR") {
          group.serverErrors++;
          expect.fail(`${name}(${String(JSON.stringify(input)).slice(0, 200)}): ${String(r.message)}`);
        }
        expect(typeof r.message === "string" && r.message.trim() !== "", JSON.stringify(result)).toBe(true);
        expect(String(r.message)).not.toMatch(LEAK);
        if (r.code === "INVALID_INPUT" && r.fieldErrors) {
          const fields = Object.keys(r.fieldErrors);
          expect(fields.length).toBeGreaterThan(0);
          // The message names the field ("name: …"), or is the message listed under that field.
          const [first] = fields;
          const listed = first ? r.fieldErrors[first] : undefined;
          const namesIt =
            first === "_" ||
            String(r.message).startsWith(`${first}: `) ||
            (Array.isArray(listed) && listed.includes(r.message));
          expect(namesIt, `${String(r.message)} (fields: ${fields.join(", ")})`).toBe(true);
        }
      }),
      { numRuns: runs ?? ACTION_RUNS, endOnFailure: true },
    );
  });
});
