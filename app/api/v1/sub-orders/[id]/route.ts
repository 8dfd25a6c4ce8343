import { getDb } from "@/db/client";
import { getSubOrderDetail } from "@/db/queries/sub-orders";
import { authenticateApiRequest } from "@/lib/auth/api-keys";
import { failureResponse, NO_STORE } from "../../../_lib/responses";

export const dynamic = "force-dynamic";

/** A sub-order with its lines, quantities, cancellable units and derived status. Needs `read`. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const auth = await authenticateApiRequest(request, "read");
  if (!auth.ok) return auth.response;
  const { id } = await context.params;
  const detail = await getSubOrderDetail(getDb(), id);
  if (!detail)
    return failureResponse({
      ok: false,
      code: "SUB_ORDER_NOT_FOUND",
      message: `Sub-order ${id} does not exist`,
    });
  return Response.json({ ok: true, data: detail }, { headers: NO_STORE });
}
