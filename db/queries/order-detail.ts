import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { cancellableOf } from "@/lib/cancellation/quantities";
import { cancellableUnder } from "@/lib/cancellation/rules";
import { deriveSubOrderStatus, type SubOrderStatus } from "@/lib/cancellation/status";
import { type ExceptionSteps, readSteps } from "@/lib/orders/exception-steps";
import type { OrderLineView } from "@/lib/orders/order-view";

/** A line as the intake shows it, with its id and what one cancellation may take now. */
export type OrderDetailLine = OrderLineView & {
  id: number;
  /** The most one cancellation may take now under the channel's policy (whole lines only: all or 0). */
  cancellableNow: number;
};

export type OrderDetailSubOrder = {
  id: string;
  warehouse: { id: string; name: string; connector: string };
  status: SubOrderStatus;
  lines: OrderDetailLine[];
};

export type TimelineEntry = {
  at: string;
  kind: "placed" | "intake" | "warehouse_event" | "cancellation" | "cancel_request" | "exception";
  title: string;
  detail: string[];
  /** For cancellations: the ledger's status and the channel notification's state. */
  status?: string;
  sync?: string | null;
  automatic?: boolean;
  /** For cancellations: units and their value in the order's currency. */
  units?: number;
  valueMinor?: number;
};

export type OrderException = {
  id: string;
  subOrderId: string;
  createdAt: string;
  lines: { sku: string; units: number }[];
  shipment: { reference: string; carrier?: string; trackingNumber?: string } | null;
  steps: ExceptionSteps;
  resolvedAt: string | null;
};

export type OrderDetail = {
  id: string;
  orderNumber: string;
  channelOrderId: string;
  currency: string;
  customerName: string;
  createdAt: string;
  channel: { id: string; name: string; connector: string; partialQuantities: boolean; fillOrKill: boolean };
  status: SubOrderStatus;
  subOrders: OrderDetailSubOrder[];
  exceptions: OrderException[];
  timeline: TimelineEntry[];
};

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const iso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', ${ISO})`);

export type OrderDetailOptions = {
  /**
   * Staff who cancelled or decided appear by email (the panel's own pages) or, false, as `user <id>`:
   * the REST API's keys are integrations, which are not shown who on the staff did what.
   */
  staffEmails?: boolean;
};

/** An order as its page shows it: every line's quantities and everything that happened to it. */
export async function getOrderDetail(
  db: DbOrTx,
  orderId: string,
  options: OrderDetailOptions = {},
): Promise<OrderDetail | null> {
  const [order] = (
    await db.execute<{
      id: string;
      channel_order_no: string;
      channel_order_id: string;
      currency: string;
      customer_name: string;
      created_at: string;
      channel_id: string;
      channel_name: string;
      connector: string;
      partial_quantities: boolean;
      fill_or_kill: boolean;
    }>(sql`
      SELECT o.id, o.channel_order_no, o.channel_order_id, o.currency, o.customer_name, ${iso("o.created_at")} AS created_at,
             ch.id AS channel_id, ch.name AS channel_name, ch.connector, ch.partial_quantities, ch.fill_or_kill
        FROM orders o JOIN channels ch ON ch.id = o.channel_id
       WHERE o.id = ${orderId}`)
  ).rows;
  if (!order) return null;

  const lines = await db.execute<{
    sub_order_id: string;
    warehouse_id: string;
    warehouse_name: string;
    warehouse_connector: string;
    id: number | null;
    sku: string | null;
    channel_item_id: string | null;
    unit_price_minor: number;
    ordered: number;
    fulfilled: number;
    processing: number;
    cancelled: number;
    pending_cancel: number;
  }>(sql`
    SELECT so.id AS sub_order_id, w.id AS warehouse_id, w.name AS warehouse_name, w.connector AS warehouse_connector,
           li.id, li.sku, li.channel_item_id, li.unit_price_minor, li.ordered, li.fulfilled, li.processing,
           li.cancelled, li.pending_cancel
      FROM sub_orders so
      JOIN warehouses w ON w.id = so.warehouse_id
      LEFT JOIN line_items li ON li.sub_order_id = so.id
     WHERE so.order_id = ${orderId}
     ORDER BY so.id, li.id`);
  const policy = { channelName: order.channel_name, partialQuantities: order.partial_quantities };
  const subOrders: OrderDetailSubOrder[] = [];
  for (const row of lines.rows) {
    let subOrder = subOrders.at(-1);
    if (subOrder?.id !== row.sub_order_id) {
      subOrder = {
        id: row.sub_order_id,
        warehouse: { id: row.warehouse_id, name: row.warehouse_name, connector: row.warehouse_connector },
        status: "open",
        lines: [],
      };
      subOrders.push(subOrder);
    }
    if (row.id === null || row.sku === null) continue;
    const q = {
      ordered: row.ordered,
      fulfilled: row.fulfilled,
      processing: row.processing,
      cancelled: row.cancelled,
      pendingCancel: row.pending_cancel,
    };
    subOrder.lines.push({
      id: row.id,
      sku: row.sku,
      channelItemId: row.channel_item_id,
      unitPriceMinor: row.unit_price_minor,
      ...q,
      cancellable: cancellableOf(q),
      cancellableNow: cancellableUnder(q, policy),
    });
  }
  for (const s of subOrders) s.status = deriveSubOrderStatus(s.lines);

  const exceptions = await db.execute<{
    id: string;
    sub_order_id: string;
    created_at: string;
    detail: { lines: { sku: string; units: number }[]; shipment: OrderException["shipment"] };
    steps: unknown;
    resolved_at: string | null;
  }>(sql`
    SELECT id, sub_order_id, ${iso("created_at")} AS created_at, detail, steps,
           CASE WHEN resolved_at IS NULL THEN NULL ELSE ${iso("resolved_at")} END AS resolved_at
      FROM order_exceptions WHERE order_id = ${orderId} ORDER BY created_at`);

  return {
    id: order.id,
    orderNumber: order.channel_order_no,
    channelOrderId: order.channel_order_id,
    currency: order.currency,
    customerName: order.customer_name,
    createdAt: order.created_at,
    channel: {
      id: order.channel_id,
      name: order.channel_name,
      connector: order.connector,
      partialQuantities: order.partial_quantities,
      fillOrKill: order.fill_or_kill,
    },
    status: deriveSubOrderStatus(subOrders.flatMap((s) => s.lines)),
    subOrders,
    exceptions: exceptions.rows.map((e) => ({
      id: e.id,
      subOrderId: e.sub_order_id,
      createdAt: e.created_at,
      lines: e.detail.lines,
      shipment: e.detail.shipment,
      steps: readSteps(e.steps),
      resolvedAt: e.resolved_at,
    })),
    timeline: await readTimeline(db, order.id, order.created_at, options.staffEmails ?? true),
  };
}

