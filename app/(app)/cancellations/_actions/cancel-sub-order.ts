"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import type { SingleCancelResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { success } from "@/lib/action-result";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { cancelSubOrder } from "@/lib/cancellation/service/cancel-sub-order";
import { idText } from "@/lib/validation/text";

import { loadSubOrderLookup } from "../_lib/sub-order-lookup";

const cancelSubOrderSchema = z.object({
  subOrderId: idText({ required: "Enter a sub-order ID" }),
  mode: z.enum(SUB_ORDER_MODES),
  reasonCode: idText({ required: "Choose a reason" }),
});

/**
 * Cancels one sub-order. A refusal by the rules or the warehouse is a result (ERROR with its code
 * and message), not a failure of the action, and so is a warehouse that has not answered yet
 * (WAITING: the units stay reserved until it does): the answer carries the sub-order as it now
 * stands. The audit event is written in the transaction that records the cancellation.
 */
export const cancelSubOrderAction = defineAction(
  {
    schema: cancelSubOrderSchema,
    permission: "cancel:single",
    audit: "cancellation.cancel",
    doing: "cancelling the sub-order",
  },
  async ({ subOrderId, mode, reasonCode }, { actor, audit }) => {
    const db = getDb();
    const result = await cancelSubOrder(db, {
      subOrderId,
      mode,
      reasonCode,
      actor: { type: actor.type, id: actor.id },
      source: "single",
      audit,
    });
    return success<SingleCancelResult>({
      outcome: !result.ok
        ? { status: "ERROR", code: result.error.code, message: result.error.message }
        : result.value.status === "PENDING"
          ? { status: "WAITING", units: result.value.units, message: result.value.message ?? "" }
          : { status: "SUCCESS", units: result.value.units },
      lookup: await loadSubOrderLookup(db, subOrderId),
    });
  },
);
