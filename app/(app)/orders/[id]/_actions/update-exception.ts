"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { exceptionStepsSchema } from "@/lib/orders/exception-steps";
import { updateExceptionSteps } from "@/lib/orders/order-exceptions";
import { idText } from "@/lib/validation/text";

const updateExceptionSchema = z.object({
  orderId: idText({ required: "The order is missing" }),
  exceptionId: z.uuid("The exception is missing"),
  steps: exceptionStepsSchema,
});

/** Ticks off the compensation steps of a shipped-after-cancellation exception. */
export const updateExceptionAction = defineAction(
  {
    schema: updateExceptionSchema,
    permission: "requests:decide",
    audit: "order_exception.update",
    doing: "saving the exception's steps",
    revalidate: ["/orders"],
  },
  async ({ orderId, exceptionId, steps }, { actor, audit }) => {
    const result = await updateExceptionSteps(getDb(), {
      orderId,
      exceptionId,
      steps,
      actor: { type: actor.type, id: actor.id },
      audit,
    });
    return result.ok ? success(result.value) : failureOf(result.error);
  },
);
