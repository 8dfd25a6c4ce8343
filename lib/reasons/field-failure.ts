import type { ActionFailure } from "@/lib/action-result";

/** An INVALID_INPUT failure whose message belongs to one field of the form (tied to its input). */
export function fieldFailure(field: string, message: string): ActionFailure {
  return { ok: false, code: "INVALID_INPUT", message, fieldErrors: { [field]: [message] } };
}
