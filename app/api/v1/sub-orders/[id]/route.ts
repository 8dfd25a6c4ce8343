import { getDb } from "@/db/client";
import { getSubOrderDetail } from "@/db/queries/sub-orders";
import { invalid } from "@/lib/action-result";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { idParamsSchema } from "../../../_lib/params";
import { failureResponse, internalErrorResponse, NO_STORE } from "../../../_lib/responses";

export const dynamic = "force-dynamic";

/** A sub-order with its lines, quantities, cancellable units and derived status. Needs `read`. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  try {
    const auth = await authenticateApiRequest(request, "read");
    if (!auth.ok) return auth.response;
    const path = idParamsSchema.safeParse(await context.params);
    if (!path.success) return failureResponse(invalid(path.error));
    const detail = await getSubOrderDetail(getDb(), path.data.id);
    if (!detail)
      return failureResponse({
        ok: false,
        code: "SUB_ORDER_NOT_FOUND",
        message: `Sub-order ${path.data.id} does not exist`,
      });
    return Response.json({ ok: true, data: detail }, { headers: NO_STORE });
  } catch (error) {
    return internalErrorResponse(error, "reading the sub-order");
  }
}
