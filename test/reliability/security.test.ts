/**
 * Security regressions over HTTP against `next start`: every route handler (found by scanning
 * app/**\/route.ts) and every server action (ids from the build's server-reference manifest),
 * called without a session, as each role, and from another site, answers exactly as
 * test/authorization-rules.ts (the table app/authorization.test.ts checks in-process) says; REST
 * handlers take only a key with their scope; an oversized body is 413, never a 5xx; and nothing
 * this run's processes printed, nor any answer they gave, holds a configured secret.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FAKE_DROPSHIP_TOKEN } from "@/dev/fakes/dropship";
import { FAKE_WMS_API_KEY } from "@/dev/fakes/wms";
import { API_SCOPES, type ApiScope, ROLES, type Role } from "@/lib/auth/permissions";
import { ACCESS_RULES, CALLERS, expectedOutcome, type Outcome, type Rule } from "@/test/authorization-rules";
import {
  connectFixtures,
  createSubOrderBatch,
  insertReferenceData,
  insertSubOrder,
  ledgerReport,
  TEST_REASON,
  waitFor,
} from "@/test/fixtures";
import {
  type ActionRef,
  answers,
  api,
  apiKey,
  callAction,
  createRoleUsers,
  emailOf,
  receivedBodies,
  request,
  serverActions,
  signIn,
  USER_PASSWORD,
} from "./http";
import { recordCase } from "./results";
import {
  capturedOutput,
  createReliabilityDatabase,
  type FakesProcess,
  type ManagedProcess,
  RUN_SECRETS,
  startFakesProcess,
  startWeb,
  startWorker,
  type WebProcess,
} from "./stack";

const PORT = 3217;
const APP_DIR = path.resolve(import.meta.dirname, "../../app");
const EVIL_ORIGIN = "https://evil.example";
/** Over every JSON and action limit (1 MB), under Next's 10 MB proxy buffer. */
const OVERSIZED_JSON = 2 * 1024 * 1024;
/** Over the CSV upload limit (50 MB). */
const OVERSIZED_CSV = 51 * 1024 * 1024;

let database: Awaited<ReturnType<typeof createReliabilityDatabase>>;
let web: WebProcess;
let worker: ManagedProcess;
let fakes: FakesProcess;
const cookies = new Map<Role, string>();
const keys = new Map<string, string>();
const secrets: string[] = [];
let batchId = "";
let hostile = 0;
const started = Date.now();

// --- what there is to call ---------------------------------------------------------------------

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /^route\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every route handler under app/ and its methods, as the file exports them. */
const ROUTES = sourceFiles(APP_DIR).map((full) => {
  const file = path.relative(APP_DIR, full).split(path.sep).join("/");
  const code = fs.readFileSync(full, "utf8");
  const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].filter((m) =>
    new RegExp(`export (const|async function|function) ${m}\\b|export \\{[^}]*\\b${m}\\b`).test(code),
  );
  return { file, methods };
});

/** The inputs a route needs beyond its path; anything not here gets a JSON `{}` (POST, PUT). */
const ROUTE_INPUTS: Record<string, { query?: string; contentType?: string; body?: string }> = {
  "api/audit/export/route.ts#GET": { query: "outcome=denied" },
  "api/batches/route.ts#POST": {
    query: `kind=sub_orders&mode=strict&reasonCode=${TEST_REASON}&fileName=security.csv`,
    contentType: "text/csv",
    body: "Sub Order ID\r\nSO-SEC-MISSING\r\n",
  },
  "api/v1/cancellation-batches/route.ts#POST": {
    query: `kind=sub_orders&reasonCode=${TEST_REASON}&fileName=security.csv`,
    contentType: "text/csv",
    body: "Sub Order ID\r\nSO-SEC-MISSING\r\n",
  },
  "api/v1/orders/route.ts#GET": { query: "q=SEC&limit=5" },
  "api/v1/channels/[channelId]/cancel-requests/route.ts#GET": { query: "state=open" },
  "api/v1/sub-orders/[id]/cancel/route.ts#POST": { body: JSON.stringify({ reasonCode: TEST_REASON }) },
  "api/v1/sub-orders/[id]/lines/[sku]/cancel/route.ts#POST": {
    body: JSON.stringify({ reasonCode: TEST_REASON, newQuantity: 0 }),
  },
  "api/v1/orders/[id]/cancel/route.ts#POST": { body: JSON.stringify({ reasonCode: TEST_REASON }) },
  "api/auth/[...all]/route.ts#POST": {
    body: JSON.stringify({ email: emailOf("viewer"), password: USER_PASSWORD }),
  },
};

