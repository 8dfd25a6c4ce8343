import { z } from "zod";
import { ok } from "@/lib/cancellation/errors";
import { warehouseEventSchema } from "@/lib/orders/contracts";
import { receiveWarehouseEvent } from "@/lib/orders/warehouse-events";
import { idText } from "@/lib/validation/text";
import { apiMutation } from "../../../../_lib/api-mutation";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({ warehouseId: idText() });

/**
 * A warehouse's event about one sub-order (scope `orders:write`): `allocated` (picklist released:
 * units move to processing), `released` (back from processing) or `shipped` (units fulfilled, with
 * the shipment reference, carrier and tracking). Idempotent by `eventId`. 200 applied; 202 accepted
 * as an exception (units shipped after we cancelled them; quantities untouched); 409 refused with
 * the numbers, nothing changed; 422 the same `eventId` with another body.
 */
export async function POST(request: Request, context: { params: Promise<{ warehouseId: string }> }) {
  return apiMutation(
    request,
    {
      scope: "orders:write",
      params: { schema: paramsSchema, value: await context.params },
      body: warehouseEventSchema,
      what: "receiving the warehouse event",
    },
    async ({ params, body, db, actor, audit }) => {
      const result = await receiveWarehouseEvent(db, {
        warehouseId: params.warehouseId,
        event: body,
        actor,
        audit,
      });
      if (!result.ok) return result;
      return ok({ status: result.value.status, body: result.value.body });
    },
  );
}
