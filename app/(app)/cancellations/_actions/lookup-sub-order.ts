"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failure, success } from "@/lib/action-result";
import { idText } from "@/lib/validation/text";

import { loadSubOrderLookup } from "../_lib/sub-order-lookup";

const lookupSubOrderSchema = z.object({ subOrderId: idText({ required: "Enter a sub-order ID" }) });

/** Finds a sub-order with its lines and whether it can be cancelled now (and why not). */
export const lookupSubOrderAction = defineAction(
  { schema: lookupSubOrderSchema, permission: "orders:read", doing: "looking up the sub-order" },
  async ({ subOrderId }) => {
    const lookup = await loadSubOrderLookup(getDb(), subOrderId);
    return lookup ? success(lookup) : failure("SUB_ORDER_NOT_FOUND", { subOrderId });
  },
);
