import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import type { SubOrderStatus } from "@/lib/cancellation/status";
import {
  likePrefix,
  ORDERS_PAGE_SIZE,
  type OrderSearch,
  SEARCH_MATCH_LIMIT,
} from "@/lib/orders/order-search";

export type OrderListRow = {
  id: string;
  orderNumber: string;
  channelOrderId: string;
  channelId: string;
  channelName: string;
  customerName: string;
  currency: string;
  createdAt: string;
  subOrders: number;
  ordered: number;
  cancelled: number;
  fulfilled: number;
  status: SubOrderStatus;
  openExceptions: number;
};

export type OrderListPage = {
  rows: OrderListRow[];
  /** More rows after this page. */
  hasMore: boolean;
  /** The search read its limit of matches for some key: there may be more than it shows. */
  capped: boolean;
};

/** The sums of an order's lines as derived_status() takes them. */
const DERIVED_STATUS = sql`derived_status(coalesce(sum(li.ordered), 0), coalesce(sum(li.cancelled), 0),
                              coalesce(sum(li.fulfilled), 0), coalesce(sum(li.processing), 0))`;

/**
 * One page of orders: matching the search (a prefix of the order number, the channel's order id,
 * a sub-order id, a SKU exactly as typed, or the customer's name in any case), the filters, in the chosen order.
 * Each key reads its own index and at most SEARCH_MATCH_LIMIT matches; the status filter is the
 * derived status of all the order's lines (derived_status() in SQL, the twin of
 * deriveSubOrderStatus).
 *
 * The page's ids are chosen first and only its rows get their lines summed: an order's sums are
 * never computed for the rows an OFFSET skips or a sort passes over (the status filter sums each
 * order it looks at, nothing more). Measured in `npm run bench` (bench/order-search.ts).
 */
