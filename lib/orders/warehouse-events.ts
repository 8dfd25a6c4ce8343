import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { requestFingerprint, type StoredResponse } from "@/lib/api/idempotency";
import { auditChange, type ChangeAudit } from "@/lib/audit/audit-change";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { loadPlannedLines } from "@/lib/cancellation/service/load-lines";
import type { Actor } from "@/lib/cancellation/service/types";
import type { WarehouseEventInput } from "./contracts";
import { type EventLine, planWarehouseEvent } from "./event-rules";
import { killRemainders } from "./fill-or-kill";
import { readOrderView } from "./order-view";

// The first key of the advisory locks that serialise events with one id of one warehouse.
const EVENT_LOCK = 727_021;

export type EventReceipt = StoredResponse & { replayed: boolean };

export type WarehouseEventRequest = {
  warehouseId: string;
  event: WarehouseEventInput;
  actor: Actor;
  audit?: ChangeAudit;
};

/**
 * A warehouse's report about one sub-order (allocated / picklist released, released back,
 * shipped), applied in one transaction under the lines' locks, the way cancellations take them.
 * Idempotent by the sender's event id: the same id and body again answers what the first one
 * got and changes nothing; the same id with another body is refused. An event that would break the
 * quantity rules is refused whole with the numbers and is not kept, so it may be sent again once
 * things changed (a cancellation in flight was answered). A shipment of units we had cancelled is
 * accepted (202) as an exception on the order, quantities untouched; on a fill-or-kill channel a
 * partial shipment cancels the rest of its lines in the same transaction.
 */
export async function receiveWarehouseEvent(
  db: Db,
  request: WarehouseEventRequest,
): Promise<Result<EventReceipt>> {
  const { warehouseId, event } = request;
  const fingerprint = requestFingerprint("POST", `/warehouses/${warehouseId}/events`, event);
  return db.transaction(async (tx) => {
    const [warehouse] = (
      await tx.execute<{ id: string }>(sql`SELECT id FROM warehouses WHERE id = ${warehouseId}`)
    ).rows;
    if (!warehouse) return fail("WAREHOUSE_NOT_FOUND", { warehouseId });
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(${EVENT_LOCK}, hashtext(${`${warehouseId}\n${event.eventId}`}))`,
    );
    const [seen] = (
      await tx.execute<{ fingerprint: string; response_status: number; response_body: unknown }>(sql`
        SELECT fingerprint, response_status, response_body FROM warehouse_events
         WHERE warehouse_id = ${warehouseId} AND event_id = ${event.eventId}`)
    ).rows;
    if (seen) {
      if (seen.fingerprint !== fingerprint) return fail("EVENT_ID_REUSED", { eventId: event.eventId });
      return ok({ status: seen.response_status, body: seen.response_body, replayed: true });
    }

    const [target] = (
      await tx.execute<{ order_id: string; warehouse_id: string; fill_or_kill: boolean }>(sql`
        SELECT so.order_id, so.warehouse_id, ch.fill_or_kill
          FROM sub_orders so JOIN orders o ON o.id = so.order_id JOIN channels ch ON ch.id = o.channel_id
         WHERE so.id = ${event.subOrderId}`)
    ).rows;
    if (!target) return fail("SUB_ORDER_NOT_FOUND", { subOrderId: event.subOrderId });
    if (target.warehouse_id !== warehouseId) {
      return fail("ORDER_CONFLICT", {
        problem: `subOrderId: sub-order ${event.subOrderId} is held by warehouse ${target.warehouse_id}, not ${warehouseId}`,
      });
    }
    const lines: EventLine[] =
      (await loadPlannedLines(tx, [event.subOrderId], { lock: true })).get(event.subOrderId) ?? [];
    const planned = planWarehouseEvent(event.type, event.subOrderId, lines, event.lines, {
      fillOrKill: target.fill_or_kill,
    });
    if (!planned.ok) return planned;
    const plan = planned.value;

    const updates = plan.updates;
    await tx.execute(sql`
      UPDATE line_items AS li
         SET fulfilled = v.fulfilled, processing = v.processing, updated_at = now()
        FROM unnest(${sql.param(updates.map((u) => u.line.id))}::int[],
                    ${sql.param(updates.map((u) => u.after.fulfilled))}::int[],
                    ${sql.param(updates.map((u) => u.after.processing))}::int[]) AS v(id, fulfilled, processing)
       WHERE li.id = v.id`);
    const killed = await killRemainders(tx, plan.kill);

    const exception =
      plan.shippedAfterCancellation.length > 0
        ? {
            kind: "shipped_after_cancellation" as const,
            lines: plan.shippedAfterCancellation.map(({ sku, units }) => ({ sku, units })),
            shipment: event.shipment ?? null,
          }
        : null;
    const view = await readOrderView(tx, target.order_id);
    const response: StoredResponse = {
      status: exception ? 202 : 200,
      body: {
        ok: true,
        data: {
          eventId: event.eventId,
          type: event.type,
          exception,
          fillOrKill: killed.length > 0 ? { cancellationIds: killed } : null,
          subOrder: view?.subOrders.find((s) => s.id === event.subOrderId) ?? null,
        },
      },
    };
    const [stored] = (
      await tx.execute<{ id: number }>(sql`
        INSERT INTO warehouse_events (warehouse_id, event_id, type, sub_order_id, fingerprint, body,
                                      response_status, response_body, actor_type, actor_id)
        VALUES (${warehouseId}, ${event.eventId}, ${event.type}, ${event.subOrderId}, ${fingerprint},
                ${JSON.stringify(event)}::jsonb, ${response.status}, ${JSON.stringify(response.body)}::jsonb,
                ${request.actor.type}, ${request.actor.id})
        RETURNING id`)
    ).rows;
    if (exception) {
      await tx.execute(sql`
        INSERT INTO order_exceptions (order_id, sub_order_id, kind, detail, warehouse_event_id)
        VALUES (${target.order_id}, ${event.subOrderId}, ${exception.kind},
                ${JSON.stringify({ lines: exception.lines, shipment: exception.shipment })}::jsonb, ${stored?.id ?? null})`);
    }
    await auditChange(tx, request.audit, {
      actor: request.actor,
      action: "warehouse.event",
      target: event.subOrderId,
      outcome: "success",
      detail: {
        warehouseId,
        eventId: event.eventId,
        type: event.type,
        exception: exception !== null,
        fillOrKill: killed,
      },
    });
    return ok({ ...response, replayed: false });
  });
}
