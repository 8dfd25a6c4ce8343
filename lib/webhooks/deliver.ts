import "server-only";
import { sql } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client";
import { redact, sendJson, snippet } from "@/lib/connectors/http";
import { backoffMs } from "@/lib/connectors/retry";
import type { ConnectorConfig } from "@/lib/connectors/types";
import type { CancelRequestDecisionPayload } from "./enqueue";
import { decryptWebhookSecret } from "./secret";
import { signWebhookBody, WEBHOOK_HEADERS } from "./signature";

export type WebhookDeliveryOptions = {
  /** Deliveries claimed per round. */
  limit?: number;
  /** POSTs in flight at once. */
  concurrency?: number;
  /** How long a claimed delivery is held; a process that dies lets it go after this. */
  leaseMs?: number;
  /** Base of the exponential backoff between tries (the first retry waits about this long). */
  backoffBaseMs?: number;
  /** The longest wait between two tries. */
  backoffMaxMs?: number;
};

/** The body a channel receives, byte for byte what is signed. */
export type WebhookBody = {
  /** The delivery's id (also `X-Webhook-Id`): the same on every retry. */
  id: string;
  event: string;
  /** When the decision was queued (ISO 8601). */
  createdAt: string;
  data: CancelRequestDecisionPayload;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Claimed = {
  id: string;
  channel_id: string;
  event: string;
  payload: CancelRequestDecisionPayload;
  /** Counting this one. */
  attempts: number;
  created_at: string;
};

type Target = {
  webhook_url: string | null;
  webhook_secret_encrypted: string | null;
  timeout_ms: number;
  max_attempts: number;
};

/**
 * One round of webhook delivery, driven by the loop that drives the channel outbox: claim the due
 * deliveries (FOR UPDATE SKIP LOCKED, then leased, so any number of processes share the work and a
 * dead one's claims come back), POST each to its channel's webhook URL, signed, and record the
 * outcome. 2xx: delivered. Anything else (another status, a timeout, no connection): retried with
 * exponential backoff, and dead after the channel's max attempts, for a person to retry. At least
 * once: a receiver drops duplicates by `X-Webhook-Id`. Returns how many were claimed.
 */
export async function deliverDueWebhooks(db: Db, options: WebhookDeliveryOptions = {}): Promise<number> {
  const { limit = 50, concurrency = 8, leaseMs = 60_000 } = options;
  // The attempt is counted when it is claimed: one that may have reached the channel before its
  // process died counts, and a delivery with attempts = 0 is known never to have been sent.
  const claimed = await db.execute<Claimed>(sql`
    UPDATE webhook_deliveries
       SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}::float8),
           updated_at = now()
     WHERE id IN (SELECT id FROM webhook_deliveries
                   WHERE state IN ('pending', 'retrying') AND next_attempt_at <= now()
                   ORDER BY next_attempt_at LIMIT ${limit}
                     FOR UPDATE SKIP LOCKED)
    RETURNING id, channel_id, event, payload, attempts,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at`);

  let next = 0;
  const work = async () => {
    for (let job = claimed.rows[next++]; job; job = claimed.rows[next++]) {
      let failure: string | null;
      try {
        failure = await deliverOne(db, job);
      } catch (error) {
        failure = `the delivery failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      await recordOutcome(db, job, failure, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.rows.length) }, work));
  return claimed.rows.length;
}

/** POSTs one delivery; null when the channel took it (2xx), else why not, in a few words. */
async function deliverOne(db: Db, job: Claimed): Promise<string | null> {
  const [target] = (
    await db.execute<Target>(sql`
      SELECT webhook_url, webhook_secret_encrypted, timeout_ms, max_attempts FROM channels WHERE id = ${job.channel_id}`)
  ).rows;
  if (!target?.webhook_url) return "the channel has no webhook URL any more";
  if (!target.webhook_secret_encrypted)
    return "the channel has a webhook URL but no webhook secret to sign with";
  let secret: string;
  try {
    secret = decryptWebhookSecret(target.webhook_secret_encrypted);
  } catch {
    return "the channel's webhook secret cannot be read (was CONNECTOR_SECRET_KEY changed?); store it again";
  }
  const split = splitWebhookUrl(target.webhook_url);
  if ("problem" in split) return split.problem;
  const body: WebhookBody = { id: job.id, event: job.event, createdAt: job.created_at, data: job.payload };
  const text = JSON.stringify(body);
  const config: ConnectorConfig = {
    baseUrl: split.baseUrl,
    credentials: { secret },
    timeoutMs: target.timeout_ms,
  };
  // sendJson serialises `body` with JSON.stringify too: the bytes sent are the bytes signed.
  const result = await sendJson(config, "POST", split.path, body, {
    [WEBHOOK_HEADERS.signature]: signWebhookBody(secret, text),
    [WEBHOOK_HEADERS.id]: job.id,
    [WEBHOOK_HEADERS.event]: job.event,
  });
  if (result.kind === "failure") return redact(config, `no answer: ${result.reason}`);
  if (result.status >= 200 && result.status < 300) return null;
  const said = snippet(result.text);
  return redact(config, `HTTP ${result.status}${said ? `: ${said}` : ""}`);
}

async function recordOutcome(db: Db, job: Claimed, failure: string | null, options: WebhookDeliveryOptions) {
  if (failure === null) {
    await db.execute(sql`
      UPDATE webhook_deliveries SET state = 'delivered', delivered_at = now(), last_error = NULL, updated_at = now()
       WHERE id = ${job.id} AND attempts = ${job.attempts}`);
    return;
  }
  const [channel] = (
    await db.execute<{ max_attempts: number }>(
      sql`SELECT max_attempts FROM channels WHERE id = ${job.channel_id}`,
    )
  ).rows;
  const dead = job.attempts >= Math.max(1, channel?.max_attempts ?? 1);
  const baseMs = options.backoffBaseMs ?? 5_000;
  // Never sooner than the base: a retry must not come back in the same round.
  const delayMs = Math.max(
    baseMs,
    backoffMs(job.attempts - 1, { baseMs, maxMs: options.backoffMaxMs ?? 30 * 60_000 }),
  );
  await db.execute(sql`
    UPDATE webhook_deliveries
       SET state = ${dead ? "dead" : "retrying"}, last_error = ${failure.slice(0, 500)},
           next_attempt_at = now() + make_interval(secs => ${dead ? 0 : delayMs / 1000}::float8), updated_at = now()
     WHERE id = ${job.id} AND attempts = ${job.attempts}`);
}

/**
 * The webhook URL as the connectors' safe HTTP path takes it: a base (its directory) and a path
 * under it (its last segment and query), so the request goes to exactly the configured URL.
 */
export function splitWebhookUrl(url: string): { baseUrl: string; path: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { problem: "the webhook URL is not a valid URL" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { problem: `the webhook URL has an unsupported scheme "${parsed.protocol}"` };
  }
  const base = new URL(".", parsed);
  base.username = parsed.username;
  base.password = parsed.password;
  const last = parsed.pathname.slice(base.pathname.length);
  return { baseUrl: base.href, path: `${last}${parsed.search}` };
}

/** "Retry now": a dead or waiting delivery is due at once, with fresh tries. */
export async function retryWebhookNow(db: DbOrTx, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const updated = await db.execute(sql`
    UPDATE webhook_deliveries SET state = 'retrying', attempts = 0, next_attempt_at = now(), updated_at = now()
     WHERE id = ${id} AND state <> 'delivered'
    RETURNING id`);
  return updated.rows.length > 0;
}
