import { putChannelOrder } from "@/lib/api/contract/operations/intake";
import { ok } from "@/lib/cancellation/errors";
import { upsertOrder } from "@/lib/orders/intake";
import { apiRoute } from "../../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * Order intake, for a channel or the OMS (scope `orders:write`): the whole order as the channel has
 * it now, created (201) or updated (200) by the channel's own order id. Sending the same body again
 * changes nothing. An update that would take a line below what is already fulfilled, in
 * processing, cancelled or reserved is refused whole (409, with every such line and its numbers).
 */
export const PUT = apiRoute(putChannelOrder, async ({ params, body, db, actor, audit }) => {
  const result = await upsertOrder(db, { ...params, order: body, actor, audit });
  if (!result.ok) return result;
  return ok({ status: result.value.created ? 201 : 200, body: { ok: true, data: result.value.order } });
});
