/**
 * The Orders screen's search and filters, in the URL: one search box, channel, warehouse, derived
 * status, exceptions only, sort and page. Parsed with zod from the query string; anything invalid is
 * dropped with a message rather than failing the page.
 */
import { z } from "zod";
import { SUB_ORDER_STATUSES } from "@/lib/cancellation/status";
import { idText } from "@/lib/validation/text";

export const ORDER_SORTS = ["newest", "oldest", "number"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export const ORDER_SORT_LABELS: Record<OrderSort, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  number: "Order number",
};

export const ORDERS_PAGE_SIZE = 50;
/** A search never reads more than this many matches per key: refine it past that. */
export const SEARCH_MATCH_LIMIT = 1000;

/** A form's empty field ("Any channel", a cleared box) means the filter is off. */
const unlessEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema);

export const orderSearchSchema = z.object({
  q: unlessEmpty(idText({ max: 200 }).optional()),
  channel: unlessEmpty(idText().optional()),
  warehouse: unlessEmpty(idText().optional()),
  status: unlessEmpty(z.enum(SUB_ORDER_STATUSES).optional()),
  exceptions: unlessEmpty(z.literal("1").optional()),
  sort: unlessEmpty(z.enum(ORDER_SORTS).default("newest")),
  page: unlessEmpty(z.coerce.number().int().min(1).max(10_000).default(1)),
});
export type OrderSearch = z.infer<typeof orderSearchSchema>;

/** The search as a query string, for links (paging, clearing one filter). */
export function orderSearchQuery(search: Partial<OrderSearch>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === "") continue;
    if (key === "sort" && value === "newest") continue;
    if (key === "page" && value === 1) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** `%` and `_` in what a person typed are letters, not wildcards. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
