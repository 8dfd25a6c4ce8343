import { z } from "zod";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "@/db/schema/audit";
import { freeText } from "@/lib/validation/text";

const day = z.iso.date("a date as YYYY-MM-DD");
const emptyToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * The audit log's filters, as they appear in the URL (`/audit?action=auth.sign_in&outcome=failure`)
 * and in the CSV export's query string. Dates are whole days in UTC, both ends included.
 */
export const auditFiltersSchema = z
  .object({
    actor: z.preprocess(emptyToUndefined, freeText({ max: 200 }).optional()),
    action: z.preprocess(emptyToUndefined, z.enum(AUDIT_ACTIONS).optional()),
    outcome: z.preprocess(emptyToUndefined, z.enum(AUDIT_OUTCOMES).optional()),
    from: z.preprocess(emptyToUndefined, day.optional()),
    to: z.preprocess(emptyToUndefined, day.optional()),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: "the start date is after the end date",
    path: ["to"],
  });

export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** `?before=<id>`: the keyset cursor of the next (older) page. */
export const auditCursorSchema = z.preprocess(
  emptyToUndefined,
  z.coerce.number().int().positive().optional(),
);

/** The first value of each query parameter, as zod wants it. */
export function firstValues(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const out: Record<string, string> = {};
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) if (!(key in out)) out[key] = value;
    return out;
  }
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}

/** The query string for `filters` (and a cursor), without empty values. */
export function auditQueryString(filters: AuditFilters, before?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  if (before) params.set("before", String(before));
  const query = params.toString();
  return query ? `?${query}` : "";
}
