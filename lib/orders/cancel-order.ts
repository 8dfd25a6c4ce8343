import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type CancelError, fail, ok, type Result, units } from "@/lib/cancellation/errors";
import { planLineItemCancel } from "@/lib/cancellation/rules";
import { type ApplyOptions, applyCancellation } from "@/lib/cancellation/service/apply-cancellation";
import { cancelLineItems, lineItemsCancelRequest } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import type { CancelContext, CancelOutcome } from "@/lib/cancellation/service/types";
import type { SubOrderOutcome } from "./cancel-order-lines";

/**
 * An order id that is not ours. (The catalog's ORDER_NOT_FOUND sentence names a channel and its
 * order id; an order addressed by our own id has no channel to name.)
 */
export function orderNotFound(orderId: string): Result<never> {
  return fail("ORDER_NOT_FOUND", { orderId });
}

/** A sub-order's cancel result as one entry of an order's results. */
export function subOrderOutcomeOf(subOrderId: string, result: Result<CancelOutcome>): SubOrderOutcome {
  if (!result.ok) {
    const error: CancelError = result.error;
    return { subOrderId, status: "ERROR", units: 0, code: error.code, message: error.message };
  }
  return result.value.status === "PENDING"
    ? { subOrderId, status: "WAITING", units: result.value.units, message: result.value.message }
    : { subOrderId, status: "SUCCESS", units: result.value.units };
}

export type OrderCancelRequest = CancelContext & {
  orderId: string;
  /** Cancel what is not fulfilled or in processing (the dropship API's unfulfilledOnly); else each sub-order whole or not at all. */
  unfulfilledOnly: boolean;
};

export type OrderCancelOutcome = { orderId: string; units: number; subOrders: SubOrderOutcome[] };

/**
 * Cancels a whole order (seeds/003 "cancel an entire order", with or without unfulfilledOnly):
 * each of its sub-orders through the sub-order cancel (strict or unfulfilled only), in id order,
 * one cancellation per sub-order, each warehouse asked first. A sub-order that is refused does not
 * stop the others; each one's outcome is returned. An unknown order or reason refuses the whole
 * request before anything is reserved. With an Idempotency-Key, each sub-order's ledger entry keeps
 * `<key>#<sub-order>`, so even a replay whose stored answer was lost never cancels twice.
 */
export async function cancelOrder(
  db: Db,
  request: OrderCancelRequest,
  options?: ApplyOptions,
): Promise<Result<OrderCancelOutcome>> {
  const { orderId, unfulfilledOnly, requestKey, ...context } = request;
  const found = await db.execute<{ sub_order_id: string | null }>(sql`
    SELECT so.id AS sub_order_id
      FROM orders o LEFT JOIN sub_orders so ON so.order_id = o.id
     WHERE o.id = ${orderId}
     ORDER BY so.id`);
  if (found.rows.length === 0) return orderNotFound(orderId);
  const [reason] = (
    await db.execute<{ code: string }>(
      sql`SELECT code FROM cancellation_reasons WHERE code = ${context.reasonCode} AND active`,
    )
  ).rows;
  if (!reason) return fail("REASON_NOT_FOUND", { reasonCode: context.reasonCode });

  const subOrders: SubOrderOutcome[] = [];
  for (const { sub_order_id: subOrderId } of found.rows) {
    if (subOrderId === null) continue; // an order without sub-orders: nothing to cancel
    const result = await cancelSubOrder(
      db,
      {
        ...context,
        subOrderId,
        mode: unfulfilledOnly ? "unfulfilled_only" : "strict",
        requestKey: requestKey === undefined ? undefined : `${requestKey}#${subOrderId}`,
      },
      options,
    );
    subOrders.push(subOrderOutcomeOf(subOrderId, result));
  }
  return ok({ orderId, units: subOrders.reduce((sum, s) => sum + s.units, 0), subOrders });
}

export type LineCancelRequest = CancelContext & {
  subOrderId: string;
  sku: string;
} & (
    | { /** Units to cancel. */ quantity: number; newQuantity?: undefined }
    | {
        /** Units the line keeps (the dropship API's newQuantity). */ newQuantity: number;
        quantity?: undefined;
      }
  );

/**
 * Cancels units of one line (seeds/003 "cancel a partial order item"): `quantity` units, or all
 * but `newQuantity`. The units to keep are turned into units to cancel under the line's lock, from
 * what is left of it then (ordered, less cancelled, less reserved by cancellations in flight), so
 * a cancellation landing in between can never make the line keep fewer than asked. Then the line
 * cancel's own rules (cancellable units, whole lines only) decide, before anything is reserved.
 */
export function cancelLine(
  db: Db,
  request: LineCancelRequest,
  options?: ApplyOptions,
): Promise<Result<CancelOutcome>> {
  const { subOrderId, sku, quantity, newQuantity, ...context } = request;
  if (quantity !== undefined)
    return cancelLineItems(db, { ...context, subOrderId, lines: [{ sku, quantity }] }, options);
  const base = lineItemsCancelRequest({ ...context, subOrderId, lines: [] });
  return applyCancellation(
    db,
    {
      ...base,
      plan: (lines, policy) => {
        const line = lines.find((l) => l.sku === sku);
        if (!line) return fail("LINE_ITEM_NOT_FOUND", { sku, subOrderId });
        if (line.ordered > 0 && line.cancelled === line.ordered) {
          return fail("ALREADY_CANCELLED", { sku, ordered: line.ordered });
        }
        const left = line.ordered - line.cancelled - line.pendingCancel;
        if (newQuantity >= left) {
          const inFlight = line.pendingCancel > 0 ? `, ${units(line.pendingCancel)} being cancelled` : "";
          return fail("INVALID_QUANTITY", {
            problem:
              newQuantity === left
                ? `newQuantity: SKU ${sku} keeps ${units(left)} already (ordered ${line.ordered}, cancelled ${line.cancelled}${inFlight}); nothing to cancel`
                : `newQuantity: ${newQuantity} is more than the ${units(left)} SKU ${sku} has left (ordered ${line.ordered}, cancelled ${line.cancelled}${inFlight})`,
          });
        }
        return planLineItemCancel(subOrderId, lines, [{ sku, quantity: left - newQuantity }], policy);
      },
    },
    options,
  );
}
