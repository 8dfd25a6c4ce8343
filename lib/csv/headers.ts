/**
 * Finds the columns of a cancellation file in its header row, whatever spelling the file uses.
 */
import type { ErrorCode } from "@/lib/cancellation/errors";
import { ALL_CSV_COLUMNS, CSV_COLUMNS, type CsvField, type CsvKind } from "./templates";

/** A problem with the file as a whole: nothing in it is processed. */
export type FileProblem = { code: Extract<ErrorCode, "INVALID_FILE">; message: string };

export const fileProblem = (message: string): FileProblem => ({ code: "INVALID_FILE", message });

/** The 0-based index of each field's column. `subOrderId` is always there; line-item files also have `sku` and `quantity`. */
export type ColumnIndex = { subOrderId: number; sku?: number; quantity?: number; reasonCode?: number };

export type ColumnMatch = { ok: true; columns: ColumnIndex } | { ok: false; problem: FileProblem };

const TEMPLATE_HINT = "Download the template to see the expected columns.";
const MAX_NAMES_LISTED = 15;

/**
 * The comparable form of a header: lower case, letters and digits only. `Sub Order ID`, `sub_order_id`,
 * `subOrderId`, `SUB-ORDER-ID` and ` Sub Order Id ` all become `suborderid`.
 */
export function normalizeHeader(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

const FIELD_BY_NAME: ReadonlyMap<string, CsvField> = new Map(
  ALL_CSV_COLUMNS.flatMap((c) =>
    [c.header, ...c.aliases].map((name) => [normalizeHeader(name), c.field] as const),
  ),
);

/** The field a header names, if any. */
export function fieldForHeader(name: string): CsvField | undefined {
  return FIELD_BY_NAME.get(normalizeHeader(name));
}

const quoted = (names: readonly string[]): string[] => names.map((n) => `"${n}"`);

/** `"A"`, `"A" or "B"`, `"A", "B" or "C"`. */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function foundColumns(headers: readonly string[]): string {
  const names = headers.filter((h) => h.trim() !== "");
  if (names.length === 0) return "The first row has no column names.";
  const shown = names.slice(0, MAX_NAMES_LISTED).join(", ");
  const more = names.length > MAX_NAMES_LISTED ? ` and ${names.length - MAX_NAMES_LISTED} more` : "";
  return `Found columns: ${shown}${more}.`;
}

/**
 * Matches the header row against the columns `kind` needs. Unknown columns are allowed (and kept
 * by the parser); a missing required column, two columns for one field, or a sub-order file that
 * carries line-item columns is a problem with the whole file.
 */
export function matchColumns(kind: CsvKind, headers: readonly string[]): ColumnMatch {
  const found = new Map<CsvField, number[]>();
  headers.forEach((header, index) => {
    const field = fieldForHeader(header);
    if (field === undefined) return;
    const at = found.get(field);
    if (at) at.push(index);
    else found.set(field, [index]);
  });

  const wanted = CSV_COLUMNS[kind];
  const missing = wanted.filter((c) => c.required && !found.has(c.field)).map((c) => c.header);
  if (missing.length > 0) {
    const otherKind =
      kind === "line_items" && found.has("subOrderId")
        ? " To cancel whole sub-orders, upload the file under Cancel Sub-Orders instead."
        : "";
    return {
      ok: false,
      problem: fileProblem(
        `The file has no ${orList(quoted(missing))} column. ${foundColumns(headers)}${otherKind} ${TEMPLATE_HINT}`,
      ),
    };
  }

  for (const column of wanted) {
    const at = found.get(column.field);
    if (at && at.length > 1) {
      const names = at.map((i) => `"${headers[i] ?? ""}" (column ${i + 1})`);
      return {
        ok: false,
        problem: fileProblem(
          `The file has ${at.length} columns for "${column.header}": ${names.join(", ")}. Keep only one of them.`,
        ),
      };
    }
  }

  if (kind === "sub_orders") {
    const lineColumns = ALL_CSV_COLUMNS.filter((c) => c.field === "sku" || c.field === "quantity")
      .filter((c) => found.has(c.field))
      .map((c) => c.header);
    // Cancelling whole sub-orders cannot be undone: a file that names SKUs or quantities was most
    // likely meant for line items, so refuse it rather than cancel more than was asked.
    if (lineColumns.length > 0) {
      const names = quoted(lineColumns).join(" and ");
      return {
        ok: false,
        problem: fileProblem(
          `The file has ${lineColumns.length > 1 ? `${names} columns` : `a ${names} column`}, so it looks like a line-item file. ` +
            "Upload it under Cancel Sub-Order Line Items, or remove " +
            `${lineColumns.length > 1 ? "those columns" : "that column"} to cancel whole sub-orders.`,
        ),
      };
    }
  }

  const columns: ColumnIndex = { subOrderId: found.get("subOrderId")?.[0] ?? -1 };
  for (const column of wanted) {
    const index = found.get(column.field)?.[0];
    if (index !== undefined) columns[column.field] = index;
  }
  return { ok: true, columns };
}