export async function listOrders(db: DbOrTx, search: OrderSearch): Promise<OrderListPage> {
  const conditions: SQL[] = [];
  let capped = false;
  let matches: string[] | undefined;
  if (search.q) {
    const prefix = likePrefix(search.q);
    const lowered = likePrefix(search.q.toLowerCase());
    const limit = SEARCH_MATCH_LIMIT;
    const hits = await db.execute<{ id: string; key: string }>(sql`
      (SELECT id, 'number' AS key FROM orders WHERE channel_order_no LIKE ${prefix} LIMIT ${limit})
      UNION ALL
      (SELECT id, 'channel' FROM orders WHERE channel_order_id LIKE ${prefix} LIMIT ${limit})
      UNION ALL
      (SELECT order_id, 'sub-order' FROM sub_orders WHERE id LIKE ${prefix} LIMIT ${limit})
      UNION ALL
      (SELECT so.order_id, 'sku' FROM line_items li JOIN sub_orders so ON so.id = li.sub_order_id
        WHERE li.sku LIKE ${prefix} LIMIT ${limit})
      UNION ALL
      (SELECT id, 'customer' FROM orders WHERE lower(customer_name) LIKE ${lowered} LIMIT ${limit})`);
    const perKey = new Map<string, number>();
    for (const hit of hits.rows) perKey.set(hit.key, (perKey.get(hit.key) ?? 0) + 1);
    capped = [...perKey.values()].some((n) => n >= limit);
    matches = [...new Set(hits.rows.map((h) => h.id))];
    if (matches.length === 0) return { rows: [], hasMore: false, capped: false };
  }
  if (search.channel) conditions.push(sql`o.channel_id = ${search.channel}`);
  if (search.warehouse) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM sub_orders w WHERE w.order_id = o.id AND w.warehouse_id = ${search.warehouse})`,
    );
  }
  if (search.exceptions) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM order_exceptions e WHERE e.order_id = o.id AND e.resolved_at IS NULL)`,
    );
  }
  if (search.status) conditions.push(sql`s.status = ${search.status}`);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  // Every sort is an index read in order (migration 0013): orders_created_at_id_idx either way,
  // orders_channel_order_no_prefix_idx, orders_channel_id_order_no_idx within a channel. A page
  // costs the rows before it, never the whole table.
  const order =
    search.sort === "oldest"
      ? sql`o.created_at ASC, o.id ASC`
      : search.sort === "number"
        ? sql`o.channel_order_no USING ~<~, o.id`
        : sql`o.created_at DESC, o.id DESC`;
  const offset = (search.page - 1) * ORDERS_PAGE_SIZE;
  // A search's matches (at most 5 x SEARCH_MATCH_LIMIT) are read by id and sorted: materialized,
  // so that the planner never walks the whole sort index looking for them.
  const source = matches === undefined ? sql`orders o` : sql`matches o`;
  const result = await db.execute<{
    id: string;
    channel_order_no: string;
    channel_order_id: string;
    channel_id: string;
    channel_name: string;
    customer_name: string;
    currency: string;
    created_at: string;
    sub_orders: number;
    ordered: number;
    cancelled: number;
    fulfilled: number;
    status: SubOrderStatus;
    open_exceptions: number;
  }>(sql`
    ${
      matches === undefined
        ? sql``
        : sql`WITH matches AS MATERIALIZED (
                SELECT * FROM orders WHERE id = ANY(${sql.param(matches)}::text[]))`
    }
    SELECT o.id, o.channel_order_no, o.channel_order_id, o.channel_id, ch.name AS channel_name,
           o.customer_name, o.currency,
           to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
           q.sub_orders, q.ordered, q.cancelled, q.fulfilled, q.status,
           (SELECT count(*)::int FROM order_exceptions e WHERE e.order_id = o.id AND e.resolved_at IS NULL)
             AS open_exceptions
      FROM (
        SELECT o.id FROM ${source}
        ${
          search.status
            ? sql`CROSS JOIN LATERAL (
                    SELECT ${DERIVED_STATUS} AS status
                      FROM sub_orders so LEFT JOIN line_items li ON li.sub_order_id = so.id
                     WHERE so.order_id = o.id) AS s`
            : sql``
        }
        ${where}
        ORDER BY ${order}
        LIMIT ${ORDERS_PAGE_SIZE + 1} OFFSET ${offset}) AS page
      JOIN orders o ON o.id = page.id
      JOIN channels ch ON ch.id = o.channel_id
      CROSS JOIN LATERAL (
        SELECT count(DISTINCT so.id)::int AS sub_orders,
               coalesce(sum(li.ordered), 0)::int AS ordered, coalesce(sum(li.cancelled), 0)::int AS cancelled,
               coalesce(sum(li.fulfilled), 0)::int AS fulfilled, ${DERIVED_STATUS} AS status
          FROM sub_orders so LEFT JOIN line_items li ON li.sub_order_id = so.id
         WHERE so.order_id = o.id) AS q
     ORDER BY ${order}`);
  const rows = result.rows.slice(0, ORDERS_PAGE_SIZE).map((r) => ({
    id: r.id,
    orderNumber: r.channel_order_no,
    channelOrderId: r.channel_order_id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    customerName: r.customer_name,
    currency: r.currency,
    createdAt: r.created_at,
    subOrders: r.sub_orders,
    ordered: r.ordered,
    cancelled: r.cancelled,
    fulfilled: r.fulfilled,
    status: r.status,
    openExceptions: r.open_exceptions,
  }));
  return { rows, hasMore: result.rows.length > ORDERS_PAGE_SIZE, capped };
}

/** The channels and warehouses the filters offer. */
export async function listOrderFacets(db: DbOrTx) {
  const channels = await db.execute<{ id: string; name: string }>(
    sql`SELECT id, name FROM channels ORDER BY name`,
  );
  const warehouses = await db.execute<{ id: string; name: string }>(
    sql`SELECT id, name FROM warehouses ORDER BY name`,
  );
  return { channels: channels.rows, warehouses: warehouses.rows };
}
