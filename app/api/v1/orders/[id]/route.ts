import { getOrderDetail } from "@/db/queries/order-detail";
import { getOrder } from "@/lib/api/contract/operations/orders";
import { ok } from "@/lib/cancellation/errors";
import { orderNotFound } from "@/lib/orders/cancel-order";
import { apiRoute } from "../../../_lib/api-route";

export const dynamic = "force-dynamic";

/** An order with its sub-orders, every line's quantities, its exceptions and its history. */
export const GET = apiRoute(getOrder, async ({ params, db }) => {
  // Integrations see who on the staff acted by user id, not by email.
  const detail = await getOrderDetail(db, params.id, { staffEmails: false });
  if (!detail) return orderNotFound(params.id);
  const { timeline, ...order } = detail;
  return ok({ status: 200, body: { ok: true, data: { ...order, history: timeline } } });
});
