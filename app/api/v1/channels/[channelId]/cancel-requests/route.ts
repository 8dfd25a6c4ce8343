import { z } from "zod";
import { ok } from "@/lib/cancellation/errors";
import { receiveCancelRequest } from "@/lib/orders/cancel-requests";
import { cancelRequestSchema } from "@/lib/orders/contracts";
import { idText } from "@/lib/validation/text";
import { apiMutation } from "../../../../_lib/api-mutation";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ channelId: idText() });

/**
 * A customer's cancel request, sent by the channel (scope `requests:write`): stored open (201) for
 * an agent to approve or reject, with the customer's reason mapped to ours. Idempotent by
 * `requestId`: the same request again answers the stored one (200).
 */
export async function POST(request: Request, context: { params: Promise<{ channelId: string }> }) {
  return apiMutation(
    request,
    {
      scope: "requests:write",
      params: { schema: paramsSchema, value: await context.params },
      body: cancelRequestSchema,
      what: "storing the cancel request",
    },
    async ({ params, body, db, actor, audit }) => {
      const result = await receiveCancelRequest(db, {
        channelId: params.channelId,
        request: body,
        actor,
        audit,
      });
      if (!result.ok) return result;
      return ok({ status: result.value.status, body: result.value.body });
    },
  );
}
