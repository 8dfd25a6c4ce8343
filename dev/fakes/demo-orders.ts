import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { CommerceSeedItem } from "./commerce";
import type { DropshipSeedItem } from "./dropship";

/**
 * How the demo fakes learn an order on first sight, from the demo database: in demo mode they
 * stand in for real channels, which know their own orders. Only orders of channels whose
 * connector is the fake's contract are found, by the channel's own order id
 * (orders.channel_order_id), with their lines' channel item ids.
 *
 * The database already counts cancellations the channel has not been told of yet (the one being
 * delivered when the fake asks, and any other notification not delivered). The channel's view
 * leaves those out: its item still has the units our notification is about to cancel.
 */

type ChannelLine = {
  channelItemId: string;
  ordered: number;
  fulfilled: number;
  /** Cancelled units the channel was told of. */
  announced: number;
};

type Row = {
  order_id: string;
  channel_item_id: string | null;
  ordered: number | null;
  fulfilled: number | null;
  cancelled: number | null;
  unannounced: number | null;
};

/** A database, or a way to reach it when first needed (the app's `getDb()`). */
export type DemoDatabase = () => Db | Promise<Db>;

async function channelLines(
  database: DemoDatabase,
  connector: "dropship" | "commerce",
  channelOrderId: string,
): Promise<ChannelLine[] | undefined> {
  const db = await database();
  const result = await db.execute<Row>(sql`
    SELECT o.id AS order_id, li.channel_item_id, li.ordered, li.fulfilled, li.cancelled,
           (SELECT COALESCE(sum(cl.quantity), 0)::int
              FROM cancellation_lines cl
              JOIN channel_notifications n ON n.cancellation_id = cl.cancellation_id
             WHERE cl.line_item_id = li.id AND n.state <> 'delivered') AS unannounced
      FROM orders o
      JOIN channels c ON c.id = o.channel_id
      LEFT JOIN sub_orders so ON so.order_id = o.id
      LEFT JOIN line_items li ON li.sub_order_id = so.id
     WHERE c.connector = ${connector} AND o.channel_order_id = ${channelOrderId}
     ORDER BY li.id`);
  if (result.rows.length === 0) return undefined;
  const lines: ChannelLine[] = [];
  for (const row of result.rows) {
    // A line the intake gave no item id is unknown to the channel too.
    if (row.channel_item_id === null || row.ordered === null) continue;
    const cancelled = Number(row.cancelled ?? 0);
    lines.push({
      channelItemId: row.channel_item_id,
      ordered: Number(row.ordered),
      fulfilled: Number(row.fulfilled ?? 0),
      announced: Math.max(0, cancelled - Number(row.unannounced ?? 0)),
    });
  }
  return lines;
}

/**
 * Dropship items as the channel holds them: the current item has every unit not cancelled
 * (fulfilled ones included); an item with none left is cancelled.
 */
export function demoDropshipOrders(database: DemoDatabase) {
  return async (orderId: string): Promise<DropshipSeedItem[] | undefined> => {
    const lines = await channelLines(database, "dropship", orderId);
    return lines?.map((l) => {
      const quantity = l.ordered - l.announced;
      return quantity > 0
        ? { _id: l.channelItemId, quantity, fulfilledQuantity: l.fulfilled }
        : { _id: l.channelItemId, quantity: l.ordered, fulfilledQuantity: l.fulfilled, cancelled: true };
    });
  };
}

/**
 * Commerce order items: cancelled when the channel was told of a cancellation and nothing is left
 * to fulfil, shipped when everything was fulfilled.
 */
export function demoCommerceOrders(database: DemoDatabase) {
  return async (orderId: string): Promise<CommerceSeedItem[] | undefined> => {
    const lines = await channelLines(database, "commerce", orderId);
    return lines?.map((l) => {
      const nothingLeft = l.fulfilled + l.announced >= l.ordered;
      return {
        id: l.channelItemId,
        cancelled: nothingLeft && l.announced > 0,
        shipped: nothingLeft && l.announced === 0,
      };
    });
  };
}
