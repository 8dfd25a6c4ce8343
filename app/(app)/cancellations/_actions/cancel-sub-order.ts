"use server";

import { headers } from "next/headers";
import { z } from "zod";
import type { SingleCancelResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { type ActionResult, invalid, success } from "@/lib/action-result";
import { auditActorOf } from "@/lib/audit/record-audit-event";
import { getClientIp } from "@/lib/auth/client-ip";
import { authorize } from "@/lib/auth/session";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { idText } from "@/lib/validation/text";

import { loadSubOrderLookup } from "../_lib/sub-order-lookup";
import { unexpectedFailure } from "../_lib/unexpected-failure";

const cancelSubOrderSchema = z.object({
  subOrderId: idText({ required: "Enter a sub-order ID" }),
  mode: z.enum(SUB_ORDER_MODES),
  reasonCode: idText({ required: "Choose a reason" }),
});

/**
 * Cancels one sub-order. A refusal by the rules or the warehouse is a result (ERROR with its code
 * and message), not a failure of the action, and so is a warehouse that has not answered yet
 * (WAITING: the units stay reserved until it does): the answer carries the sub-order as it now stands.
 */
export async function cancelSubOrderAction(input: unknown): Promise<ActionResult<SingleCancelResult>> {
  const parsed = cancelSubOrderSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { subOrderId, mode, reasonCode } = parsed.data;
  const auth = await authorize("cancel:single", { action: "cancellation.cancel", target: subOrderId });
  if (!auth.ok) return auth;
  try {
    const db = getDb();
    // The audit event is written in the transaction that records the cancellation.
    const result = await cancelSubOrder(db, {
      subOrderId,
      mode,
      reasonCode,
      actor: { type: auth.actor.type, id: auth.actor.id },
      source: "single",
      audit: { label: auditActorOf(auth.actor).label, sourceIp: getClientIp(await headers()) },
    });
    return success({
      outcome: !result.ok
        ? { status: "ERROR", code: result.error.code, message: result.error.message }
        : result.value.status === "PENDING"
          ? { status: "WAITING", units: result.value.units, message: result.value.message ?? "" }
          : { status: "SUCCESS", units: result.value.units },
      lookup: await loadSubOrderLookup(db, subOrderId),
    });
  } catch (error) {
    return unexpectedFailure(error, "cancelling the sub-order");
  }
}
