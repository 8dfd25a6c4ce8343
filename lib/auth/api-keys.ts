import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { type DbOrTx, getDb } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { problemOf, problemResponse } from "@/lib/api/problem";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { type ErrorCode, type ErrorParams, errorMessage } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import { env } from "@/lib/env";
import { getClientIp } from "./client-ip";
import type { ApiScope } from "./permissions";
import { consumeRateLimit } from "./rate-limit";

/** Keys look like `oms_` + 43 base64url characters (32 random bytes). */
export const API_KEY_PREFIX = "oms_";
/** How many leading characters of a key are kept and shown, so people can tell keys apart. */
const SHOWN_CHARS = API_KEY_PREFIX.length + 8;
/** last_used_at is written at most this often per key, so busy keys do not write on every call. */
const LAST_USED_PRECISION_MS = 30_000;

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  createdByName: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** The caller of an API request: the services' `Actor`, with the key's name for logs and batches. */
export type ApiKeyActor = Actor & { type: "api_key"; name: string };

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

const summaryColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  createdByName: users.name,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/**
 * Creates a key and returns its secret: the only time it exists outside the caller's hands, since
 * only its SHA-256 is stored.
 */
export async function createApiKey(
  input: { name: string; scopes: readonly ApiScope[]; createdBy: string },
  db: DbOrTx = getDb(),
): Promise<{ key: ApiKeySummary; secret: string }> {
  const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      prefix: secret.slice(0, SHOWN_CHARS),
      keyHash: hashApiKey(secret),
      scopes: [...new Set(input.scopes)],
      createdBy: input.createdBy,
    })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error("api key insert returned no row");
  const [key] = await listApiKeys(db, row.id);
  if (!key) throw new Error("api key vanished after insert");
  return { key, secret };
}

/** Every key, newest first (or the one with `id`). Never the hash. */
export async function listApiKeys(db: DbOrTx = getDb(), id?: string): Promise<ApiKeySummary[]> {
  return db
    .select(summaryColumns)
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(id ? eq(apiKeys.id, id) : undefined)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(500);
}

/** Revokes a key at once and for good. Revoking a revoked key keeps its first revocation time. */
export async function revokeApiKey(
  id: string,
  db: DbOrTx = getDb(),
  now: Date = new Date(),
): Promise<ApiKeySummary | null> {
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  const [key] = await listApiKeys(db, id);
  return key ?? null;
}

export type ApiAuthResult =
  | {
      ok: true;
      key: ApiKeySummary;
      actor: ApiKeyActor;
      sourceIp: string | null;
      /** The key's rate limit as `RateLimit-*` response headers. */
      rateLimitHeaders: Record<string, string>;
    }
  | { ok: false; response: Response };

function refusal<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
  headers: Record<string, string> = {},
): ApiAuthResult {
  return {
    ok: false,
    response: problemResponse(problemOf({ code, message: errorMessage(code, params) }), headers),
  };
}

/** Requests without a valid key allowed per client IP per minute: guessing keys is slowed down. */
export const INVALID_KEY_REQUESTS_PER_MINUTE = 30;

/** Counts a request without a valid key against its client IP; a refusal once over the limit. */
async function invalidKeyLimit(
  db: DbOrTx,
  sourceIp: string | null,
  now: Date,
): Promise<ApiAuthResult | null> {
  const limit = await consumeRateLimit(
    db,
    `api-invalid-key:${sourceIp ?? "unknown"}`,
    { windowSeconds: 60, max: INVALID_KEY_REQUESTS_PER_MINUTE },
    now,
  );
  if (limit.allowed) return null;
  return refusal(
    "RATE_LIMITED",
    { what: "invalid-key", retryAfterSeconds: limit.retryAfterSeconds },
    { "Retry-After": String(limit.retryAfterSeconds) },
  );
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

/**
 * The check every REST route handler runs first: a valid, unrevoked key in
 * `Authorization: Bearer <key>` that holds `scope`, within its per-minute rate limit. Refusals are
 * ready-made JSON responses (401, 403, 429 with Retry-After) carrying the same error codes as the UI.
 */
export async function authenticateApiRequest(
  request: Request,
  scope: ApiScope,
  db: DbOrTx = getDb(),
  now: Date = new Date(),
): Promise<ApiAuthResult> {
  const token = bearerToken(request);
  const sourceIp = getClientIp(request.headers);
  if (!token) {
    return (
      (await invalidKeyLimit(db, sourceIp, now)) ??
      refusal(
        "UNAUTHENTICATED",
        { how: "no-key" },
        {
          "WWW-Authenticate": 'Bearer realm="api"',
        },
      )
    );
  }
  const [row] = await db
    .select({ ...summaryColumns, keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.keyHash, hashApiKey(token)))
    .limit(1);
  if (!row || row.revokedAt) {
    const limited = await invalidKeyLimit(db, sourceIp, now);
    if (limited) return limited;
    // The same answer for unknown and revoked keys: a caller learns nothing about which keys exist.
    return refusal(
      "UNAUTHENTICATED",
      { how: "bad-key" },
      {
        "WWW-Authenticate": 'Bearer realm="api", error="invalid_token"',
      },
    );
  }
  const { keyHash: _hash, ...key } = row;
  const actor: ApiKeyActor = { type: "api_key", id: key.id, name: key.name };

  const limit = await consumeRateLimit(
    db,
    `api-key:${key.id}`,
    { windowSeconds: 60, max: env().API_KEY_RATE_LIMIT_PER_MINUTE },
    now,
  );
  const max = env().API_KEY_RATE_LIMIT_PER_MINUTE;
  const rateLimitHeaders = {
    "RateLimit-Limit": String(max),
    "RateLimit-Remaining": String(Math.max(0, max - limit.count)),
    "RateLimit-Reset": String(limit.retryAfterSeconds),
  };
  if (!limit.allowed) {
    return refusal(
      "RATE_LIMITED",
      { what: "api-key", limit: max, retryAfterSeconds: limit.retryAfterSeconds },
      { "Retry-After": String(limit.retryAfterSeconds), ...rateLimitHeaders },
    );
  }

  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.id, key.id),
        or(
          isNull(apiKeys.lastUsedAt),
          lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS)),
        ),
      ),
    );

  if (!key.scopes.includes(scope)) {
    await recordAuditEvent(
      {
        actor: { type: "api_key", id: key.id, label: key.name },
        action: "access",
        target: new URL(request.url).pathname,
        outcome: "denied",
        sourceIp,
        detail: { scope, scopes: key.scopes },
      },
      db,
    );
    return refusal("FORBIDDEN", { scope });
  }
  return { ok: true, key: { ...key, lastUsedAt: now }, actor, sourceIp, rateLimitHeaders };
}
