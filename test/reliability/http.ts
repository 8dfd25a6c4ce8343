/**
 * HTTP helpers for the reliability cases that talk to `next start` as a browser or an integration
 * would: sign in through better-auth's endpoint, call a server action by its id (a POST with a
 * `Next-Action` header, the ids from the build's server-reference manifest), call the REST API with
 * a key. Every response body read through here is kept (`receivedBodies`), so a case can look for
 * secrets in everything the server answered.
 */
import fs from "node:fs";
import path from "node:path";
import type { Db } from "@/db/client";
import { createApiKey } from "@/lib/auth/api-keys";
import type { ApiScope, Role } from "@/lib/auth/permissions";
import { createUserWithPassword } from "@/lib/auth/users";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every response body read by these helpers in this test process, and the headers of each response. */
export const receivedBodies: string[] = [];

/** Every answer these helpers received: method, path and status. */
export const answers: { method: string; path: string; status: number }[] = [];

function keep(method: string, url: string, response: Response, text: string): void {
  receivedBodies.push(text, JSON.stringify([...response.headers]));
  answers.push({ method, path: new URL(url).pathname, status: response.status });
}

/** The password of every user the reliability cases create (not a demo login: production removes those). */
export const USER_PASSWORD = "reliability-user-password-41";

export const emailOf = (role: Role) => `${role}@reliability.test`;

/** One user per role, with USER_PASSWORD; their ids by role. */
export async function createRoleUsers(db: Db, roles: readonly Role[]): Promise<Map<Role, string>> {
  const ids = new Map<Role, string>();
  for (const role of roles) {
    const user = await createUserWithPassword(db, {
      email: emailOf(role),
      name: `Reliability ${role}`,
      role,
      password: USER_PASSWORD,
    });
    ids.set(role, user.id);
  }
  return ids;
}

/** An API key with `scopes`, made by user `createdBy`; its secret is returned (it must never show up in any output). */
export async function apiKey(db: Db, scopes: readonly ApiScope[], createdBy: string): Promise<string> {
  const { secret } = await createApiKey({ name: `reliability ${scopes.join("+")}`, scopes, createdBy }, db);
  return secret;
}

/** Signs in over HTTP (POST /api/auth/sign-in/email) and returns the Cookie header for later requests. */
export async function signIn(baseUrl: string, email: string, password = USER_PASSWORD): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
  keep("POST", response.url, response, await response.text());
  if (!response.ok) throw new Error(`signing in ${email}: ${response.status}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0] ?? "")
    .filter((pair) => pair.includes("=") && !pair.endsWith("="))
    .join("; ");
  if (!cookie) throw new Error(`signing in ${email} set no cookie`);
  return cookie;
}

export type ActionRef = { id: string; file: string; name: string; page: string };

/**
 * Every server action of the build: `app/`-relative file (as app/authorization.test.ts names them)
 * and export name → its id and a page that carries it (the POST goes to that page's path).
 */
export function serverActions(): Map<string, ActionRef> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }> };
  const actions = new Map<string, ActionRef>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const file = entry.filename.replace(/^app\//, "");
    const worker = Object.keys(entry.workers)[0] ?? "app/page";
    actions.set(`${file}#${entry.exportedName}`, {
      id,
      file,
      name: entry.exportedName,
      page: pagePath(worker),
    });
  }
  return actions;
}

/** "app/(app)/orders/[id]/page" → "/orders/x": route groups dropped, dynamic segments filled in. */
function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? "x" : s));
  return `/${segments.join("/")}`;
}

export type ActionResponse = {
  status: number;
  headers: Headers;
  /** The action's return value (the RSC payload's answer row), or undefined when there was none. */
  value: unknown;
  text: string;
};

/**
 * Calls a server action as the browser does: POST to its page with `Next-Action: <id>` and the
 * arguments JSON-encoded (plain JSON values encode as themselves in React's reply format).
 */
export async function callAction(
  baseUrl: string,
  action: ActionRef,
  args: unknown[],
  options: { cookie?: string; origin?: string; page?: string } = {},
): Promise<ActionResponse> {
  const headers: Record<string, string> = {
    accept: "text/x-component",
    "content-type": "text/plain;charset=UTF-8",
    "next-action": action.id,
    origin: options.origin ?? baseUrl,
  };
  if (options.cookie) headers.cookie = options.cookie;
  const page = options.page ?? action.page;
  const response = await fetch(`${baseUrl}${page}`, {
    method: "POST",
    headers,
    body: JSON.stringify(args),
    redirect: "manual",
  });
  const text = await response.text();
  keep("POST", `${baseUrl}${page}`, response, text);
  return { status: response.status, value: actionValue(text), text, headers: response.headers };
}

/**
 * The value an action returned, from the RSC payload: rows `<id>:<json>`; row 0 is
 * `{"a":"$@1",...}` naming the row that holds the answer.
 */
export function actionValue(text: string): unknown {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  const head = rows.get("0");
  if (head === undefined) return undefined;
  try {
    const root = JSON.parse(head) as { a?: unknown };
    if (typeof root.a === "string" && root.a.startsWith("$@")) {
      const row = rows.get(root.a.slice(2));
      return row === undefined ? undefined : JSON.parse(row);
    }
    return root.a;
  } catch {
    return undefined;
  }
}

/** A fetch that keeps the body it read. */
export async function request(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; text: string; json: unknown; headers: Headers }> {
  const response = await fetch(url, { redirect: "manual", ...init });
  const text = await response.text();
  keep(init.method ?? "GET", url, response, text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}

/** A REST call with an API key and a JSON body. */
export function api(
  baseUrl: string,
  key: string,
  method: string,
  apiPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return request(`${baseUrl}/api/v1${apiPath}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
