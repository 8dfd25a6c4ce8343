import { cancelOrder as cancelOrderOperation } from "@/lib/api/contract/operations/orders";
import { ok } from "@/lib/cancellation/errors";
import { cancelOrder } from "@/lib/orders/cancel-order";
import { apiRoute } from "../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * Cancels every sub-order of an order, strict or unfulfilled only: 200 with one result per
 * sub-order (SUCCESS, WAITING or ERROR), 404 for an unknown order. Idempotent by `Idempotency-Key`.
 */
export const POST = apiRoute(
  cancelOrderOperation,
  async ({ params, body, db, actor, audit, idempotencyKey }) => {
    const result = await cancelOrder(db, {
      orderId: params.id,
      reasonCode: body.reasonCode,
      unfulfilledOnly: body.unfulfilledOnly,
      actor,
      source: "api",
      requestKey: idempotencyKey,
      audit,
    });
    if (!result.ok) return result;
    return ok({ status: 200, body: { ok: true, data: result.value } });
  },
);
