import type { z } from "zod";
import { type CancelError, type ErrorCode, type ErrorParams, errorMessage } from "@/lib/cancellation/errors";

/** What every server action and API handler returns: data, or a stable code and a sentence. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: Record<string, string[]> };

export type ActionFailure = Extract<ActionResult<never>, { ok: false }>;

export const success = <T>(data: T): ActionResult<T> => ({ ok: true, data });

/** A failure of `code`, its sentence from the error catalog. */
export function failure<C extends ErrorCode>(code: C, params: ErrorParams<C>): ActionFailure {
  return { ok: false, code, message: errorMessage(code, params) };
}

/** A service's failure as an action's. */
export function failureOf(error: CancelError): ActionFailure {
  return { ok: false, code: error.code, message: error.message };
}

/** A zod failure as a result: one message for the toast, and per-field messages for inputs. */
export function invalid(error: z.ZodError): ActionFailure {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  const [first] = error.issues;
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return {
    ok: false,
    code: "INVALID_INPUT",
    message: `${where}${first?.message ?? "invalid input"}`,
    fieldErrors,
  };
}
