import { cancelLineItem } from "@/lib/api/contract/operations/orders";
import { ok } from "@/lib/cancellation/errors";
import { cancelLine } from "@/lib/orders/cancel-order";
import { apiRoute } from "../../../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * Cancels units of one line: `quantity` to cancel or `newQuantity` to keep. 200 cancelled, 202
 * reserved and waiting for the warehouse. Idempotent by `Idempotency-Key`.
 */
export const POST = apiRoute(cancelLineItem, async ({ params, body, db, actor, audit, idempotencyKey }) => {
  const context = {
    reasonCode: body.reasonCode,
    actor,
    source: "api" as const,
    requestKey: idempotencyKey,
    audit,
  };
  const target = { subOrderId: params.id, sku: params.sku };
  const result =
    body.quantity !== undefined
      ? await cancelLine(db, { ...context, ...target, quantity: body.quantity })
      : await cancelLine(db, { ...context, ...target, newQuantity: body.newQuantity ?? 0 });
  if (!result.ok) return result;
  return ok({
    status: result.value.status === "PENDING" ? 202 : 200,
    body: { ok: true, data: result.value },
  });
});
