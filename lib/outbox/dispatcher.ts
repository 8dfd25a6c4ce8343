import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import type {
  ChannelDeliveryAnswer,
  ChannelDeliveryProgress,
  ChannelNotification,
} from "@/lib/connectors/notification";
import { backoffMs } from "@/lib/connectors/retry";
import { invalidateConnectorCache } from "@/lib/server/settings-cache";
import { resolveChannelNotifier } from "./channel-delivery";
import type { StoredNotification } from "./enqueue";

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
  order_id: string;
  payload: StoredNotification;
  progress: ChannelDeliveryProgress;
  attempts: number;
};

/**
 * One round of the outbox: claim due notifications (SKIP LOCKED, with a lease so a crashed
 * dispatcher's claims come back), deliver them, record each outcome. At least once: a
 * notification is marked delivered only after the channel acknowledged it, and the channel
 * deduplicates by the ledger id. Notifications of one order go one at a time, oldest first: a
 * later one may address an item id that an earlier one's partial cancel replaced. Returns how
 * many were claimed.
 */
export async function dispatchDueNotifications(db: Db, options: DispatchOptions = {}): Promise<number> {
  const { limit = 50, concurrency = 8, leaseMs = 60_000, backoffBaseMs = 1_000 } = options;
  const claimed = await db.execute<Claimed>(sql`
    UPDATE channel_notifications SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
     WHERE cancellation_id IN (
       SELECT n.cancellation_id FROM channel_notifications n
        WHERE n.state IN ('pending', 'retrying') AND n.next_attempt_at <= now()
          AND NOT EXISTS (
            SELECT 1 FROM channel_notifications earlier
             WHERE earlier.order_id = n.order_id AND earlier.state IN ('pending', 'retrying')
               AND (earlier.created_at, earlier.cancellation_id) < (n.created_at, n.cancellation_id))
        ORDER BY n.next_attempt_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
    RETURNING cancellation_id, channel_id, order_id, payload, progress, attempts`);

  let next = 0;
  const deliver = async () => {
    for (let job = claimed.rows[next++]; job; job = claimed.rows[next++]) {
      const delivery = await resolveChannelNotifier(db, job.channel_id);
      const answer: ChannelDeliveryAnswer = delivery.enabled
        ? await notificationFor(db, job)
            .then((notification) => delivery.notifier(notification, job.progress))
            .catch((error: unknown) => ({
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

/**
 * The notification as the channel must read it, from what the outbox stored and the database as
 * it is now: the channel's order id, each line's current channel item id, the channel's code for
 * the reason, and its settings.
 */
async function notificationFor(db: Db, job: Claimed): Promise<ChannelNotification> {
  const stored = job.payload;
  const found = await db.execute<{
    channel_order_id: string;
    cargo_refund: boolean;
    channel_reason_code: string | null;
  }>(sql`
    SELECT o.channel_order_id, ch.cargo_refund, m.channel_code AS channel_reason_code
      FROM orders o
      JOIN channels ch ON ch.id = o.channel_id
      LEFT JOIN channel_reason_codes m ON m.channel_id = ch.id AND m.reason_code = ${stored.reasonCode}
     WHERE o.id = ${job.order_id}`);
  const order = found.rows[0];
  if (!order) throw new Error(`order ${job.order_id} of notification ${job.cancellation_id} is gone`);
  const current = await db.execute<{
    id: number;
    sku: string;
    channel_item_id: string | null;
    ordered: number;
    cancelled: number;
  }>(sql`
    SELECT id, sku, channel_item_id, ordered, cancelled FROM line_items WHERE sub_order_id = ${stored.subOrderId}`);
  const bySku = new Map(current.rows.map((l) => [l.sku, l]));
  const byId = new Map(current.rows.map((l) => [l.id, l]));
  return {
    idempotencyKey: stored.idempotencyKey,
    channelOrderId: order.channel_order_id,
    channelOrderNo: stored.channelOrderNo,
    subOrderId: stored.subOrderId,
    wholeSubOrder: stored.wholeSubOrder,
    wholeOrder: stored.wholeOrder,
    unfulfilledOnly: stored.unfulfilledOnly,
    reasonCode: stored.reasonCode,
    channelReasonCode: order.channel_reason_code,
    cargoRefund: order.cargo_refund,
    lines: stored.lines.map((l) => {
      const line = (l.lineItemId === undefined ? undefined : byId.get(l.lineItemId)) ?? bySku.get(l.sku);
      return {
        sku: l.sku,
        channelItemId: line?.channel_item_id ?? null,
        cancelledQuantity: l.cancelledQuantity,
        // Stored before the item's new total was kept: its total now.
        newQuantity: l.newQuantity ?? (line ? line.ordered - line.cancelled : l.remainingQuantity),
        remainingQuantity: l.remainingQuantity,
      };
    }),
  };
}

/**
 * Item ids the channel replaced become the lines' current ids, the old ones kept in their history,
 * in one transaction with the notification's progress: a retry then skips what was delivered and
 * the next notification of the order addresses the new ids.
 */
async function recordProgress(db: Db, job: Claimed, progress: ChannelDeliveryProgress | undefined) {
  if (!progress) return;
  const replaced = Object.entries(progress.replacedItemIds ?? {});
  await db.transaction(async (tx) => {
    for (const [oldId, newId] of replaced) {
      await tx.execute(sql`
        WITH line AS (
          UPDATE line_items SET channel_item_id = ${newId}, updated_at = now()
           WHERE sub_order_id = ${job.payload.subOrderId} AND channel_item_id = ${oldId}
          RETURNING id)
        INSERT INTO line_item_channel_ids (line_item_id, channel_item_id, replaced_by, cancellation_id)
        SELECT id, ${oldId}, ${newId}, ${job.cancellation_id}::uuid FROM line`);
    }
    await tx.execute(sql`
      UPDATE channel_notifications SET progress = ${JSON.stringify(progress)}::jsonb, updated_at = now()
       WHERE cancellation_id = ${job.cancellation_id}`);
  });
}

async function recordOutcome(
  db: Db,
  job: Claimed,
  answer: ChannelDeliveryAnswer,
  maxAttempts: number,
  backoffBaseMs: number,
) {
  await recordProgress(db, job, answer.progress);
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
