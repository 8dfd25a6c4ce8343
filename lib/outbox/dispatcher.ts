import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import type { ChannelNotification } from "@/lib/connectors/notification";
import { backoffMs } from "@/lib/connectors/retry";
import type { ConnectorAnswer } from "@/lib/connectors/types";
import { invalidateConnectorCache } from "@/lib/server/settings-cache";
import { resolveChannelNotifier } from "./channel-delivery";

export type DispatchOptions = {
  /** Notifications claimed per round. */
  limit?: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** How long a claimed notification is held; a dispatcher that dies lets it go after this. */
  leaseMs?: number;
  /** Base of the exponential backoff between tries. */
  backoffBaseMs?: number;
};

type Claimed = {
  cancellation_id: string;
  channel_id: string;
  payload: ChannelNotification;
  attempts: number;
};

/**
 * One round of the outbox: claim due notifications (SKIP LOCKED, with a lease so a crashed
 * dispatcher's claims come back), deliver them, record each outcome. At least once: a
 * notification is marked delivered only after the channel acknowledged it, and the channel
 * deduplicates by the ledger id. Returns how many were claimed.
 */
export async function dispatchDueNotifications(db: Db, options: DispatchOptions = {}): Promise<number> {
  const { limit = 50, concurrency = 8, leaseMs = 60_000, backoffBaseMs = 1_000 } = options;
  const claimed = await db.execute<Claimed>(sql`
    UPDATE channel_notifications SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
     WHERE cancellation_id IN (
       SELECT cancellation_id FROM channel_notifications
        WHERE state IN ('pending', 'retrying') AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
    RETURNING cancellation_id, channel_id, payload, attempts`);

  let next = 0;
  const deliver = async () => {
    for (let job = claimed.rows[next++]; job; job = claimed.rows[next++]) {
      const delivery = await resolveChannelNotifier(db, job.channel_id);
      const answer: ConnectorAnswer = delivery.enabled
        ? await delivery.notifier(job.payload).catch((error: unknown) => ({
            kind: "unavailable" as const,
            message: error instanceof Error ? error.message : String(error),
          }))
        : { kind: "unavailable", message: `Channel ${delivery.name} is disabled in Settings` };
      await recordOutcome(db, job, answer, delivery.maxAttempts, backoffBaseMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.rows.length) }, deliver));
  return claimed.rows.length;
}

async function recordOutcome(
  db: Db,
  job: Claimed,
  answer: ConnectorAnswer,
  maxAttempts: number,
  backoffBaseMs: number,
) {
  const attempts = job.attempts + 1;
  if (answer.kind === "accepted") {
    await db.execute(sql`
      UPDATE channel_notifications SET state = 'delivered', attempts = ${attempts}, delivered_at = now(),
             last_error = NULL, updated_at = now()
       WHERE cancellation_id = ${job.cancellation_id}`);
    return;
  }
  if (answer.kind === "rejected" && answer.credentialsProblem) {
    await db
      .update(channels)
      .set({ credentialsRejectedAt: new Date() })
      .where(eq(channels.id, job.channel_id));
    invalidateConnectorCache();
  }
  // A refusal is permanent: retrying the same message cannot help, so it goes to the dead
  // letters at once for a person to look at. A transient failure is retried with backoff.
  const dead = answer.kind === "rejected" || attempts >= maxAttempts;
  const delaySeconds = backoffMs(attempts - 1, { baseMs: backoffBaseMs, maxMs: 15 * 60_000 }) / 1000;
  await db.execute(sql`
    UPDATE channel_notifications
       SET state = ${dead ? "dead" : "retrying"}, attempts = ${attempts}, last_error = ${answer.message},
           next_attempt_at = now() + make_interval(secs => ${dead ? 0 : delaySeconds}), updated_at = now()
     WHERE cancellation_id = ${job.cancellation_id}`);
}

/** "Retry now" on the Sync screen: a dead or waiting notification is due at once, with fresh tries. */
export async function retryNotificationNow(db: Db, cancellationId: string): Promise<boolean> {
  const updated = await db.execute(sql`
    UPDATE channel_notifications SET state = 'retrying', attempts = 0, next_attempt_at = now(), updated_at = now()
     WHERE cancellation_id = ${cancellationId} AND state <> 'delivered'
    RETURNING cancellation_id`);
  return updated.rows.length > 0;
}
