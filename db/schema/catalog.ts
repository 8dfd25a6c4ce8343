import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./_columns";

/**
 * How we reach a remote system: where, with which secret, how patiently. Credentials are a JSON
 * object encrypted at rest (lib/connectors/secrets.ts); they never reach the browser or a log.
 */
const connectorSettings = {
  baseUrl: text(),
  credentialsEncrypted: text(),
  timeoutMs: integer().notNull().default(5000),
  /** Tries before giving up: the warehouse gate per cancellation, the outbox per notification. */
  maxAttempts: integer().notNull().default(3),
  enabled: boolean().notNull().default(true),
  /** Set when the remote refused our credentials (401/802), cleared by a settings change. */
  credentialsRejectedAt: timestamp({ withTimezone: true }),
};

export const CHANNEL_CONNECTORS = ["manual", "dropship", "commerce"] as const;
export const WAREHOUSE_CONNECTORS = ["manual", "wms"] as const;

/** A marketplace or partner: where orders come from and where cancellations are announced. */
export const channels = pgTable("channels", {
  id: text().primaryKey(),
  name: text().notNull(),
  connector: text({ enum: CHANNEL_CONNECTORS }).notNull().default("manual"),
  /** Recording a partial shipment of a line cancels its remaining quantity (DESIGN.md rule 6). */
  fillOrKill: boolean().notNull().default(false),
  /**
   * A line may lose part of its quantity. Off: whole lines only (the seller portal of seeds/002, the
   * commerce platform of seeds/004), and a partial quantity is refused before anything is reserved.
   */
  partialQuantities: boolean().notNull().default(true),
  /** `is_cargo_refund` on the commerce platform's cancel calls. */
  cargoRefund: boolean().notNull().default(false),
  /** Where decisions on the channel's cancel requests are posted (signed); null: the channel polls. */
  webhookUrl: text(),
  /** The HMAC-SHA256 key of those webhooks, encrypted at rest like connector credentials. */
  webhookSecretEncrypted: text(),
  ...connectorSettings,
  ...timestamps,
});

/** Where stock sits. A 3PL warehouse has a WMS that is asked before anything is cancelled. */
export const warehouses = pgTable("warehouses", {
  id: text().primaryKey(),
  name: text().notNull(),
  connector: text({ enum: WAREHOUSE_CONNECTORS }).notNull().default("manual"),
  /** The warehouse's own id in its WMS (`warehouse_id` in the WMS contract). */
  externalId: text(),
  ...connectorSettings,
  ...timestamps,
});

export const orders = pgTable(
  "orders",
  {
    id: text().primaryKey(),
    channelId: text()
      .notNull()
      .references(() => channels.id),
    /** The number people read and search for (a purchase order number). */
    channelOrderNo: text().notNull(),
    /**
     * The channel's own id of the order, the only one its API understands: `order._id` for the
     * dropship API, the integer `order` for the commerce platform.
     */
    channelOrderId: text().notNull(),
    /** ISO 4217: every amount of the order is in it. */
    currency: text().notNull(),
    customerName: text().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex().on(t.channelId, t.channelOrderNo),
    uniqueIndex().on(t.channelId, t.channelOrderId),
    check("orders_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    // The Orders screen (bench/order-search.ts): newest or oldest first (DESC NULLS FIRST is what
    // ORDER BY … DESC means: with NULLS LAST neither direction would serve it), by number (with id:
    // deep pages are read from the index alone), a channel's orders by number, and prefix searches
    // by each number and the customer's name.
    index("orders_created_at_id_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("orders_channel_order_no_prefix_idx").using("btree", t.channelOrderNo.op("text_pattern_ops"), t.id),
    index("orders_channel_id_order_no_idx").using(
      "btree",
      t.channelId,
      t.channelOrderNo.op("text_pattern_ops"),
      t.id,
    ),
    index("orders_channel_order_id_prefix_idx").using("btree", t.channelOrderId.op("text_pattern_ops")),
    index("orders_customer_name_prefix_idx").using("btree", sql`lower(${t.customerName}) text_pattern_ops`),
  ],
);

/** One warehouse's share of an order. Its status is derived from its lines, never stored. */
export const subOrders = pgTable(
  "sub_orders",
  {
    id: text().primaryKey(),
    orderId: text()
      .notNull()
      .references(() => orders.id),
    warehouseId: text()
      .notNull()
      .references(() => warehouses.id),
    ...timestamps,
  },
  (t) => [
    // With id, an order's sub-orders are read from the index alone (each order the Orders screen's
    // status filter looks at sums its lines through it).
    index().on(t.orderId, t.id),
    index("sub_orders_id_prefix_idx").using("btree", t.id.op("text_pattern_ops")),
  ],
);

/**
 * One SKU of a sub-order. The quantities are running totals of the cancellations ledger
 * and of warehouse events; the database itself refuses any state that breaks the invariant.
 */
export const lineItems = pgTable(
  "line_items",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subOrderId: text()
      .notNull()
      .references(() => subOrders.id),
    sku: text().notNull(),
    /**
     * The channel's current id of this order item. The dropship API replaces it on a partial cancel;
     * earlier ids are kept in line_item_channel_ids.
     */
    channelItemId: text(),
    unitPriceMinor: integer().notNull(),
    ordered: integer().notNull(),
    fulfilled: integer().notNull().default(0),
    processing: integer().notNull().default(0),
    cancelled: integer().notNull().default(0),
    pendingCancel: integer().notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex().on(t.subOrderId, t.sku),
    index("line_items_sku_prefix_idx").using("btree", t.sku.op("text_pattern_ops"), t.subOrderId),
    check(
      "line_items_quantities_non_negative",
      sql`${t.ordered} >= 0 AND ${t.fulfilled} >= 0 AND ${t.processing} >= 0 AND ${t.cancelled} >= 0 AND ${t.pendingCancel} >= 0 AND ${t.unitPriceMinor} >= 0`,
    ),
    check(
      "line_items_quantity_invariant",
      sql`${t.fulfilled} + ${t.processing} + ${t.cancelled} + ${t.pendingCancel} <= ${t.ordered}`,
    ),
  ],
);
