import "server-only";
import { type DbOrTx, getDb } from "@/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { type Auth, getAuth } from "./auth";
import { getClientIp } from "./client-ip";

const SIGN_IN_PATH = "/api/auth/sign-in/email";

async function emailOf(request: Request): Promise<string> {
  try {
    const body = (await request.json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 320) : "";
  } catch {
    return "";
  }
}

/**
 * better-auth's handler for /api/auth/*. Its hooks audit every sign-in that reaches the endpoint;
 * an attempt its per-IP rate limiter turns away (429) never does, so that one is audited here.
 */
export async function handleAuthRequest(
  request: Request,
  auth: Auth = getAuth(),
  db: DbOrTx = getDb(),
): Promise<Response> {
  const isSignIn = request.method === "POST" && new URL(request.url).pathname === SIGN_IN_PATH;
  const copy = isSignIn ? request.clone() : undefined;
  const response = await auth.handler(request);
  // The per-IP limiter's refusal carries X-Retry-After; the per-account lock (a hook) is audited
  // where it happens.
  if (copy && response.status === 429 && response.headers.has("X-Retry-After")) {
    const email = await emailOf(copy);
    await recordAuditEvent(
      {
        actor: { type: "anonymous", id: null, label: email || "(no email)" },
        action: "auth.sign_in",
        outcome: "failure",
        sourceIp: getClientIp(request.headers),
        detail: { code: "RATE_LIMITED", reason: "too many sign-in attempts from this address" },
      },
      db,
    );
  }
  return response;
}
