import "server-only";
import { and, count, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellations, channelNotifications, channels, OUTBOX_STATES } from "@/db/schema";

/**
 * Reads for the Sync screen (the channel outbox) and for the tables that show a cancellation's
 * sync state. Every list is bounded by a limit; counts use the (state, channel_id) index.
 */

export type OutboxState = (typeof OUTBOX_STATES)[number];

export const OUTBOX_STATE_FILTERS = ["all", ...OUTBOX_STATES] as const;
export type OutboxStateFilter = (typeof OUTBOX_STATE_FILTERS)[number];

export type OutboxFilters = {
  state?: OutboxStateFilter;
  channelId?: string;
  /** The start of a sub-order id or of the channel's order number, any case. */
  q?: string;
};

/** One channel notification as the Sync screen lists it. */
export type OutboxEntry = {
  cancellationId: string;
  subOrderId: string;
  channelId: string;
  channelName: string;
  /** The order number the channel knows, as sent. */
  channelOrderNo: string | null;
  state: OutboxState;
  attempts: number;
  /** The channel's own limit of tries before a notification is dead-lettered. */
  maxAttempts: number;
  lastError: string | null;
  /** When the dispatcher may try it next (pending and retrying only). */
  nextAttemptAt: Date;
  createdAt: Date;
  deliveredAt: Date | null;
};

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(filters: OutboxFilters, withState: boolean): SQL | undefined {
  const q = filters.q?.trim();
  const prefix = q ? `${escapeLike(q)}%` : undefined;
  return and(
    withState && filters.state && filters.state !== "all"
      ? eq(channelNotifications.state, filters.state)
      : undefined,
    filters.channelId ? eq(channelNotifications.channelId, filters.channelId) : undefined,
    prefix
      ? or(
          ilike(cancellations.subOrderId, prefix),
          ilike(sql<string>`${channelNotifications.payload}->>'channelOrderNo'`, prefix),
        )
      : undefined,
  );
}

/** A page of outbox entries, newest first, with the number that match the filters. */
export async function listOutboxEntries(
  db: DbOrTx,
  filters: OutboxFilters,
  page: { offset: number; limit: number },
): Promise<{ rows: OutboxEntry[]; total: number }> {
  const where = whereOf(filters, true);
  const rows = await db
    .select({
      cancellationId: channelNotifications.cancellationId,
      subOrderId: cancellations.subOrderId,
      channelId: channelNotifications.channelId,
      channelName: channels.name,
      channelOrderNo: sql<string | null>`${channelNotifications.payload}->>'channelOrderNo'`,
      state: channelNotifications.state,
      attempts: channelNotifications.attempts,
      maxAttempts: channels.maxAttempts,
      lastError: channelNotifications.lastError,
      nextAttemptAt: channelNotifications.nextAttemptAt,
      createdAt: channelNotifications.createdAt,
      deliveredAt: channelNotifications.deliveredAt,
    })
    .from(channelNotifications)
    .innerJoin(cancellations, eq(cancellations.id, channelNotifications.cancellationId))
    .innerJoin(channels, eq(channels.id, channelNotifications.channelId))
    .where(where)
    .orderBy(desc(channelNotifications.createdAt), desc(channelNotifications.cancellationId))
    .offset(page.offset)
    .limit(page.limit);
  const [total] = await db
    .select({ n: count() })
    .from(channelNotifications)
    .innerJoin(cancellations, eq(cancellations.id, channelNotifications.cancellationId))
    .where(where);
  return { rows, total: total?.n ?? 0 };
}

/** How many entries are in each state (and in all), for the state tabs; the state filter is ignored. */
export async function countOutboxStates(
  db: DbOrTx,
  filters: Omit<OutboxFilters, "state">,
): Promise<Record<OutboxStateFilter, number>> {
  const rows = await db
    .select({ state: channelNotifications.state, n: count() })
    .from(channelNotifications)
    .innerJoin(cancellations, eq(cancellations.id, channelNotifications.cancellationId))
    .where(whereOf(filters, false))
    .groupBy(channelNotifications.state);
  const counts: Record<OutboxStateFilter, number> = {
    all: 0,
    pending: 0,
    retrying: 0,
    delivered: 0,
    dead: 0,
  };
  for (const row of rows) {
    counts[row.state] = row.n;
    counts.all += row.n;
  }
  return counts;
}

/** The channels a notification can go to, for the channel filter (every channel, by name). */
export async function listOutboxChannels(db: DbOrTx): Promise<
  {
    id: string;
    name: string;
    connector: string;
    enabled: boolean;
    credentialsRejectedAt: Date | null;
  }[]
> {
  return db
    .select({
      id: channels.id,
      name: channels.name,
      connector: channels.connector,
      enabled: channels.enabled,
      credentialsRejectedAt: channels.credentialsRejectedAt,
    })
    .from(channels)
    .orderBy(channels.name);
}

/** One entry, for an action that must know what it acts on (its channel, its state). */
export async function getOutboxEntry(
  db: DbOrTx,
  cancellationId: string,
): Promise<{ cancellationId: string; channelId: string; state: OutboxState; subOrderId: string } | null> {
  const [row] = await db
    .select({
      cancellationId: channelNotifications.cancellationId,
      channelId: channelNotifications.channelId,
      state: channelNotifications.state,
      subOrderId: cancellations.subOrderId,
    })
    .from(channelNotifications)
    .innerJoin(cancellations, eq(cancellations.id, channelNotifications.cancellationId))
    .where(eq(channelNotifications.cancellationId, cancellationId));
  return row ?? null;
}
