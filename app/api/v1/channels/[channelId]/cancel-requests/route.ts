import { z } from "zod";
import { getDb } from "@/db/client";
import { CANCEL_REQUEST_STATES } from "@/db/schema";
import { failureOf, invalid } from "@/lib/action-result";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { ok } from "@/lib/cancellation/errors";
import { isCancelRequestCursor, listChannelCancelRequests } from "@/lib/orders/cancel-request-decisions";
import { receiveCancelRequest } from "@/lib/orders/cancel-requests";
import { cancelRequestSchema } from "@/lib/orders/contracts";
import { idText } from "@/lib/validation/text";
import { apiMutation } from "../../../../_lib/api-mutation";
import { failureResponse, internalErrorResponse, NO_STORE } from "../../../../_lib/responses";

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

const listQuerySchema = z.object({
  state: z.enum(CANCEL_REQUEST_STATES).optional(),
  cursor: z.string().refine(isCancelRequestCursor, "is not the nextCursor of an earlier page").optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

/**
 * The channel's cancel requests with their decisions (scope `read`): open ones first, oldest
 * first, then decided ones, newest decision first; `?state=open|approved|rejected|expired`,
 * `?limit=` (1-200, default 50) and `?cursor=` (the previous page's `nextCursor`).
 */
export async function GET(request: Request, context: { params: Promise<{ channelId: string }> }) {
  try {
    const auth = await authenticateApiRequest(request, "read");
    if (!auth.ok) return auth.response;
    const path = paramsSchema.safeParse(await context.params);
    if (!path.success) return failureResponse(invalid(path.error));
    const query = listQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return failureResponse(invalid(query.error));
    const page = await listChannelCancelRequests(getDb(), path.data.channelId, query.data);
    if (!page.ok) return failureResponse(failureOf(page.error));
    return Response.json(
      { ok: true, data: page.value.rows, nextCursor: page.value.nextCursor },
      { headers: NO_STORE },
    );
  } catch (error) {
    return internalErrorResponse(error, "listing the cancel requests");
  }
}
