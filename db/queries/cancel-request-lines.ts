import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellableUnder } from "@/lib/cancellation/rules";

/** A line an agent may keep in an approval, with what can still be cancelled of it now. */
export type ApprovableLine = {
  id: number;
  subOrderId: string;
  sku: string;
  unitPriceMinor: number;
  /** Everything not yet cancelled: what "the whole line" is. */
  open: number;
  cancellableNow: number;
  /** The channel takes part of a line; false: whole lines only. */
  partial: boolean;
};

/** The lines of some orders, by order, for the approval dialog: one read for a page of requests. */
export async function loadApprovableLines(
  db: DbOrTx,
  orderIds: readonly string[],
): Promise<Record<string, ApprovableLine[]>> {
  const byOrder: Record<string, ApprovableLine[]> = {};
  if (orderIds.length === 0) return byOrder;
  const rows = await db.execute<{
    order_id: string;
    channel_name: string;
    partial_quantities: boolean;
    id: number;
    sub_order_id: string;
    sku: string;
    unit_price_minor: number;
    ordered: number;
    fulfilled: number;
    processing: number;
    cancelled: number;
    pending_cancel: number;
  }>(sql`
    SELECT so.order_id, ch.name AS channel_name, ch.partial_quantities, li.id, li.sub_order_id, li.sku,
           li.unit_price_minor, li.ordered, li.fulfilled, li.processing, li.cancelled, li.pending_cancel
      FROM line_items li
      JOIN sub_orders so ON so.id = li.sub_order_id
      JOIN orders o ON o.id = so.order_id
      JOIN channels ch ON ch.id = o.channel_id
     WHERE so.order_id = ANY(${sql.param([...new Set(orderIds)])}::text[])
     ORDER BY so.order_id, so.id, li.id`);
  for (const r of rows.rows) {
    const q = {
      ordered: r.ordered,
      fulfilled: r.fulfilled,
      processing: r.processing,
      cancelled: r.cancelled,
      pendingCancel: r.pending_cancel,
    };
    const lines = byOrder[r.order_id] ?? [];
    lines.push({
      id: r.id,
      subOrderId: r.sub_order_id,
      sku: r.sku,
      unitPriceMinor: r.unit_price_minor,
      open: r.ordered - r.cancelled,
      cancellableNow: cancellableUnder(q, {
        channelName: r.channel_name,
        partialQuantities: r.partial_quantities,
      }),
      partial: r.partial_quantities,
    });
    byOrder[r.order_id] = lines;
  }
  return byOrder;
}
