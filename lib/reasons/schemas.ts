import { z } from "zod";
import type { REASON_INITIATORS } from "@/db/schema/cancellations";
import { freeText, idText } from "@/lib/validation/text";
import { CHANNEL_CODE_MAX } from "./mapping";

/**
 * The inputs of Settings → Reasons, shared by the forms (field names, limits) and the actions
 * (which parse them again: every action is a public endpoint).
 */

/** Who may start a cancellation with a reason a person picks; `automatic` ones belong to the system. */
export const PERSON_INITIATORS = [
  "seller",
  "customer",
  "marketplace",
] as const satisfies readonly Initiator[];
export type Initiator = (typeof REASON_INITIATORS)[number];

export const INITIATOR_LABELS: Record<Initiator, string> = {
  seller: "Seller",
  customer: "Customer",
  marketplace: "Marketplace",
  automatic: "Automatic (system only)",
};

export const REASON_CODE_MAX = 50;
export const REASON_LABEL_MAX = 100;
const CODE = /^[A-Z][A-Z0-9_]*$/;

/** A reason code as typed: trimmed and upper-cased, then letters, digits and underscores. */
const reasonCode = z
  .string()
  .trim()
  .min(1, "Enter a code")
  .max(REASON_CODE_MAX, `The code is longer than ${REASON_CODE_MAX} characters`)
  .transform((value) => value.toUpperCase())
  .refine(
    (value) => CODE.test(value),
    "Use letters, digits and underscores, starting with a letter (such as SUPPLIER_RECALL)",
  );

const label = freeText({ max: REASON_LABEL_MAX, required: "Enter a label" }).refine(
  (value) => !/[\r\n]/.test(value),
  "The label is one line",
);

/** A checkbox or a boolean: "on" / "true" / true is ticked, anything else is not. */
const flag = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const addReasonSchema = z.object({
  code: reasonCode,
  label,
  initiator: z.enum(PERSON_INITIATORS, { error: "Choose who initiates it" }),
});
export type AddReasonInput = z.infer<typeof addReasonSchema>;

/** An existing reason is named by its stored code (no upper-casing: it must match exactly). */
const existingCode = idText({ max: REASON_CODE_MAX });

export const renameReasonSchema = z.object({ code: existingCode, label });
export type RenameReasonInput = z.infer<typeof renameReasonSchema>;

export const setReasonActiveSchema = z.object({ code: existingCode, active: flag });
export type SetReasonActiveInput = z.infer<typeof setReasonActiveSchema>;

export const saveReasonMappingSchema = z.object({
  channelId: idText(),
  reasonCode: existingCode,
  channelCode: freeText({ max: CHANNEL_CODE_MAX, required: "Enter the channel's code or text" }).refine(
    (value) => !/[\r\n\t]/.test(value),
    "The channel's code is one line",
  ),
});
export type SaveReasonMappingInput = z.infer<typeof saveReasonMappingSchema>;

export const removeReasonMappingSchema = z.object({ channelId: idText(), reasonCode: existingCode });
export type RemoveReasonMappingInput = z.infer<typeof removeReasonMappingSchema>;

export const reasonMappingWarningSchema = z.object({
  channelId: idText(),
  reasonCode: existingCode,
});
