import type { Auth } from "@/lib/auth/auth";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";

export const TEST_ORIGIN = "http://localhost:3000";

/** A request to better-auth's handler as a browser on this origin would send it. */
export function authRequest(
  path: string,
  init: {
    method?: string;
    body?: unknown;
    cookie?: string;
    ip?: string;
    headers?: Record<string, string>;
  } = {},
): Request {
  const headers = new Headers({ origin: TEST_ORIGIN, ...init.headers });
  if (init.body !== undefined) headers.set("content-type", "application/json");
  if (init.cookie) headers.set("cookie", init.cookie);
  if (init.ip) headers.set(CLIENT_IP_HEADER, init.ip);
  return new Request(`${TEST_ORIGIN}/api/auth${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** `name=value` pairs of every Set-Cookie of a response, ready for a Cookie header. */
export function cookieHeaderOf(setCookies: string[]): string {
  return setCookies
    .map((c) => c.split(";")[0] ?? "")
    .filter((pair) => pair.includes("=") && !pair.endsWith("="))
    .join("; ");
}

/**
 * Signs in through better-auth's server API (hooks run, the per-IP rate limiter does not) and
 * returns the Cookie header a browser would send afterwards.
 */
export async function signInCookie(
  auth: Auth,
  email: string,
  password: string,
  ip = "127.0.0.1",
): Promise<string> {
  const { headers } = await auth.api.signInEmail({
    body: { email, password },
    headers: new Headers({ origin: TEST_ORIGIN, [CLIENT_IP_HEADER]: ip }),
    returnHeaders: true,
  });
  const cookie = cookieHeaderOf(headers.getSetCookie());
  if (!cookie) throw new Error(`signing in ${email} set no cookie`);
  return cookie;
}
