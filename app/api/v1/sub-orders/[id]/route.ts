import { getSubOrderDetail } from "@/db/queries/sub-orders";
import { getSubOrder } from "@/lib/api/contract/operations/sub-orders";
import { fail, ok } from "@/lib/cancellation/errors";
import { apiRoute } from "../../../_lib/api-route";

export const dynamic = "force-dynamic";

/** A sub-order with its lines, quantities, cancellable units and derived status. */
export const GET = apiRoute(getSubOrder, async ({ params, db }) => {
  const detail = await getSubOrderDetail(db, params.id);
  if (!detail) return fail("SUB_ORDER_NOT_FOUND", { subOrderId: params.id });
  return ok({ status: 200, body: { ok: true, data: detail } });
});
