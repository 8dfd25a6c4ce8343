import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import type { Actor } from "@/lib/cancellation/service/types";
import type { IntakeOrder } from "./contracts";
import { type OrderView, readOrderView } from "./order-view";

// The first key of the advisory locks that serialise upserts of one channel order.
const INTAKE_LOCK = 727_020;

export type IntakeOutcome = { created: boolean; order: OrderView };

export type IntakeInput = {
  channelId: string;
  channelOrderId: string;
  order: IntakeOrder;
  actor: Actor;
  audit?: ChangeAudit;
};

type ExistingLine = {
  id: number;
  sub_order_id: string;
  sku: string;
  channel_item_id: string | null;
  ordered: number;
  fulfilled: number;
  processing: number;
  cancelled: number;
  pending_cancel: number;
  in_ledger: boolean;
};

const committedOf = (l: ExistingLine) => l.fulfilled + l.processing + l.cancelled + l.pending_cancel;

function committedParts(l: ExistingLine): string {
  const parts = [
    [l.fulfilled, "fulfilled"],
    [l.processing, "in processing"],
    [l.cancelled, "cancelled"],
    [l.pending_cancel, "reserved by a cancellation in flight"],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(", ");
}

/**
 * Creates or updates a channel's order with its sub-orders and lines, in one transaction (upserts
 * of one channel order queue on an advisory lock). The body is the whole order as the channel has
 * it now: lines and sub-orders it leaves out are removed. No line ever goes below what is already
 * fulfilled, in processing, cancelled or reserved: such an update is refused whole, naming every
 * line and its numbers, and changes nothing. A line's channel item id may change; the old one is
 * kept in its history.
 */
export async function upsertOrder(db: Db, input: IntakeInput): Promise<Result<IntakeOutcome>> {
  const { channelId, channelOrderId, order } = input;
  return db.transaction(async (tx) => {
    const [channel] = (
      await tx.execute<{ id: string; connector: string }>(
        sql`SELECT id, connector FROM channels WHERE id = ${channelId}`,
      )
    ).rows;
    if (!channel) return fail("CHANNEL_NOT_FOUND", { channelId });
    if (channel.connector !== "manual") {
      const missing = order.subOrders.flatMap((s, si) =>
        s.lines.flatMap((l, li) => (l.channelItemId === undefined ? [`subOrders.${si}.lines.${li}`] : [])),
      );
      if (missing.length > 0) {
        return fail("INVALID_INPUT", {
          problem: `${missing[0]}.channelItemId: is required on this channel (its API addresses order items by their id)`,
        });
      }
    }
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(${INTAKE_LOCK}, hashtext(${`${channelId}\n${channelOrderId}`}))`,
    );

    const warehouseIds = [...new Set(order.subOrders.map((s) => s.warehouseId))];
    const known = await tx.execute<{ id: string }>(
      sql`SELECT id FROM warehouses WHERE id = ANY(${sql.param(warehouseIds)}::text[])`,
    );
    const knownWarehouses = new Set(known.rows.map((w) => w.id));
    const unknownAt = order.subOrders.findIndex((s) => !knownWarehouses.has(s.warehouseId));
    if (unknownAt !== -1) {
      return fail("WAREHOUSE_NOT_FOUND", {
        warehouseId: order.subOrders[unknownAt]?.warehouseId ?? "",
        field: `subOrders.${unknownAt}.warehouseId`,
      });
    }

    const [existing] = (
      await tx.execute<{ id: string }>(
        sql`SELECT id FROM orders WHERE channel_id = ${channelId} AND channel_order_id = ${channelOrderId}`,
      )
    ).rows;
    const numberTaken = await tx.execute<{ id: string }>(sql`
      SELECT id FROM orders WHERE channel_id = ${channelId} AND channel_order_no = ${order.orderNumber}
         AND id IS DISTINCT FROM ${existing?.id ?? null}`);
    if (numberTaken.rows.length > 0) {
      return fail("ORDER_CONFLICT", {
        problem: `orderNumber: ${order.orderNumber} is already the number of another order of channel ${channelId}`,
      });
    }
    const orderId = existing?.id ?? randomUUID();

    const subOrderIds = order.subOrders.map((s) => s.id);
    const others = await tx.execute<{ id: string; order_id: string }>(sql`
      SELECT id, order_id FROM sub_orders
       WHERE id = ANY(${sql.param(subOrderIds)}::text[]) AND order_id <> ${orderId}`);
    if (others.rows.length > 0) {
      const taken = others.rows[0] as { id: string };
      return fail("ORDER_CONFLICT", {
        problem: `subOrders.${subOrderIds.indexOf(taken.id)}.id: sub-order ${taken.id} belongs to another order`,
      });
    }

    // Every line the order has now, locked in id order (as cancellations lock them).
    const current = await tx.execute<ExistingLine & { warehouse_id: string }>(sql`
      SELECT li.id, li.sub_order_id, li.sku, li.channel_item_id, li.ordered, li.fulfilled, li.processing,
             li.cancelled, li.pending_cancel, so.warehouse_id,
             EXISTS (SELECT 1 FROM cancellation_lines cl WHERE cl.line_item_id = li.id) AS in_ledger
        FROM line_items li JOIN sub_orders so ON so.id = li.sub_order_id
       WHERE so.order_id = ${orderId}
       ORDER BY li.id
       FOR UPDATE OF li`);
    const lineOf = new Map(current.rows.map((l) => [`${l.sub_order_id}\n${l.sku}`, l]));
    const conflicts: string[] = [];
    const wanted = new Set<string>();
    for (const subOrder of order.subOrders) {
      const lines = current.rows.filter((l) => l.sub_order_id === subOrder.id);
      const moved = lines.find((l) => l.warehouse_id !== subOrder.warehouseId);
      if (moved && lines.some((l) => committedOf(l) > 0)) {
        conflicts.push(
          `sub-order ${subOrder.id} cannot move from warehouse ${moved.warehouse_id} to ${subOrder.warehouseId}: it has units fulfilled, in processing, cancelled or reserved`,
        );
      }
      for (const line of subOrder.lines) {
        wanted.add(`${subOrder.id}\n${line.sku}`);
        const was = lineOf.get(`${subOrder.id}\n${line.sku}`);
        if (was && line.quantity < committedOf(was)) {
          conflicts.push(
            `sub-order ${subOrder.id} SKU ${line.sku}: quantity ${line.quantity} is below the ${committedOf(was)} units already ${committedParts(was)}`,
          );
        }
      }
    }
    const dropped = current.rows.filter((l) => !wanted.has(`${l.sub_order_id}\n${l.sku}`));
    for (const line of dropped) {
      if (committedOf(line) > 0) {
        conflicts.push(
          `sub-order ${line.sub_order_id} SKU ${line.sku}: cannot be removed, ${committedOf(line)} units already ${committedParts(line)}`,
        );
      }
    }
    if (conflicts.length > 0) return fail("QUANTITY_CONFLICT", { conflicts: conflicts.join("; ") });

    if (existing) {
      await tx.execute(sql`
        UPDATE orders SET channel_order_no = ${order.orderNumber}, currency = ${order.currency},
               customer_name = ${order.customerName}, updated_at = now()
         WHERE id = ${orderId}`);
    } else {
      await tx.execute(sql`
        INSERT INTO orders (id, channel_id, channel_order_no, channel_order_id, currency, customer_name)
        VALUES (${orderId}, ${channelId}, ${order.orderNumber}, ${channelOrderId}, ${order.currency},
                ${order.customerName})`);
    }
    await writeSubOrders(tx, orderId, input, lineOf, dropped);
    await auditChange(tx, input.audit, {
      actor: input.actor,
      action: "order.upsert",
      target: orderId,
      outcome: "success",
      detail: { channelId, channelOrderId, created: !existing, subOrders: subOrderIds.length },
    });
    const view = await readOrderView(tx, orderId);
    if (!view) throw new Error(`order ${orderId} vanished inside its own transaction`);
    return ok({ created: !existing, order: view });
  });
}

/** The sub-orders and lines as the body has them; replaced channel item ids go to the history. */
async function writeSubOrders(
  tx: Tx,
  orderId: string,
  input: IntakeInput,
  lineOf: Map<string, ExistingLine>,
  dropped: ExistingLine[],
): Promise<void> {
  const subOrders = input.order.subOrders;
  await tx.execute(sql`
    INSERT INTO sub_orders (id, order_id, warehouse_id)
    SELECT * FROM unnest(${sql.param(subOrders.map((s) => s.id))}::text[],
                         ${sql.param(subOrders.map(() => orderId))}::text[],
                         ${sql.param(subOrders.map((s) => s.warehouseId))}::text[])
    ON CONFLICT (id) DO UPDATE SET warehouse_id = excluded.warehouse_id, updated_at = now()
     WHERE sub_orders.warehouse_id IS DISTINCT FROM excluded.warehouse_id`);
  const rows = subOrders.flatMap((s) => s.lines.map((l) => ({ subOrderId: s.id, ...l })));
  const replaced = rows.flatMap((r) => {
    const was = lineOf.get(`${r.subOrderId}\n${r.sku}`);
    return was?.channel_item_id && r.channelItemId !== undefined && was.channel_item_id !== r.channelItemId
      ? [{ lineItemId: was.id, from: was.channel_item_id, to: r.channelItemId }]
      : [];
  });
  if (replaced.length > 0) {
    await tx.execute(sql`
      INSERT INTO line_item_channel_ids (line_item_id, channel_item_id, replaced_by)
      SELECT * FROM unnest(${sql.param(replaced.map((r) => r.lineItemId))}::int[],
                           ${sql.param(replaced.map((r) => r.from))}::text[],
                           ${sql.param(replaced.map((r) => r.to))}::text[])`);
  }
  await tx.execute(sql`
    INSERT INTO line_items (sub_order_id, sku, channel_item_id, ordered, unit_price_minor)
    SELECT * FROM unnest(${sql.param(rows.map((r) => r.subOrderId))}::text[],
                         ${sql.param(rows.map((r) => r.sku))}::text[],
                         ${sql.param(rows.map((r) => r.channelItemId ?? null))}::text[],
                         ${sql.param(rows.map((r) => r.quantity))}::int[],
                         ${sql.param(rows.map((r) => r.unitPriceMinor))}::int[])
    ON CONFLICT (sub_order_id, sku) DO UPDATE
       SET ordered = excluded.ordered, unit_price_minor = excluded.unit_price_minor,
           channel_item_id = coalesce(excluded.channel_item_id, line_items.channel_item_id), updated_at = now()`);
  // A line the order no longer has: gone when nothing refers to it, else kept with nothing ordered.
  const removable = dropped.filter((l) => !l.in_ledger).map((l) => l.id);
  const emptied = dropped.filter((l) => l.in_ledger).map((l) => l.id);
  if (removable.length > 0) {
    await tx.execute(
      sql`DELETE FROM line_item_channel_ids WHERE line_item_id = ANY(${sql.param(removable)}::int[])`,
    );
    await tx.execute(sql`DELETE FROM line_items WHERE id = ANY(${sql.param(removable)}::int[])`);
  }
  if (emptied.length > 0) {
    await tx.execute(
      sql`UPDATE line_items SET ordered = 0, updated_at = now() WHERE id = ANY(${sql.param(emptied)}::int[])`,
    );
  }
}
