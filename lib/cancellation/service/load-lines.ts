import "server-only";
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellationReasons } from "@/db/schema";
import { cancelsWholeOrdersOnly } from "@/lib/connectors/types";
import type { ChannelPolicy, PlannedLine } from "../rules";

/** A line as the rules plan it, with its price (for a plan's value). */
export type PricedLine = PlannedLine & { unitPriceMinor: number };

/**
 * The lines of some sub-orders as the rules plan them, in id order, by sub-order. With `lock`, the
 * rows are locked (`FOR UPDATE`, in id order, so concurrent callers queue instead of
 * deadlocking): the one read that the recording, the dry run and the lookup all use.
 */
export async function loadPlannedLines(
  db: DbOrTx,
  subOrderIds: readonly string[],
  options: { lock?: boolean } = {},
): Promise<Map<string, PricedLine[]>> {
  const linesOf = new Map<string, PricedLine[]>();
  if (subOrderIds.length === 0) return linesOf;
  const rows = await db.execute<{
    id: number;
    sub_order_id: string;
    sku: string;
    ordered: number;
    fulfilled: number;
    processing: number;
    cancelled: number;
    pending_cancel: number;
    unit_price_minor: number;
  }>(sql`
    SELECT id, sub_order_id, sku, ordered, fulfilled, processing, cancelled, pending_cancel, unit_price_minor
      FROM line_items
     WHERE sub_order_id = ANY(${sql.param([...subOrderIds])}::text[])
     ORDER BY id
     ${options.lock ? sql`FOR UPDATE` : sql``}`);
  for (const row of rows.rows) {
    const line: PricedLine = {
      id: row.id,
      sku: row.sku,
      ordered: row.ordered,
      fulfilled: row.fulfilled,
      processing: row.processing,
      cancelled: row.cancelled,
      pendingCancel: row.pending_cancel,
      unitPriceMinor: row.unit_price_minor,
    };
    const list = linesOf.get(row.sub_order_id);
    if (list) list.push(line);
    else linesOf.set(row.sub_order_id, [line]);
  }
  return linesOf;
}

/** The reasons a cancellation may use now, code -> label: the one place that decides it. */
export async function loadActiveReasons(db: DbOrTx): Promise<Map<string, string>> {
  const rows = await db
    .select({ code: cancellationReasons.code, label: cancellationReasons.label })
    .from(cancellationReasons)
    .where(eq(cancellationReasons.active, true));
  return new Map(rows.map((r) => [r.code, r.label]));
}

/** Where a sub-order's cancellation goes: its warehouse (asked first) and its channel's policy. */
export type CancelTarget = {
  warehouse: { id: string; connector: string; externalId: string | null };
  policy: ChannelPolicy;
  /** The order's currency (ISO 4217): the amounts of its lines are in it. */
  currency: string;
  /** The channel has an API to tell (not the manual connector): a confirmation queues a notification. */
  notifiesChannel: boolean;
};

/** The warehouse and channel policy of some sub-orders, by sub-order (missing ones are absent). */
export async function loadCancelTargets(
  db: DbOrTx,
  subOrderIds: readonly string[],
): Promise<Map<string, CancelTarget>> {
  const targets = new Map<string, CancelTarget>();
  if (subOrderIds.length === 0) return targets;
  const rows = await db.execute<{
    id: string;
    warehouse_id: string;
    warehouse_name: string;
    connector: string;
    external_id: string | null;
    channel_name: string;
    partial_quantities: boolean;
    currency: string;
    channel_connector: string;
  }>(sql`
    SELECT so.id, w.id AS warehouse_id, w.name AS warehouse_name, w.connector, w.external_id,
           ch.name AS channel_name, ch.partial_quantities, o.currency,
           ch.connector AS channel_connector
      FROM sub_orders so
      JOIN warehouses w ON w.id = so.warehouse_id
      JOIN orders o ON o.id = so.order_id
      JOIN channels ch ON ch.id = o.channel_id
     WHERE so.id = ANY(${sql.param([...subOrderIds])}::text[])`);
  for (const t of rows.rows) {
    targets.set(t.id, {
      warehouse: { id: t.warehouse_id, connector: t.connector, externalId: t.external_id },
      policy: {
        channelName: t.channel_name,
        partialQuantities: t.partial_quantities,
        wholeOrdersOnlyAt: cancelsWholeOrdersOnly(t.connector) ? t.warehouse_name : null,
      },
      currency: t.currency,
      notifiesChannel: t.channel_connector !== "manual",
    });
  }
  return targets;
}