/** The path of a route file with its dynamic segments filled in (missing ids: refusals, not errors). */
function routePath(file: string, method: string): string {
  const values: Record<string, string> = {
    // A real batch to read; to start or retry, one that does not exist (a draft another user
    // uploaded would be refused for that, not for the key).
    "[id]": file.includes("batches")
      ? method === "GET"
        ? batchId
        : crypto.randomUUID()
      : file.includes("orders/[id]")
        ? "ORD-SEC-MISSING"
        : "SO-SEC-MISSING",
    "[sku]": "A",
    "[seq]": "1",
    "[kind]": "sub_orders",
    "[channelId]": "CH-TEST",
    "[channelOrderId]": "SEC-ORDER",
    "[warehouseId]": "WH-MANUAL",
    "[...all]": method === "GET" ? "get-session" : "sign-in/email",
  };
  const segments = file
    .replace(/\/?route\.tsx?$/, "")
    .split("/")
    .map((s) => values[s] ?? s);
  return `/${segments.join("/")}`;
}

async function callRoute(
  file: string,
  method: string,
  options: { cookie?: string; key?: string; origin?: string; body?: string; contentType?: string } = {},
) {
  const input = ROUTE_INPUTS[`${file}#${method}`] ?? {};
  const hasBody = method === "POST" || method === "PUT" || method === "PATCH";
  const body = options.body ?? input.body ?? (hasBody ? "{}" : undefined);
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  // Requests without a key are limited per address (30 a minute): each comes from an address of
  // its own, through the proxy the web process trusts.
  else headers["x-forwarded-for"] = nextAddress();
  if (options.origin) headers.origin = options.origin;
  else if (hasBody && !options.key) headers.origin = web.url;
  if (body !== undefined)
    headers["content-type"] = options.contentType ?? input.contentType ?? "application/json";
  if (file.includes("cancel") && hasBody) headers["idempotency-key"] = crypto.randomUUID();
  const query = input.query ? `?${input.query}` : "";
  return request(`${web.url}${routePath(file, method)}${query}`, { method, headers, body });
}

let addresses = 0;
function nextAddress(): string {
  addresses += 1;
  return `198.18.${Math.floor(addresses / 250) % 250}.${(addresses % 250) + 1}`;
}

function routeOutcome(status: number): Outcome {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  return "allowed";
}

function actionOutcome(response: { status: number; value: unknown; headers: Headers }): Outcome {
  const redirect = response.headers.get("x-action-redirect") ?? "";
  if (redirect.includes("/sign-in")) return "unauthenticated";
  if (response.status === 401) return "unauthenticated";
  if (response.status === 403) return "forbidden";
  const value = response.value as { ok?: boolean; code?: string } | undefined;
  if (value?.ok === false && value.code === "UNAUTHENTICATED") return "unauthenticated";
  if (value?.ok === false && value.code === "FORBIDDEN") return "forbidden";
  return "allowed";
}

/** Writes that read no body or take any size of it and refuse it as input. */
const NO_SIZE_LIMIT = new Set(["api/v1/cancellation-batches/[id]/retry-failed/route.ts#POST"]);

const actionFiles = Object.keys(ACCESS_RULES).filter((file) => !/(^|\/)route\.tsx?$/.test(file));
const actionCases = actionFiles.flatMap((file) =>
  Object.entries(ACCESS_RULES[file] ?? {}).map(([name, rule]) => ({ file, name, rule })),
);
const routeCases = ROUTES.flatMap(({ file, methods }) =>
  methods.map((method) => ({ file, method, rule: ACCESS_RULES[file]?.[method] })),
);
const scopeOf = (rule: Rule | undefined): ApiScope | undefined =>
  typeof rule === "object" ? rule.apiScope : undefined;

