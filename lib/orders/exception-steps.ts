import { z } from "zod";

/**
 * The seller portal's compensation steps for units that shipped after they were cancelled (seed
 * 002), in the order they must happen: a credit memo cannot be asked for before the customer has
 * acknowledged the re-billing. Pure: the checklist's rules, free of the database.
 */
export const EXCEPTION_STEPS = [
  {
    key: "customerTold",
    label: "Customer emailed",
    hint: "Their order shipped but was cancelled and they will be re-billed; give the carrier and tracking number, no links.",
  },
  {
    key: "acknowledged",
    label: "Customer's acknowledgement received",
    hint: "They accept the item and the re-billing of their account.",
  },
  {
    key: "sellerSupportContacted",
    label: "Seller Support emailed",
    hint: "With the email chain in which the customer accepts the re-billing.",
  },
] as const;

export type ExceptionStepKey = (typeof EXCEPTION_STEPS)[number]["key"];

export type ExceptionSteps = Partial<Record<ExceptionStepKey, boolean>> & { creditMemo?: string };

export const exceptionStepsSchema = z.object({
  customerTold: z.boolean(),
  acknowledged: z.boolean(),
  sellerSupportContacted: z.boolean(),
  creditMemo: z
    .string()
    .trim()
    .max(100, "The credit memo reference is at most 100 characters")
    .transform((v) => (v === "" ? undefined : v))
    .optional(),
});

/** The steps as stored: unknown keys and wrong types read as not done. */
export function readSteps(stored: unknown): ExceptionSteps {
  const value = (stored ?? {}) as Record<string, unknown>;
  const steps: ExceptionSteps = {};
  for (const { key } of EXCEPTION_STEPS) if (value[key] === true) steps[key] = true;
  if (typeof value.creditMemo === "string" && value.creditMemo !== "") steps.creditMemo = value.creditMemo;
  return steps;
}

/**
 * Checks that the steps were done in order: each ticked step needs the ones before it, and a
 * credit memo needs them all. Answers the first problem, naming the step, or null.
 */
export function stepsProblem(steps: ExceptionSteps): string | null {
  for (const [index, step] of EXCEPTION_STEPS.entries()) {
    const before = EXCEPTION_STEPS.slice(0, index).find((s) => !steps[s.key]);
    if (steps[step.key] && before) return `"${step.label}" needs "${before.label}" first`;
  }
  const missing = EXCEPTION_STEPS.find((s) => !steps[s.key]);
  if (steps.creditMemo && missing) {
    return `A credit memo needs "${missing.label}" first: Seller Support cannot create one without the customer's acknowledgement`;
  }
  return null;
}

/** Every step done and the credit memo recorded: the exception is resolved. */
export function isResolved(steps: ExceptionSteps): boolean {
  return EXCEPTION_STEPS.every((s) => steps[s.key]) && Boolean(steps.creditMemo);
}
