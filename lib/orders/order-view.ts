import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellableOf } from "@/lib/cancellation/quantities";
import { deriveSubOrderStatus, type SubOrderStatus } from "@/lib/cancellation/status";

export type OrderLineView = {
  sku: string;
  channelItemId: string | null;
  unitPriceMinor: number;
  ordered: number;
  fulfilled: number;
  processing: number;
  cancelled: number;
  pendingCancel: number;
  cancellable: number;
};

/** An order as the intake answers it: its channel ids, currency, sub-orders and every line's quantities. */
export type OrderView = {
  id: string;
  channelId: string;
  channelOrderId: string;
  orderNumber: string;
  currency: string;
  customerName: string;
  subOrders: { id: string; warehouseId: string; status: SubOrderStatus; lines: OrderLineView[] }[];
};

export async function readOrderView(db: DbOrTx, orderId: string): Promise<OrderView | null> {
  const [order] = (
    await db.execute<{
      id: string;
      channel_id: string;
      channel_order_id: string;
      channel_order_no: string;
      currency: string;
      customer_name: string;
    }>(sql`
      SELECT id, channel_id, channel_order_id, channel_order_no, currency, customer_name
        FROM orders WHERE id = ${orderId}`)
  ).rows;
  if (!order) return null;
  const lines = await db.execute<{
    sub_order_id: string;
    warehouse_id: string;
    sku: string;
    channel_item_id: string | null;
    unit_price_minor: number;
    ordered: number;
    fulfilled: number;
    processing: number;
    cancelled: number;
    pending_cancel: number;
  }>(sql`
    SELECT so.id AS sub_order_id, so.warehouse_id, li.sku, li.channel_item_id, li.unit_price_minor,
           li.ordered, li.fulfilled, li.processing, li.cancelled, li.pending_cancel
      FROM sub_orders so LEFT JOIN line_items li ON li.sub_order_id = so.id
     WHERE so.order_id = ${orderId}
     ORDER BY so.id, li.id`);
  const subOrders: OrderView["subOrders"] = [];
  for (const row of lines.rows) {
    let subOrder = subOrders.at(-1);
    if (subOrder?.id !== row.sub_order_id) {
      subOrder = { id: row.sub_order_id, warehouseId: row.warehouse_id, status: "open", lines: [] };
      subOrders.push(subOrder);
    }
    // A sub-order whose lines were all removed still shows, with no lines.
    if (row.sku === null) continue;
    const q = {
      ordered: row.ordered,
      fulfilled: row.fulfilled,
      processing: row.processing,
      cancelled: row.cancelled,
      pendingCancel: row.pending_cancel,
    };
    subOrder.lines.push({
      sku: row.sku,
      channelItemId: row.channel_item_id,
      unitPriceMinor: row.unit_price_minor,
      ...q,
      cancellable: cancellableOf(q),
    });
  }
  for (const subOrder of subOrders) subOrder.status = deriveSubOrderStatus(subOrder.lines);
  return {
    id: order.id,
    channelId: order.channel_id,
    channelOrderId: order.channel_order_id,
    orderNumber: order.channel_order_no,
    currency: order.currency,
    customerName: order.customer_name,
    subOrders,
  };
}
