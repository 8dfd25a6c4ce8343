import { z } from "zod";
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter, idText } from "@/lib/validation/text";

/**
 * The channel policy form of Settings → Channels and warehouses: how a channel's lines may be
 * cancelled, fill-or-kill, where decisions on its cancel requests are posted, and the commerce
 * platform's `is_cargo_refund`. Plain data, used by the form in the browser and the action on the
 * server. Whether the webhook URL may be reached depends on the deployment (private networks), which
 * only the server knows (channel-policy.ts).
 */

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** A checkbox or a boolean: "on" / "true" / true is ticked, anything else is not. */
const flag = z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean());

export const WEBHOOK_SECRET_LENGTH = { min: 24, max: 200 } as const;

export const LINE_POLICIES = {
  partial: "Partial quantities allowed",
  whole: "Whole lines only",
} as const;

export const channelPolicySchema = z.object({
  channelId: idText(),
  /** `partial` (or true): part of a line may be cancelled; `whole` (or false): whole lines only. */
  partialQuantities: z.preprocess(
    (value) => (value === "partial" ? true : value === "whole" ? false : value),
    z.boolean({ error: "Choose partial quantities or whole lines only" }),
  ),
  fillOrKill: flag,
  /** The commerce platform's `is_cargo_refund`; absent keeps the stored value (other connectors). */
  cargoRefund: z.preprocess(
    (value) => (value === undefined ? undefined : value === true || value === "on" || value === "true"),
    z.boolean().optional(),
  ),
  /** Blank: no webhooks (the channel reads decisions with GET …/cancel-requests). */
  webhookUrl: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: "Enter an address that starts with http:// or https://" })
      .max(2000, "The address is longer than 2,000 characters")
      .refine((value) => {
        if (!URL.canParse(value)) return true;
        const url = new URL(value);
        return url.username === "" && url.password === "";
      }, "Leave credentials out of the address: the webhook secret signs every call")
      .refine(
        (value) => !URL.canParse(value) || new URL(value).hash === "",
        "Enter the address without a fragment (#…)",
      )
      .optional(),
  ),
  /** Typed by the admin (a secret the channel gave); blank keeps the stored one. Write-only. */
  webhookSecret: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .min(WEBHOOK_SECRET_LENGTH.min, `Use at least ${WEBHOOK_SECRET_LENGTH.min} characters`)
      .max(WEBHOOK_SECRET_LENGTH.max, `Use at most ${WEBHOOK_SECRET_LENGTH.max} characters`)
      .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE)
      .optional(),
  ),
  /** Replace the stored secret with a new random one, shown once. */
  newSecret: flag,
});

export type ChannelPolicyInput = z.infer<typeof channelPolicySchema>;
