import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/client";

export const WEBHOOK_EVENTS = ["cancel_request.approved", "cancel_request.rejected"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** What a channel is told about a decision on one of its cancel requests (the webhook's `data`). */
export type CancelRequestDecisionPayload = {
  /** The channel's own id of the request. */
  requestId: string;
  channelOrderId: string;
  state: "approved" | "rejected";
  /** ISO 8601. */
  decidedAt: string;
  /** The agent's note (always there for a rejection). */
  note: string | null;
  /** What the approval cancels, by the channel's item id; empty for a rejection. */
  lines: { channelItemId: string | null; sku: string; quantity: number }[];
};

/**
 * Queues a webhook about a cancel request in the caller's transaction (the outbox pattern: it
 * commits with the decision or not at all), when the channel has a webhook URL; returns its id,
 * or null when the channel has none. `holdMs` keeps it from being sent for that long (an approval
 * still waiting for the warehouse's first answer releases it itself, see releaseWebhook).
 */
export async function enqueueWebhook(
  tx: Tx,
  input: {
    channelId: string;
    cancelRequestId: string;
    event: WebhookEvent;
    payload: CancelRequestDecisionPayload;
    holdMs?: number;
  },
): Promise<string | null> {
  const [row] = (
    await tx.execute<{ id: string }>(sql`
      INSERT INTO webhook_deliveries (channel_id, cancel_request_id, event, payload, next_attempt_at)
      SELECT id, ${input.cancelRequestId}::uuid, ${input.event}, ${JSON.stringify(input.payload)}::jsonb,
             now() + make_interval(secs => ${(input.holdMs ?? 0) / 1000}::float8)
        FROM channels
       WHERE id = ${input.channelId} AND coalesce(webhook_url, '') <> ''
      RETURNING id`)
  ).rows;
  return row?.id ?? null;
}

/**
 * Sends a held webhook now, with its final payload: only while no attempt has been made (a hold
 * that ran out has let it go as it was). Returns whether it was still held.
 */
export async function releaseWebhook(
  db: DbOrTx,
  id: string,
  payload: CancelRequestDecisionPayload,
): Promise<boolean> {
  const released = await db.execute(sql`
    UPDATE webhook_deliveries
       SET payload = ${JSON.stringify(payload)}::jsonb, next_attempt_at = now(), updated_at = now()
     WHERE id = ${id} AND state = 'pending' AND attempts = 0
    RETURNING id`);
  return released.rows.length > 0;
}

/**
 * Withdraws a webhook that was never sent (no attempt made); false when it is too late: an attempt
 * has started, so the channel may have been told.
 */
export async function withdrawWebhook(tx: Tx, id: string): Promise<boolean> {
  const deleted = await tx.execute(sql`
    DELETE FROM webhook_deliveries WHERE id = ${id} AND state = 'pending' AND attempts = 0 RETURNING id`);
  return deleted.rows.length > 0;
}