const EVENT_TITLES = {
  allocated: "Allocated in the warehouse (picklist released)",
  released: "Released back from processing",
  shipped: "Shipped",
} as const;

async function readTimeline(
  db: DbOrTx,
  orderId: string,
  placedAt: string,
  staffEmails: boolean,
): Promise<TimelineEntry[]> {
  const staff = (email: string | null, id: string) => (staffEmails && email ? email : `user ${id}`);
  const entries: TimelineEntry[] = [{ at: placedAt, kind: "placed", title: "Order placed", detail: [] }];

  const intake = await db.execute<{
    at: string;
    actor_label: string;
    detail: { created?: boolean } | null;
  }>(sql`
    SELECT ${iso("at")} AS at, actor_label, detail FROM audit_events
     WHERE action = 'order.upsert' AND target = ${orderId} ORDER BY at`);
  for (const row of intake.rows) {
    entries.push({
      at: row.at,
      kind: "intake",
      title: row.detail?.created ? "Received from the channel" : "Updated by the channel",
      detail: [`by ${row.actor_label}`],
    });
  }

  const events = await db.execute<{
    at: string;
    type: keyof typeof EVENT_TITLES;
    sub_order_id: string;
    event_id: string;
    warehouse_id: string;
    body: {
      lines: { sku: string; quantity: number }[];
      shipment?: { reference: string; carrier?: string; trackingNumber?: string };
    };
    response_status: number;
  }>(sql`
    SELECT ${iso("e.created_at")} AS at, e.type, e.sub_order_id, e.event_id, e.warehouse_id, e.body, e.response_status
      FROM warehouse_events e JOIN sub_orders so ON so.id = e.sub_order_id
     WHERE so.order_id = ${orderId} ORDER BY e.created_at`);
  for (const row of events.rows) {
    const shipment = row.body.shipment;
    entries.push({
      at: row.at,
      kind: "warehouse_event",
      title: `${EVENT_TITLES[row.type]}: ${row.body.lines.map((l) => `${l.quantity} × ${l.sku}`).join(", ")}`,
      detail: [
        `${row.sub_order_id} · warehouse ${row.warehouse_id} · event ${row.event_id}`,
        ...(shipment
          ? [
              `Shipment ${shipment.reference}${shipment.carrier ? ` · ${shipment.carrier}` : ""}${shipment.trackingNumber ? ` · tracking ${shipment.trackingNumber}` : ""}`,
            ]
          : []),
        ...(row.response_status === 202 ? ["Units already cancelled were shipped: see Exceptions"] : []),
      ],
    });
  }

  const cancellations = await db.execute<{
    at: string;
    sub_order_id: string;
    status: string;
    source: string;
    actor_type: string;
    actor_id: string;
    user_email: string | null;
    key_name: string | null;
    reason_label: string;
    error_message: string | null;
    units: number;
    value_minor: number;
    lines: string;
    sync_state: string | null;
    sync_error: string | null;
  }>(sql`
    SELECT ${iso("c.created_at")} AS at, c.sub_order_id, c.status, c.source, c.actor_type, c.actor_id,
           u.email AS user_email, k.name AS key_name, r.label AS reason_label, c.error_message,
           l.units, l.value_minor, l.lines, n.state AS sync_state, n.last_error AS sync_error
      FROM cancellations c
      JOIN sub_orders so ON so.id = c.sub_order_id
      JOIN cancellation_reasons r ON r.code = c.reason_code
      LEFT JOIN users u ON c.actor_type = 'user' AND u.id = c.actor_id
      LEFT JOIN api_keys k ON c.actor_type = 'api_key' AND k.id::text = c.actor_id
      LEFT JOIN channel_notifications n ON n.cancellation_id = c.id
      CROSS JOIN LATERAL (
        SELECT sum(cl.quantity)::int AS units, sum(cl.quantity * li.unit_price_minor)::int AS value_minor,
               string_agg(cl.quantity || ' × ' || li.sku, ', ' ORDER BY li.id) AS lines
          FROM cancellation_lines cl JOIN line_items li ON li.id = cl.line_item_id
         WHERE cl.cancellation_id = c.id) AS l
     WHERE so.order_id = ${orderId}
     ORDER BY c.created_at`);
  for (const row of cancellations.rows) {
    const automatic = row.source === "automatic";
    const who = automatic
      ? "fill-or-kill (automatic)"
      : row.actor_type === "user"
        ? staff(row.user_email, row.actor_id)
        : (row.key_name ?? `${row.actor_type} ${row.actor_id}`);
    entries.push({
      at: row.at,
      kind: "cancellation",
      title: `${automatic ? "Fill-or-kill cancelled" : "Cancelled"} ${row.lines}`,
      detail: [
        `${row.sub_order_id} · ${who} · ${row.source.replace("_", " ")} · reason: ${row.reason_label}`,
        ...(row.status === "REJECTED" && row.error_message
          ? [`Warehouse refused: ${row.error_message}`]
          : []),
        ...(row.status === "PENDING" ? ["Waiting for the warehouse's answer; the units are reserved"] : []),
        ...(row.sync_error && row.sync_state !== "delivered" ? [`Channel: ${row.sync_error}`] : []),
      ],
      status: row.status,
      sync: row.sync_state,
      automatic,
      units: row.units,
      valueMinor: row.value_minor,
    });
  }

  const requests = await db.execute<{
    at: string;
    decided_at: string | null;
    state: string;
    channel_request_id: string;
    customer_reason: string;
    reason_label: string;
    note: string | null;
    decision_note: string | null;
    decided_by_type: string | null;
    decided_by_id: string | null;
    decided_by_email: string | null;
  }>(sql`
    SELECT ${iso("r.created_at")} AS at,
           CASE WHEN r.decided_at IS NULL THEN NULL ELSE ${iso("r.decided_at")} END AS decided_at,
           r.state, r.channel_request_id, r.customer_reason, cr.label AS reason_label, r.note, r.decision_note,
           r.decided_by_type, r.decided_by_id, u.email AS decided_by_email
      FROM cancel_requests r
      JOIN cancellation_reasons cr ON cr.code = r.reason_code
      LEFT JOIN users u ON r.decided_by_type = 'user' AND u.id = r.decided_by_id
     WHERE r.order_id = ${orderId} ORDER BY r.created_at`);
  for (const row of requests.rows) {
    entries.push({
      at: row.at,
      kind: "cancel_request",
      title: `Customer asked to cancel (request ${row.channel_request_id})`,
      detail: [
        `Reason: ${row.reason_label} (the channel said "${row.customer_reason}")`,
        ...(row.note ? [`Customer's note: ${row.note}`] : []),
      ],
      status: row.state,
    });
    if (row.decided_at) {
      entries.push({
        at: row.decided_at,
        kind: "cancel_request",
        title: `Request ${row.channel_request_id} ${row.state}`,
        detail: [
          `by ${
            row.decided_by_type === "user" && row.decided_by_id
              ? staff(row.decided_by_email, row.decided_by_id)
              : (row.decided_by_id ?? "unknown")
          }`,
          ...(row.decision_note ? [`Note: ${row.decision_note}`] : []),
        ],
        status: row.state,
      });
    }
  }

  const exceptions = await db.execute<{
    at: string;
    sub_order_id: string;
    detail: { lines: { sku: string; units: number }[] };
  }>(sql`
    SELECT ${iso("created_at")} AS at, sub_order_id, detail FROM order_exceptions WHERE order_id = ${orderId}`);
  for (const row of exceptions.rows) {
    entries.push({
      at: row.at,
      kind: "exception",
      title: `Shipped after cancellation: ${row.detail.lines.map((l) => `${l.units} × ${l.sku}`).join(", ")}`,
      detail: [`${row.sub_order_id} · see Exceptions for the compensation steps`],
    });
  }

  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
