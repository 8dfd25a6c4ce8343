import { z } from "zod";

/**
 * Text from outside (a form, a REST body, a path, a CSV cell) checked the same way everywhere: NUL
 * and other control characters never reach the database (PostgreSQL refuses NUL in text and JSON,
 * which would otherwise surface as a 500) and are refused with a message naming the field.
 */
/** C0 controls and DEL; free text may hold tabs and line breaks. */
function isControl(c: number, allowLineBreaks: boolean): boolean {
  if (c >= 0x20 && c !== 0x7f) return false;
  return !(allowLineBreaks && (c === 0x09 || c === 0x0a || c === 0x0d));
}

export function hasControlCharacter(value: string, allowLineBreaks = false): boolean {
  for (let i = 0; i < value.length; i++) if (isControl(value.charCodeAt(i), allowLineBreaks)) return true;
  return false;
}

/** `value` with each control character (but tabs and line breaks) shown as U+FFFD. */
export function replaceControlCharacters(value: string): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += isControl(c, true) ? "\uFFFD" : value.charAt(i);
  }
  return out;
}

export const CONTROL_CHARACTER_MESSAGE = "must not contain control characters (such as NUL)";

/**
 * A JSON body can carry `"\ud800"`: half of a surrogate pair, which is no character at all. Text
 * with one is refused naming the field (the embedded database fails on it with a 500 otherwise).
 */
export const ILL_FORMED_MESSAGE = "must be valid Unicode text (it holds half of a surrogate pair)";

/** An identifier or code: trimmed, 1 to `max` characters, no control characters. */
export function idText(options: { max?: number; required?: string } = {}) {
  const max = options.max ?? 100;
  return z
    .string()
    .trim()
    .min(1, options.required ?? "is required")
    .max(max, `is longer than ${max} characters`)
    .refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE)
    .refine((value) => value.isWellFormed(), ILL_FORMED_MESSAGE);
}

/** Free text (a name, a note): trimmed, at most `max` characters, no control characters but tabs and line breaks. */
export function freeText(options: { max: number; required?: string }) {
  const base = z
    .string()
    .trim()
    .max(options.max, `is longer than ${options.max} characters`)
    .refine((value) => !hasControlCharacter(value, true), CONTROL_CHARACTER_MESSAGE)
    .refine((value) => value.isWellFormed(), ILL_FORMED_MESSAGE);
  return options.required ? base.refine((value) => value.length > 0, options.required) : base;
}
