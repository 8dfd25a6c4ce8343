import { z } from "zod";

/**
 * Text from outside (a form, a REST body, a path, a CSV cell) checked the same way everywhere: NUL
 * and other control characters never reach the database (PostgreSQL refuses NUL in text and JSON,
 * which would otherwise surface as a 500) and are refused with a message naming the field.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Free text may hold tabs and line breaks. */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function hasControlCharacter(value: string, allowLineBreaks = false): boolean {
  return (allowLineBreaks ? CONTROL_IN_TEXT : CONTROL).test(value);
}

export const CONTROL_CHARACTER_MESSAGE = "must not contain control characters (such as NUL)";

/** An identifier or code: trimmed, 1 to `max` characters, no control characters. */
export function idText(options: { max?: number; required?: string } = {}) {
  const max = options.max ?? 100;
  return z
    .string()
    .trim()
    .min(1, options.required ?? "is required")
    .max(max, `is longer than ${max} characters`)
    .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE);
}

/** Free text (a name, a note): trimmed, at most `max` characters, no control characters but tabs and line breaks. */
export function freeText(options: { max: number; required?: string }) {
  const base = z
    .string()
    .trim()
    .max(options.max, `is longer than ${options.max} characters`)
    .refine((value) => !hasControlCharacter(value, true), CONTROL_CHARACTER_MESSAGE);
  return options.required ? base.refine((value) => value.length > 0, options.required) : base;
}
