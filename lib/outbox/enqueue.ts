import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * What the outbox keeps of a confirmed cancellation: what was cancelled, by our ids. The channel's
 * ids, the mapped reason and the channel's settings are looked up when it is delivered
 * (lib/outbox/dispatcher.ts), so a retry uses the item ids as they are by then.
 */
export type StoredNotification = {
  idempotencyKey: string;
  channelOrderNo: string;
  subOrderId: string;
  reasonCode: string;
  unfulfilledOnly: boolean;
  wholeSubOrder: boolean;
  wholeOrder: boolean;
  lines: {
    /** Absent in notifications stored before line ids were kept: found by sub-order and SKU. */
    lineItemId?: number;
    sku: string;
    cancelledQuantity: number;
    newQuantity?: number;
    remainingQuantity: number;
  }[];
};

/**
 * Writes the channel notification of each confirmed cancellation, in the transaction that
 * confirms it (the transactional outbox): if the confirmation commits, so does the promise
 * to tell the channel, and the dispatcher keeps it. The ledger id is its idempotency key.
 * Channels on the manual connector have no remote, so nothing is queued for them.
 */
export async function enqueueChannelNotifications(tx: Tx, cancellationIds: string[]): Promise<void> {
  if (cancellationIds.length === 0) return;
  await tx.execute(sql`
    INSERT INTO channel_notifications (cancellation_id, channel_id, order_id, payload)
    SELECT c.id, o.channel_id, o.id, jsonb_build_object(
             'idempotencyKey', c.id,
             'channelOrderNo', o.channel_order_no,
             'subOrderId', c.sub_order_id,
             'reasonCode', c.reason_code,
             'unfulfilledOnly', c.mode = 'unfulfilled_only',
             'wholeSubOrder', NOT EXISTS (
               SELECT 1 FROM line_items li
                WHERE li.sub_order_id = c.sub_order_id AND li.ordered - li.cancelled - li.fulfilled > 0),
             'wholeOrder', NOT EXISTS (
               SELECT 1 FROM sub_orders other JOIN line_items ol ON ol.sub_order_id = other.id
                WHERE other.order_id = o.id AND other.id <> c.sub_order_id AND ol.ordered - ol.cancelled > 0),
             'lines', (
               SELECT jsonb_agg(jsonb_build_object(
                        'lineItemId', li.id,
                        'sku', li.sku,
                        'cancelledQuantity', cl.quantity,
                        'newQuantity', li.ordered - li.cancelled,
                        'remainingQuantity', li.ordered - li.cancelled - li.fulfilled) ORDER BY li.id)
                 FROM cancellation_lines cl JOIN line_items li ON li.id = cl.line_item_id
                WHERE cl.cancellation_id = c.id))
      FROM cancellations c
      JOIN sub_orders so ON so.id = c.sub_order_id
      JOIN orders o ON o.id = so.order_id
      JOIN channels ch ON ch.id = o.channel_id
     WHERE c.id = ANY(${sql.param(cancellationIds)}::uuid[]) AND c.status = 'CONFIRMED'
       -- A channel without an API has nobody to tell: the ledger is its record.
       AND ch.connector <> 'manual'
    ON CONFLICT (cancellation_id) DO NOTHING`);
}