function action(file: string, name: string): ActionRef {
  const ref = serverActions().get(`${file}#${name}`);
  if (!ref) throw new Error(`${file} ${name} is not in .next/server/server-reference-manifest.json`);
  return ref;
}

async function batchCount(): Promise<number> {
  const { rows } = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM batches`);
  return rows[0]?.n ?? 0;
}

async function sessionUser(cookie: string): Promise<string | null> {
  const response = await request(`${web.url}/api/auth/get-session`, { headers: { cookie } });
  return (response.json as { user?: { email?: string } } | null)?.user?.email ?? null;
}

// --- the run -------------------------------------------------------------------------------------

beforeAll(async () => {
  database = await createReliabilityDatabase(10);
  await insertReferenceData(database.db);
  [web, fakes] = await Promise.all([
    startWeb(database.url, PORT, { TRUSTED_PROXIES: "127.0.0.1,::1,::ffff:127.0.0.1" }),
    startFakesProcess(database.url),
  ]);
  worker = startWorker(database.url);
  await connectFixtures(database.db, {
    wms: { url: fakes.urls.wms, apiKey: FAKE_WMS_API_KEY, timeoutMs: 1_000 },
    channel: { connector: "dropship", url: fakes.urls.dropship, token: FAKE_DROPSHIP_TOKEN, maxAttempts: 3 },
  });
  const users = await createRoleUsers(database.db, ROLES);
  const admin = users.get("admin") ?? "";
  for (const scope of API_SCOPES) {
    keys.set(scope, await apiKey(database.db, [scope], admin));
    keys.set(
      `all but ${scope}`,
      await apiKey(
        database.db,
        API_SCOPES.filter((s) => s !== scope),
        admin,
      ),
    );
  }
  keys.set("all", await apiKey(database.db, API_SCOPES, admin));
  for (const role of ROLES) cookies.set(role, await signIn(web.url, emailOf(role)));
  batchId = await createSubOrderBatch(database.db, ["SO-SEC-MISSING"], { fileSha256: "security" });
  secrets.push(
    ...Object.values(RUN_SECRETS),
    ...keys.values(),
    USER_PASSWORD,
    FAKE_WMS_API_KEY,
    FAKE_DROPSHIP_TOKEN,
  );
});

afterAll(async () => {
  await Promise.all([web?.kill(), worker?.kill(), fakes?.close()]);
  await database?.drop();
});

describe("security over HTTP", () => {
  test("the scan finds the route handlers and the build has every action in the rules", () => {
    expect(routeCases.length).toBeGreaterThan(20);
    const unruled = routeCases.filter((c) => c.rule === undefined).map((c) => `${c.file} ${c.method}`);
    expect(unruled, "add these to test/authorization-rules.ts").toEqual([]);
    const built = [...serverActions().values()].map((a) => `${a.file}#${a.name}`);
    const known = actionCases.map((c) => `${c.file}#${c.name}`);
    expect(
      built.filter((a) => !known.includes(a)),
      "actions of the build without a rule",
    ).toEqual([]);
    expect(
      known.filter((a) => !built.includes(a)),
      "rules without an action in the build",
    ).toEqual([]);
  });

  test("every route handler, as nobody and as each role, answers as its rule says", async () => {
    const wrong: string[] = [];
    for (const { file, method, rule } of routeCases) {
      if (!rule) continue;
      for (const caller of CALLERS) {
        const cookie = caller === "nobody" ? undefined : cookies.get(caller);
        const response = await callRoute(file, method, { cookie });
        const want = expectedOutcome(rule, caller);
        const got = routeOutcome(response.status);
        if (response.status >= 500 || got !== want)
          wrong.push(`${method} ${file} as ${caller}: ${response.status} (${got}), want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every REST handler takes a key with its scope, and only that", async () => {
    const wrong: string[] = [];
    for (const { file, method, rule } of routeCases) {
      const scope = scopeOf(rule);
      if (!scope) continue;
      const none = await callRoute(file, method, {});
      const without = await callRoute(file, method, { key: keys.get(`all but ${scope}`) });
      const withIt = await callRoute(file, method, { key: keys.get(scope) });
      hostile += 2;
      const got = [none.status, without.status, withIt.status];
      if (
        none.status !== 401 ||
        without.status !== 403 ||
        [401, 403].includes(withIt.status) ||
        withIt.status >= 500
      )
        wrong.push(
          `${method} ${file} (${scope}): no key ${got[0]}, others ${got[1]}, with it ${got[2]} ${withIt.text.slice(0, 200)}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  test("every server action, as nobody and as each role, answers as its rule says", async () => {
    const wrong: string[] = [];
    for (const { file, name, rule } of actionCases) {
      const ref = action(file, name);
      for (const caller of CALLERS) {
        if (name === "signOutAction") {
          // Signing out ends the session: a fresh one, judged by whether it still works afterwards.
          const cookie = caller === "nobody" ? undefined : await signIn(web.url, emailOf(caller));
          const response = await callAction(web.url, ref, [], { cookie });
          const ended = cookie === undefined || (await sessionUser(cookie)) === null;
          const got: Outcome =
            caller === "nobody" ? actionOutcome(response) : ended ? "allowed" : "unauthenticated";
          const want = expectedOutcome(rule, caller);
          if (response.status >= 500 || got !== want)
            wrong.push(`${name} as ${caller}: ${response.status} (${got}), want ${want}`);
          continue;
        }
        // `{}` is refused by every action's input check, which runs only after the permission check:
        // an allowed caller learns "invalid input", a refused one "sign in" or "forbidden".
        const cookie = caller === "nobody" ? undefined : cookies.get(caller);
        const response = await callAction(web.url, ref, [{}], { cookie });
        const got = actionOutcome(response);
        const want = expectedOutcome(rule, caller);
        if (response.status >= 500 || got !== want)
          wrong.push(`${name} as ${caller}: ${response.status} (${got}), want ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("from another site: every action and every cookie-authenticated write is refused, and nothing happens", async () => {
    const admin = cookies.get("admin") ?? "";
    const wrong: string[] = [];
    const batchesBefore = await batchCount();
    for (const { file, name } of actionCases) {
      const response = await callAction(web.url, action(file, name), [{}], {
        cookie: admin,
        origin: EVIL_ORIGIN,
      });
      hostile += 1;
      if (response.status !== 403) wrong.push(`${name}: ${response.status}`);
    }
    // Had signOutAction run, the admin's session would be gone.
    expect(await sessionUser(admin)).toBe(emailOf("admin"));
    for (const { file, method, rule } of routeCases) {
      if (!rule || scopeOf(rule)) continue;
      const response = await callRoute(file, method, { cookie: admin, origin: EVIL_ORIGIN });
      hostile += 1;
      const write = method !== "GET" && method !== "HEAD";
      if (write && response.status !== 403) wrong.push(`${method} ${file}: ${response.status}`);
      // No route opens itself to another site's scripts.
      const allow = response.headers.get("access-control-allow-origin");
      if (allow === EVIL_ORIGIN || (allow && response.headers.get("access-control-allow-credentials")))
        wrong.push(`${method} ${file}: Access-Control-Allow-Origin ${allow}`);
      if (response.status >= 500) wrong.push(`${method} ${file}: ${response.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await batchCount()).toBe(batchesBefore);
  });

  test("oversized bodies are 413, never a 5xx", async () => {
    const admin = cookies.get("admin") ?? "";
    const json = JSON.stringify({ reasonCode: "x".repeat(OVERSIZED_JSON) });
    const csv = `Sub Order ID\r\n${"SO-SEC-MISSING\r\n".repeat(Math.ceil(OVERSIZED_CSV / 16))}`;
    const wrong: string[] = [];
    for (const { file, method, rule } of routeCases) {
      if (method === "GET" || method === "HEAD" || !rule) continue;
      const isCsv = (ROUTE_INPUTS[`${file}#${method}`]?.contentType ?? "") === "text/csv";
      const scope = scopeOf(rule);
      const response = await callRoute(file, method, {
        ...(scope ? { key: keys.get("all") } : { cookie: admin }),
        body: isCsv ? csv : json,
      });
      hostile += 1;
      // retry-failed reads no body.
      const want = NO_SIZE_LIMIT.has(`${file}#${method}`)
        ? response.status >= 400 && response.status < 500
        : response.status === 413;
      if (!want) wrong.push(`${method} ${file}: ${response.status}`);
    }
    for (const { file, name } of actionCases) {
      const response = await callAction(
        web.url,
        action(file, name),
        [{ input: "x".repeat(OVERSIZED_JSON) }],
        {
          cookie: admin,
        },
      );
      hostile += 1;
      if (response.status !== 413) wrong.push(`${name}: ${response.status}`);
    }
    expect(wrong).toEqual([]);
  });

  test("connector traffic with failures: the warehouse and the channel asked with their credentials", async () => {
    // Real use of the stored credentials, with failures that get logged: the WMS answers 500 at
    // first (the cancellation waits, reserved), then accepts; the channel refuses for a while.
    await insertSubOrder(database.db, "SO-SEC-WMS", [{ sku: "A", ordered: 2 }], "WH-WMS");
    await fakes.setMode("wms", "error500");
    await fakes.setMode("dropship", "error500");
    const response = await api(
      web.url,
      keys.get("cancel") ?? "",
      "POST",
      "/sub-orders/SO-SEC-WMS/cancel",
      {
        reasonCode: TEST_REASON,
        mode: "strict",
      },
      { "idempotency-key": crypto.randomUUID() },
    );
    expect(response.status).toBe(202);
    await fakes.setMode("wms", "ok");
    await waitFor(
      async () => (await ledgerReport(database.db)).pendingEntries === 0,
      30_000,
      "the warehouse's answer",
    );
    // The channel is told through the outbox: refused (500) first, then accepted.
    await waitFor(
      async () => (await fakes.report("dropship")).requests.length > 0,
      30_000,
      "the channel's first notification",
    );
    await fakes.setMode("dropship", "ok");
    await waitFor(
      async () => {
        const { rows } = await database.db.execute<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM channel_notifications WHERE state = 'delivered'`,
        );
        return (rows[0]?.n ?? 0) > 0;
      },
      30_000,
      "the channel's notification delivered",
    );
    const wms = await fakes.report("wms");
    expect(wms.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(wms.requests.map((r) => r.idempotencyKey)).size).toBe(1);
    expect((await ledgerReport(database.db)).reservedUnits).toBe(0);
  });

  test("no secret in any process's output or any answer of the run", async () => {
    // The workers' last lines: let them flush.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const haystacks = [...capturedOutput, ...receivedBodies];
    expect(secrets.every((s) => s.length >= 12)).toBe(true);
    const leaks = secrets.flatMap((secret) => {
      const hits = haystacks.filter((text) => text.includes(secret));
      return hits.length ? [`${secret.slice(0, 6)}…: ${hits.length} (${hits[0]?.slice(0, 200)})`] : [];
    });
    const serverErrors = answers.filter((a) => a.status >= 500);
    recordCase({
      case: "security: every route and action × role, nobody, other site; oversized bodies; secrets in output",
      faultsInjected: hostile,
      rowsProcessed: answers.length,
      serverErrors: serverErrors.length,
    });
    console.log(
      `security: ${answers.length} requests, ${hostile} hostile, ${serverErrors.length} 5xx, ${capturedOutput.length} lines of output and ${receivedBodies.length} bodies and headers scanned for ${secrets.length} secrets, ${leaks.length} leaked, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(leaks).toEqual([]);
    expect(serverErrors).toEqual([]);
  });
});
