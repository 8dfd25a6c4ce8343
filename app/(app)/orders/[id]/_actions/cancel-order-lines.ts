"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { cancelOrderLines, type SubOrderOutcome } from "@/lib/orders/cancel-order-lines";
import { idText } from "@/lib/validation/text";

const cancelOrderLinesSchema = z.object({
  orderId: idText({ required: "The order is missing" }),
  reasonCode: idText({ required: "Choose a reason" }),
  lines: z
    .array(
      z.object({
        lineItemId: z.number().int().positive(),
        quantity: z.number().int("Enter a whole number").min(1, "Enter at least 1"),
      }),
    )
    .min(1, "Select at least one line")
    .max(500, "At most 500 lines at once"),
});

/**
 * Cancels the selected lines of one order, one cancellation per sub-order. A refused sub-order is
 * an outcome (ERROR with its code and message, naming the SKU and the numbers), not a failure of
 * the action; the page reloads the order to show what now stands.
 */
export const cancelOrderLinesAction = defineAction(
  {
    schema: cancelOrderLinesSchema,
    permission: "cancel:single",
    audit: "cancellation.cancel",
    doing: "cancelling the order's lines",
    revalidate: ["/orders"],
  },
  async ({ orderId, reasonCode, lines }, { actor, audit }) => {
    const result = await cancelOrderLines(getDb(), {
      orderId,
      lines,
      reasonCode,
      actor: { type: actor.type, id: actor.id },
      source: "single",
      audit,
    });
    return result.ok ? success<SubOrderOutcome[]>(result.value) : failureOf(result.error);
  },
);
