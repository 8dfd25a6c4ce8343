import { receiveWarehouseEvent as receiveWarehouseEventOperation } from "@/lib/api/contract/operations/intake";
import { ok } from "@/lib/cancellation/errors";
import { receiveWarehouseEvent } from "@/lib/orders/warehouse-events";
import { apiRoute } from "../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * A warehouse's event about one sub-order (scope `orders:write`): `allocated` (picklist released:
 * units move to processing), `released` (back from processing) or `shipped` (units fulfilled, with
 * the shipment reference, carrier and tracking). Idempotent by `eventId`. 200 applied; 202 accepted
 * as an exception (units shipped after we cancelled them; quantities untouched); 409 refused with
 * the numbers, nothing changed; 422 the same `eventId` with another body.
 */
export const POST = apiRoute(receiveWarehouseEventOperation, async ({ params, body, db, actor, audit }) => {
  const result = await receiveWarehouseEvent(db, {
    warehouseId: params.warehouseId,
    event: body,
    actor,
    audit,
  });
  if (!result.ok) return result;
  return ok({ status: result.value.status, body: result.value.body });
});
