"use server";

import { z } from "zod";
import type { LookupResult } from "@/components/cancellations/types";
import { getDb } from "@/db/client";
import { type ActionResult, failure, invalid, success } from "@/lib/action-result";
import { authorize } from "@/lib/auth/session";
import { idText } from "@/lib/validation/text";

import { loadSubOrderLookup } from "../_lib/sub-order-lookup";
import { unexpectedFailure } from "../_lib/unexpected-failure";

const lookupSubOrderSchema = z.object({
  subOrderId: idText({ required: "Enter a sub-order ID" }),
});

/** Finds a sub-order with its lines and whether it can be cancelled now (and why not). */
export async function lookupSubOrderAction(input: unknown): Promise<ActionResult<LookupResult>> {
  const parsed = lookupSubOrderSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const auth = await authorize("orders:read");
  if (!auth.ok) return auth;
  try {
    const lookup = await loadSubOrderLookup(getDb(), parsed.data.subOrderId);
    if (!lookup) return failure("SUB_ORDER_NOT_FOUND", { subOrderId: parsed.data.subOrderId });
    return success(lookup);
  } catch (error) {
    return unexpectedFailure(error, "looking up the sub-order");
  }
}
