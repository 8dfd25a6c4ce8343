import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { getOutboxEntry } from "@/db/queries/outbox";
import { type ActionResult, failure, success } from "@/lib/action-result";
import { type AuditActor, recordAuditEvent } from "@/lib/audit/record-audit-event";
import { retryNotificationNow } from "@/lib/outbox/dispatcher";

type Who = { actor: AuditActor; sourceIp: string | null };

export type RetriedNotification = { cancellationId: string; subOrderId: string; channelId: string };

/**
 * "Retry now" on the Sync screen: a dead or waiting channel notification becomes due at once with
 * fresh tries, and the background dispatcher delivers it within about a second. A delivered one
 * is left alone (the channel already has it). Audited.
 */
export async function retryNotification(
  db: Db,
  cancellationId: string,
  who: Who,
): Promise<ActionResult<RetriedNotification>> {
  const entry = await getOutboxEntry(db, cancellationId);
  if (!entry) {
    return failure("INVALID_INPUT", { problem: "There is no channel notification for this cancellation." });
  }
  if (entry.state === "delivered" || !(await retryNotificationNow(db, cancellationId))) {
    return failure("INVALID_INPUT", {
      problem: `The notification for ${entry.subOrderId} was already delivered.`,
    });
  }
  await recordAuditEvent(
    {
      actor: who.actor,
      action: "sync.retry",
      target: cancellationId,
      outcome: "success",
      sourceIp: who.sourceIp,
      detail: { subOrderId: entry.subOrderId, channel: entry.channelId, previousState: entry.state },
    },
    db,
  );
  return success({ cancellationId, subOrderId: entry.subOrderId, channelId: entry.channelId });
}

/**
 * "Retry all dead for this channel": every dead-lettered notification of one channel becomes due
 * at once with fresh tries, typically after its connector settings were fixed. One statement, so
 * a channel with thousands of dead letters is not read into memory. Audited with the count.
 */
export async function retryDeadNotifications(
  db: Db,
  channelId: string,
  who: Who,
): Promise<ActionResult<{ channelId: string; count: number }>> {
  const { count, known } = await db.transaction(async (tx) => {
    const channel = await tx.execute<{ id: string }>(sql`SELECT id FROM channels WHERE id = ${channelId}`);
    if (channel.rows.length === 0) return { count: 0, known: false };
    const updated = await tx.execute<{ n: number }>(sql`
      WITH retried AS (
        UPDATE channel_notifications
           SET state = 'retrying', attempts = 0, next_attempt_at = now(), updated_at = now()
         WHERE channel_id = ${channelId} AND state = 'dead'
        RETURNING 1)
      SELECT count(*)::int AS n FROM retried`);
    const n = updated.rows[0]?.n ?? 0;
    if (n > 0) {
      await recordAuditEvent(
        {
          actor: who.actor,
          action: "sync.retry",
          target: `channel:${channelId}`,
          outcome: "success",
          sourceIp: who.sourceIp,
          detail: { channel: channelId, state: "dead", count: n },
        },
        tx,
      );
    }
    return { count: n, known: true };
  });
  if (!known) return failure("INVALID_INPUT", { problem: `There is no channel with the id ${channelId}.` });
  return success({ channelId, count });
}
