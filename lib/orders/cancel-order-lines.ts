import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { fail, ok, type Result } from "@/lib/cancellation/errors";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import type { CancelContext } from "@/lib/cancellation/service/types";
import { subOrderOutcomeOf } from "./cancel-order";

/** What one sub-order's part of an order cancel came to. */
export type SubOrderOutcome = {
  subOrderId: string;
  /** SUCCESS: cancelled. WAITING: reserved, the warehouse has not answered yet. ERROR: nothing changed. */
  status: "SUCCESS" | "WAITING" | "ERROR";
  units: number;
  code?: string;
  message?: string;
};

export type OrderLinesRequest = CancelContext & {
  orderId: string;
  /** Line items of the order and how many units of each to cancel. */
  lines: readonly { lineItemId: number; quantity: number }[];
};

/**
 * Cancels lines of one order: one cancellation per sub-order (each has its own warehouse, asked
 * first), through the same service as every other door. A sub-order that is refused does not stop
 * the others; each one's outcome is returned. A line that is not on the order refuses the whole
 * request before anything is reserved.
 */
export async function cancelOrderLines(
  db: Db,
  request: OrderLinesRequest,
): Promise<Result<SubOrderOutcome[]>> {
  const { orderId, lines, ...context } = request;
  const ids = lines.map((l) => l.lineItemId);
  const found = await db.execute<{ id: number; sub_order_id: string; sku: string }>(sql`
    SELECT li.id, li.sub_order_id, li.sku
      FROM line_items li JOIN sub_orders so ON so.id = li.sub_order_id
     WHERE so.order_id = ${orderId} AND li.id = ANY(${sql.param(ids)}::int[])`);
  const byId = new Map(found.rows.map((r) => [Number(r.id), r]));
  const bySubOrder = new Map<string, { sku: string; quantity: number }[]>();
  for (const [index, line] of lines.entries()) {
    const row = byId.get(line.lineItemId);
    if (!row) {
      return fail("INVALID_INPUT", {
        problem: `lines.${index}.lineItemId: order ${orderId} has no line item ${line.lineItemId}`,
      });
    }
    const group = bySubOrder.get(row.sub_order_id) ?? [];
    group.push({ sku: row.sku, quantity: line.quantity });
    bySubOrder.set(row.sub_order_id, group);
  }

  const outcomes: SubOrderOutcome[] = [];
  for (const [subOrderId, group] of [...bySubOrder].sort(([a], [b]) => a.localeCompare(b))) {
    const result = await cancelLineItems(db, { ...context, subOrderId, lines: group });
    outcomes.push(subOrderOutcomeOf(subOrderId, result));
  }
  return ok(outcomes);
}
