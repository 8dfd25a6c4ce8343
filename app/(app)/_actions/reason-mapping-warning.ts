"use server";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { getReasonMappingWarning } from "@/db/queries/reasons";
import { success } from "@/lib/action-result";
import { reasonMappingWarningSchema } from "@/lib/reasons/schemas";

/**
 * Whether a cancellation of an order of `channelId` with `reasonCode` would reach the channel
 * without the code or text it needs (null: nothing is missing). A read for the cancel forms, so
 * anyone who may see orders may ask.
 */
export const getReasonMappingWarningAction = defineAction(
  { schema: reasonMappingWarningSchema, permission: "orders:read", doing: "checking the reason mapping" },
  async (input) => success(await getReasonMappingWarning(getDb(), input)),
);
