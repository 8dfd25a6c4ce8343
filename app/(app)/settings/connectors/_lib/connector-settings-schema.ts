import { z } from "zod";
import { CHANNEL_CONNECTOR_KINDS, WAREHOUSE_CONNECTOR_KINDS } from "@/lib/connectors/types";
import { idText } from "@/lib/validation/text";
import { MAX_ATTEMPTS_RANGE, TIMEOUT_MS_RANGE } from "./connector-fields";

const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** A credential as typed: blank means "keep the stored one". */
const secret = z.preprocess(blankToUndefined, z.string().trim().max(1000, "is too long").optional());

const baseUrl = z.preprocess(
  blankToUndefined,
  z
    .url({ protocol: /^https?$/, error: "Enter an address that starts with http:// or https://" })
    .max(2000, "is too long")
    .refine((value) => {
      // Only judged once it is a URL at all (the check above says so otherwise).
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.username === "" && url.password === "";
    }, "Put credentials in their own field, not in the address")
    .refine(
      (value) => !URL.canParse(value) || (new URL(value).search === "" && new URL(value).hash === ""),
      "Enter the address without a query (?…) or fragment (#…)",
    )
    .optional(),
);

const whole = (label: string, range: { min: number; max: number }) =>
  z.coerce
    .number({ error: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(range.min, `${label} must be between ${range.min} and ${range.max}`)
    .max(range.max, `${label} must be between ${range.min} and ${range.max}`);

const common = {
  id: idText(),
  baseUrl,
  apiKey: secret,
  token: secret,
  timeoutMs: whole("Timeout", TIMEOUT_MS_RANGE),
  maxAttempts: whole("Max attempts", MAX_ATTEMPTS_RANGE),
  /** A checkbox: "on" when ticked, absent when not. */
  enabled: z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean()),
};

/**
 * The connector settings form of one channel or warehouse. FormData values are strings, so
 * numbers are coerced. A remote connector needs a base URL; whether it needs new credentials
 * depends on what is stored, which only the server knows (update-connector-settings.ts).
 */
export const connectorSettingsSchema = z
  .discriminatedUnion("target", [
    z.object({
      target: z.literal("channel"),
      connector: z.enum(CHANNEL_CONNECTOR_KINDS, { error: "Choose a connector type" }),
      ...common,
    }),
    z.object({
      target: z.literal("warehouse"),
      connector: z.enum(WAREHOUSE_CONNECTOR_KINDS, { error: "Choose a connector type" }),
      ...common,
    }),
  ])
  .superRefine((value, ctx) => {
    if (value.connector !== "manual" && !value.baseUrl) {
      ctx.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: "A base URL is needed for this connector type",
      });
    }
  });

export type ConnectorSettingsInput = z.infer<typeof connectorSettingsSchema>;
