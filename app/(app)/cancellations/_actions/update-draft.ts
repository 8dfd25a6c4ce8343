"use server";

import { z } from "zod";

import { defineAction } from "@/app/_lib/define-action";
import { getDb } from "@/db/client";
import { failureOf, success } from "@/lib/action-result";
import { can } from "@/lib/auth/permissions";
import { updateDraft } from "@/lib/batches/update-draft";
import { SUB_ORDER_MODES } from "@/lib/cancellation/rules";
import { idText } from "@/lib/validation/text";

const updateDraftSchema = z.object({
  batchId: z.uuid("Not a batch id"),
  reasonCode: idText({ required: "Choose a reason" }).optional(),
  mode: z.enum(SUB_ORDER_MODES).optional(),
});

/** A new reason or mode for a draft, in place: the file is not sent again; the dry run is then asked again. */
export const updateDraftAction = defineAction(
  {
    schema: updateDraftSchema,
    permission: "cancel:bulk",
    audit: "batch.update",
    doing: "changing the draft",
  },
  async (input, { user, actor, audit }) => {
    const result = await updateDraft(getDb(), {
      ...input,
      actor: { type: actor.type, id: actor.id, name: actor.name },
      mayEditAny: can(user.role, "batches:start-any"),
      audit,
    });
    return result.ok ? success(result.value) : failureOf(result.error);
  },
);
