import { cancelSubOrder as cancelSubOrderOperation } from "@/lib/api/contract/operations/sub-orders";
import { ok } from "@/lib/cancellation/errors";
import { cancelLineItems } from "@/lib/cancellation/service/cancel-line-items";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { apiRoute } from "../../../../_lib/api-route";

export const dynamic = "force-dynamic";

/**
 * Cancels a sub-order, or quantities of some of its lines (see the operation's description).
 * Idempotent by `Idempotency-Key`; the ledger keeps the key too, so even a lost stored answer never
 * cancels twice.
 */
export const POST = apiRoute(
  cancelSubOrderOperation,
  async ({ params, body, db, actor, audit, idempotencyKey }) => {
    const base = {
      subOrderId: params.id,
      reasonCode: body.reasonCode,
      actor,
      source: "api" as const,
      requestKey: idempotencyKey,
      audit,
    };
    const result = body.lines
      ? await cancelLineItems(db, { ...base, lines: body.lines })
      : await cancelSubOrder(db, { ...base, mode: body.mode });
    if (!result.ok) return result;
    return ok({
      status: result.value.status === "PENDING" ? 202 : 200,
      body: { ok: true, data: result.value },
    });
  },
);
