import { createCancelRequest, listCancelRequests } from "@/lib/api/contract/operations/intake";
import { ok } from "@/lib/cancellation/errors";
import { isCancelRequestCursor, listChannelCancelRequests } from "@/lib/orders/cancel-request-decisions";
import { receiveCancelRequest } from "@/lib/orders/cancel-requests";
import { apiRoute } from "../../../../_lib/api-route";
import { failureResponse } from "../../../../_lib/responses";

export const dynamic = "force-dynamic";

/**
 * A customer's cancel request, sent by the channel (scope `requests:write`): stored open (201) for
 * an agent to approve or reject, with the customer's reason mapped to ours. Idempotent by
 * `requestId`: the same request again answers the stored one (200).
 */
export const POST = apiRoute(createCancelRequest, async ({ params, body, db, actor, audit }) => {
  const result = await receiveCancelRequest(db, { channelId: params.channelId, request: body, actor, audit });
  if (!result.ok) return result;
  return ok({ status: result.value.status, body: result.value.body });
});

const BAD_CURSOR = "is not the nextCursor of an earlier page";

/**
 * The channel's cancel requests with their decisions (scope `read`): open ones first, oldest
 * first, then decided ones, newest decision first; `?state=open|approved|rejected|expired`,
 * `?limit=` (1-200, default 50) and `?cursor=` (the previous page's `nextCursor`).
 */
export const GET = apiRoute(listCancelRequests, async ({ params, query, db }) => {
  if (query.cursor !== undefined && !isCancelRequestCursor(query.cursor)) {
    return failureResponse({
      ok: false,
      code: "INVALID_INPUT",
      message: `cursor: ${BAD_CURSOR}`,
      fieldErrors: { cursor: [BAD_CURSOR] },
    });
  }
  const page = await listChannelCancelRequests(db, params.channelId, query);
  if (!page.ok) return page;
  return ok({ status: 200, body: { ok: true, data: page.value.rows, nextCursor: page.value.nextCursor } });
});
