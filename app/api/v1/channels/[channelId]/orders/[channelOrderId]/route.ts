import { z } from "zod";
import { ok } from "@/lib/cancellation/errors";
import { intakeOrderSchema } from "@/lib/orders/contracts";
import { upsertOrder } from "@/lib/orders/intake";
import { idText } from "@/lib/validation/text";
import { apiMutation } from "../../../../../_lib/api-mutation";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ channelId: idText(), channelOrderId: idText({ max: 200 }) });

/**
 * Order intake, for a channel or the OMS (scope `orders:write`): the whole order as the channel has
 * it now, created (201) or updated (200) by the channel's own order id. Sending the same body again
 * changes nothing. An update that would take a line below what is already fulfilled, in
 * processing, cancelled or reserved is refused whole (409, with every such line and its numbers).
 */
export async function PUT(
  request: Request,
  context: { params: Promise<{ channelId: string; channelOrderId: string }> },
) {
  return apiMutation(
    request,
    {
      scope: "orders:write",
      params: { schema: paramsSchema, value: await context.params },
      body: intakeOrderSchema,
      what: "storing the order",
    },
    async ({ params, body, db, actor, audit }) => {
      const result = await upsertOrder(db, { ...params, order: body, actor, audit });
      if (!result.ok) return result;
      return ok({ status: result.value.created ? 201 : 200, body: { ok: true, data: result.value.order } });
    },
  );
}
