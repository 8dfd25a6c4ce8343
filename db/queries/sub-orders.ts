import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels, lineItems, orders, subOrders, warehouses } from "@/db/schema";
import { cancellableOf } from "@/lib/cancellation/quantities";
import { deriveSubOrderStatus, type SubOrderStatus } from "@/lib/cancellation/status";

export type SubOrderLine = {
  id: number;
  sku: string;
  unitPriceMinor: number;
  ordered: number;
  fulfilled: number;
  processing: number;
  cancelled: number;
  pendingCancel: number;
  cancellable: number;
};

export type SubOrderDetail = {
  id: string;
  orderId: string;
  channelOrderNo: string;
  /** The order's currency (ISO 4217): every amount of the sub-order is in it. */
  currency: string;
  customerName: string;
  channel: { id: string; name: string; connector: string; partialQuantities: boolean };
  warehouse: { id: string; name: string; connector: string };
  status: SubOrderStatus;
  lines: SubOrderLine[];
};

/** A sub-order with its lines and derived status, or null. */
export async function getSubOrderDetail(db: Db, subOrderId: string): Promise<SubOrderDetail | null> {
  const [head] = await db
    .select({
      id: subOrders.id,
      orderId: orders.id,
      channelOrderNo: orders.channelOrderNo,
      currency: orders.currency,
      customerName: orders.customerName,
      channelId: channels.id,
      channelName: channels.name,
      channelConnector: channels.connector,
      channelPartialQuantities: channels.partialQuantities,
      warehouseId: warehouses.id,
      warehouseName: warehouses.name,
      warehouseConnector: warehouses.connector,
    })
    .from(subOrders)
    .innerJoin(orders, eq(orders.id, subOrders.orderId))
    .innerJoin(channels, eq(channels.id, orders.channelId))
    .innerJoin(warehouses, eq(warehouses.id, subOrders.warehouseId))
    .where(eq(subOrders.id, subOrderId));
  if (!head) return null;
  const rows = await db
    .select()
    .from(lineItems)
    .where(eq(lineItems.subOrderId, subOrderId))
    .orderBy(asc(lineItems.id));
  const lines = rows.map((l) => ({
    id: l.id,
    sku: l.sku,
    unitPriceMinor: l.unitPriceMinor,
    ordered: l.ordered,
    fulfilled: l.fulfilled,
    processing: l.processing,
    cancelled: l.cancelled,
    pendingCancel: l.pendingCancel,
    cancellable: cancellableOf(l),
  }));
  return {
    id: head.id,
    orderId: head.orderId,
    channelOrderNo: head.channelOrderNo,
    currency: head.currency,
    customerName: head.customerName,
    channel: {
      id: head.channelId,
      name: head.channelName,
      connector: head.channelConnector,
      partialQuantities: head.channelPartialQuantities,
    },
    warehouse: { id: head.warehouseId, name: head.warehouseName, connector: head.warehouseConnector },
    status: deriveSubOrderStatus(lines),
    lines,
  };
}

/**
 * The reasons a person may choose in a select, grouped by who initiates them: active, and not the
 * ones only the system uses (fill-or-kill).
 */
export async function listActiveReasons(db: Db) {
  return db
    .execute<{ code: string; label: string; initiator: string }>(
      sql`SELECT code, label, initiator FROM cancellation_reasons
           WHERE active AND initiator <> 'automatic' ORDER BY initiator, label`,
    )
    .then((r) => r.rows);
}
