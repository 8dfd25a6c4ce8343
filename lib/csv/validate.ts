/**
 * Turns parsed rows into units of work and checks everything that can be checked without the
 * database. An item without an error is "to be checked against the database": unknown sub-order
 * IDs, SKUs and cancellable quantities are the server's business, not this file's.
 *
 * Linear in the number of rows (one pass, Maps for every lookup): 100,000 rows take tens of
 * milliseconds.
 */
import type { ErrorCode } from "@/lib/cancellation/errors";
import {
  CONTROL_CHARACTER_MESSAGE,
  hasControlCharacter,
  replaceControlCharacters,
} from "@/lib/validation/text";
import type { ColumnIndex } from "./headers";
import { type CsvRow, MAX_COLUMNS, type ParsedCsv } from "./parse";
import type { CsvKind } from "./templates";

export type CsvIssue = { code: ErrorCode; message: string };

export type ValidatedRow = {
  /** The spreadsheet row number (header = row 1), as in `CsvRow`. */
  rowNumber: number;
  /** The row's cells as parsed (the same array, not a copy). */
  cells: string[];
  /** Line-item files: the SKU ID, when not empty. */
  sku?: string;
  /** Line-item files: the quantity, when it is a valid whole number. */
  quantity?: number;
  /** This row's own problems: the first one's code, every message joined with "; ". */
  error?: CsvIssue;
};

export type WorkItem = {
  /** 1-based position of the item in the file (first appearance of its Sub Order ID). */
  seq: number;
  /** Empty only for a row with an empty Sub Order ID, which is then an item (with an error) of its own. */
  subOrderId: string;
  /**
   * The reason: the rows' Reason Code (spelled as in `knownReasonCodes` when given), else
   * `defaultReasonCode`, else "" (no reason yet: the caller must require one before starting).
   * An unknown Reason Code is not copied here (the item has an error that names it).
   */
  reasonCode: string;
  /** One row for a sub-order file; every row of the sub-order, in file order, for a line-item file. */
  rows: ValidatedRow[];
  /** Why the item cannot run: its first problem, plus "(and N more problems)". */
  error?: CsvIssue;
};

export type ValidationCounts = {
  items: number;
  rows: number;
  /** Items with an error. */
  invalidItems: number;
  /** Rows with an error of their own (good rows of a failed line-item group are not counted). */
  invalidRows: number;
  /** Line-item files: the units asked for by the items without an error. */
  units?: number;
};

export type ValidationResult = { items: WorkItem[]; counts: ValidationCounts };

export type ValidateOptions = {
  /** The reason for rows without a Reason Code (the one chosen on the screen). */
  defaultReasonCode?: string;
  /** When given, a Reason Code outside this set is an error. Matched ignoring case, spaces and hyphens. */
  knownReasonCodes?: ReadonlySet<string>;
};

/** The largest quantity accepted: a PostgreSQL `integer`. */
export const MAX_QUANTITY = 2_147_483_647;
/** The longest cell kept: a longer one is a row error, stored cut to this length. */
export const MAX_CELL_CHARS = 1_000;

const WHOLE_NUMBER = /^\d+$/;
/** A number as Excel shows a long one (`1.23E+05`, `1,23E+05`): the digits of the real ID are gone. */
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?E[+-]\d+$/i;

/** An ID cell that Excel turned into scientific notation: flagged, never read back as a number. */
function scientificIssue(rowNumber: number, column: string, value: string): CsvIssue | undefined {
  if (!SCIENTIFIC.test(value)) return undefined;
  return {
    code: "INVALID_INPUT",
    message:
      `Row ${rowNumber}, ${column}: "${value}" is a number in scientific notation, as Excel shows long numbers, ` +
      "so the real ID is lost. Format the column as Text in Excel and export the file again",
  };
}

const SHOWN_CHARS = 60;
/** A cell's value as quoted in a message, cut short so that a stray paragraph cannot flood the table. */
const shown = (value: string): string =>
  value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS - 1)}…` : value;

/**
 * A quantity cell as a number: whole numbers of at least 1 written with digits only (surrounding
 * spaces and leading zeros allowed). `2.0`, `2.5`, `-1`, `0`, `1e3`, `1,000`, `+2` and empty are not.
 */
export function parseQuantity(text: string): number | undefined {
  const t = text.trim();
  if (!WHOLE_NUMBER.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= MAX_QUANTITY ? n : undefined;
}

function quantityIssue(rowNumber: number, text: string): CsvIssue {
  const t = text.trim();
  const detail =
    t === ""
      ? "empty"
      : WHOLE_NUMBER.test(t) && Number(t) > MAX_QUANTITY
        ? `"${t}" is more than ${MAX_QUANTITY}`
        : `"${shown(t)}" is not a whole number of at least 1`;
  return { code: "INVALID_QUANTITY", message: `Row ${rowNumber}, Quantity: ${detail}` };
}

const reasonKey = (code: string): string =>
  code
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");

type ReasonCheck = { ok: true; code: string } | { ok: false; issue: CsvIssue };

/** Resolves Reason Code cells against the known codes, remembering each distinct spelling. */
function reasonResolver(
  known: ReadonlySet<string> | undefined,
): (rowNumber: number, text: string) => ReasonCheck {
  if (!known) return (_, text) => ({ ok: true, code: text });
  const byKey = new Map<string, string>();
  for (const code of known) byKey.set(reasonKey(code), code);
  const seen = new Map<string, string | null>();
  return (rowNumber, text) => {
    let code = seen.get(text);
    if (code === undefined) {
      code = byKey.get(reasonKey(text)) ?? null;
      seen.set(text, code);
    }
    return code === null
      ? {
          ok: false,
          issue: {
            code: "REASON_NOT_FOUND",
            message: `Row ${rowNumber}, Reason Code: "${shown(text)}" is not a known reason code`,
          },
        }
      : { ok: true, code };
  };
}

/** A value in a column the header does not have: most often a comma that should have been quoted. */
function overflowIssue(row: CsvRow, width: number, delimiter: string): CsvIssue | undefined {
  for (let i = width; i < row.cells.length; i++) {
    const value = row.cells[i];
    if (value) {
      return {
        code: "INVALID_INPUT",
        message:
          `Row ${row.rowNumber}, column ${i + 1}: "${shown(value)}" is in a column without a header ` +
          `(a value that contains "${delimiter}" must be in double quotes)`,
      };
    }
  }
  return undefined;
}

/**
 * Problems of the cells themselves, whatever their column: longer than MAX_CELL_CHARS (stored cut to
 * that length, so a stray paragraph never becomes a stored 5 MB string), or holding control
 * characters such as NUL (stored with U+FFFD in their place; the database refuses NUL). Fixes the
 * row's cells in place and names the row and the column of each problem.
 */
function cellIssues(row: CsvRow, headers: readonly string[], issues: CsvIssue[]): void {
  const { cells } = row;
  if (row.width !== undefined) {
    issues.push({
      code: "INVALID_INPUT",
      message: `Row ${row.rowNumber}: ${row.width.toLocaleString("en")} columns; a row has at most ${MAX_COLUMNS}`,
    });
  }
  for (let i = 0; i < cells.length; i++) {
    let value = cells[i] as string;
    const column = headers[i] || `column ${i + 1}`;
    if (value.length > MAX_CELL_CHARS) {
      issues.push({
        code: "INVALID_INPUT",
        message: `Row ${row.rowNumber}, ${column}: the value is ${value.length.toLocaleString("en")} characters long; at most ${MAX_CELL_CHARS.toLocaleString("en")}`,
      });
      value = value.slice(0, MAX_CELL_CHARS);
    }
    if (hasControlCharacter(value, true)) {
      issues.push({
        code: "INVALID_INPUT",
        message: `Row ${row.rowNumber}, ${column}: ${CONTROL_CHARACTER_MESSAGE}`,
      });
      value = replaceControlCharacters(value);
    }
    cells[i] = value;
  }
}

const cell = (row: CsvRow, index: number | undefined): string =>
  index === undefined ? "" : (row.cells[index] ?? "").trim();

/** The row's error from its problems: the first one's code, every message. */
const rowError = (issues: readonly CsvIssue[]): CsvIssue | undefined => {
  const [first] = issues;
  if (!first) return undefined;
  return issues.length === 1 ? first : { code: first.code, message: issues.map((i) => i.message).join("; ") };
};

const plural = (n: number, word: string) => `${n} more ${word}${n === 1 ? "" : "s"}`;

/** Collects an item's problems in file order, to summarise them in the item's error. */
type Group = {
  item: WorkItem;
  firstIssue?: CsvIssue;
  issueCount: number;
  /** Line items: the first row of each SKU, to find repeats; built once the group is large (see `firstRowOfSku`). */
  skus?: Map<string, number>;
  /** Line items: the first Reason Code given in the group, and its row. */
  reason?: { code: string; rowNumber: number };
};

function addIssues(group: Group, issues: readonly CsvIssue[]) {
  if (issues.length === 0) return;
  group.firstIssue ??= issues[0];
  group.issueCount += issues.length;
}

function finishItem(group: Group): void {
  const { firstIssue, issueCount } = group;
  if (!firstIssue) return;
  group.item.error =
    issueCount === 1
      ? firstIssue
      : {
          code: firstIssue.code,
          message: `${firstIssue.message} (and ${plural(issueCount - 1, "problem")})`,
        };
}

/**
 * Validates parsed rows and returns the units of work in file order: one item per row for a
 * sub-order file, one item per distinct Sub Order ID (rows grouped, first appearance order) for a
 * line-item file. Any bad row fails its whole line-item group; each bad row keeps its own error.
 */
export function validateRows(
  kind: CsvKind,
  parsed: Pick<ParsedCsv, "headers" | "rows" | "columns"> & { delimiter?: string },
  options: ValidateOptions = {},
): ValidationResult {
  const { headers, rows, columns } = parsed;
  const delimiter = parsed.delimiter ?? ",";
  const resolveReason = reasonResolver(options.knownReasonCodes);
  const defaultReason = options.defaultReasonCode ?? "";
  const groups =
    kind === "sub_orders"
      ? validateSubOrders(rows, columns, headers, delimiter, resolveReason, defaultReason)
      : validateLineItems(rows, columns, headers, delimiter, resolveReason, defaultReason);

  const items = new Array<WorkItem>(groups.length);
  let invalidItems = 0;
  let invalidRows = 0;
  let units = 0;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as Group;
    finishItem(group);
    const item = group.item;
    items[i] = item;
    if (item.error) invalidItems++;
    for (const row of item.rows) {
      if (row.error) invalidRows++;
      else if (!item.error && row.quantity !== undefined) units += row.quantity;
    }
  }
  const counts: ValidationCounts = { items: items.length, rows: rows.length, invalidItems, invalidRows };
  if (kind === "line_items") counts.units = units;
  return { items, counts };
}

type ResolveReason = ReturnType<typeof reasonResolver>;

function validateSubOrders(
  rows: readonly CsvRow[],
  columns: ColumnIndex,
  headers: readonly string[],
  delimiter: string,
  resolveReason: ResolveReason,
  defaultReason: string,
): Group[] {
  const firstRowOf = new Map<string, number>();
  const groups = new Array<Group>(rows.length);
  const issues: CsvIssue[] = []; // one scratch list, emptied for each row: no garbage per good row
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as CsvRow;
    if (issues.length > 0) issues.length = 0;
    cellIssues(row, headers, issues);
    const subOrderId = cell(row, columns.subOrderId);
    const scientific = scientificIssue(row.rowNumber, "Sub Order ID", subOrderId);
    if (subOrderId === "") {
      issues.push({ code: "INVALID_INPUT", message: `Row ${row.rowNumber}, Sub Order ID: empty` });
    } else if (scientific) issues.push(scientific);
    else {
      const first = firstRowOf.get(subOrderId);
      if (first === undefined) firstRowOf.set(subOrderId, row.rowNumber);
      else {
        issues.push({
          code: "DUPLICATE_ROW",
          message: `Row ${row.rowNumber}, Sub Order ID: ${shown(subOrderId)} is already on row ${first}`,
        });
      }
    }
    let reasonCode = defaultReason;
    const reasonText = cell(row, columns.reasonCode);
    if (reasonText !== "") {
      const reason = resolveReason(row.rowNumber, reasonText);
      if (reason.ok) reasonCode = reason.code;
      else issues.push(reason.issue);
    }
    const overflow = overflowIssue(row, headers.length, delimiter);
    if (overflow) issues.push(overflow);

    const validated: ValidatedRow = { rowNumber: row.rowNumber, cells: row.cells };
    const error = rowError(issues);
    if (error) validated.error = error;
    const group: Group = { item: { seq: i + 1, subOrderId, reasonCode, rows: [validated] }, issueCount: 0 };
    addIssues(group, issues);
    groups[i] = group;
  }
  return groups;
}

const SKU_SCAN_LIMIT = 16;

/**
 * The row where `sku` first appears in the group so far. Most sub-orders have a few lines: those
 * are scanned (no Map for each of 25,000 groups); a large group gets a Map, so that a file of one
 * huge sub-order stays linear.
 */
function firstRowOfSku(group: Group, sku: string): number | undefined {
  if (group.skus) return group.skus.get(sku);
  const rows = group.item.rows;
  if (rows.length < SKU_SCAN_LIMIT) {
    for (const row of rows) if (row.sku === sku) return row.rowNumber;
    return undefined;
  }
  const skus = new Map<string, number>();
  for (const row of rows) if (row.sku !== undefined && !skus.has(row.sku)) skus.set(row.sku, row.rowNumber);
  group.skus = skus;
  return skus.get(sku);
}

function validateLineItems(
  rows: readonly CsvRow[],
  columns: ColumnIndex,
  headers: readonly string[],
  delimiter: string,
  resolveReason: ResolveReason,
  defaultReason: string,
): Group[] {
  const bySubOrder = new Map<string, Group>();
  const groups: Group[] = [];
  const newGroup = (subOrderId: string): Group => {
    const group: Group = {
      item: { seq: groups.length + 1, subOrderId, reasonCode: defaultReason, rows: [] },
      issueCount: 0,
    };
    groups.push(group);
    return group;
  };

  const issues: CsvIssue[] = []; // one scratch list, emptied for each row: no garbage per good row
  for (const row of rows) {
    const { rowNumber } = row;
    if (issues.length > 0) issues.length = 0;
    cellIssues(row, headers, issues);
    const subOrderId = cell(row, columns.subOrderId);
    let group: Group;
    if (subOrderId === "") {
      // Nothing to group it by: an item of its own.
      issues.push({ code: "INVALID_INPUT", message: `Row ${rowNumber}, Sub Order ID: empty` });
      group = newGroup("");
    } else {
      let existing = bySubOrder.get(subOrderId);
      if (!existing) {
        existing = newGroup(subOrderId);
        bySubOrder.set(subOrderId, existing);
      }
      group = existing;
      const scientific = scientificIssue(rowNumber, "Sub Order ID", subOrderId);
      if (scientific) issues.push(scientific);
    }
    const validated: ValidatedRow = { rowNumber, cells: row.cells };

    const sku = cell(row, columns.sku);
    if (sku === "") issues.push({ code: "INVALID_INPUT", message: `Row ${rowNumber}, SKU ID: empty` });
    else {
      validated.sku = sku;
      const scientific = scientificIssue(rowNumber, "SKU ID", sku);
      if (scientific) issues.push(scientific);
    }

    const quantityText = cell(row, columns.quantity);
    const quantity = parseQuantity(quantityText);
    if (quantity === undefined) issues.push(quantityIssue(rowNumber, quantityText));
    else validated.quantity = quantity;

    if (subOrderId !== "" && sku !== "") {
      const first = firstRowOfSku(group, sku);
      if (first !== undefined) {
        issues.push({
          code: "DUPLICATE_ROW",
          message: `Row ${rowNumber}, SKU ID: ${shown(sku)} of sub-order ${shown(subOrderId)} is already on row ${first}`,
        });
      }
    }

    const reasonText = cell(row, columns.reasonCode);
    if (reasonText !== "") {
      const reason = resolveReason(rowNumber, reasonText);
      if (!reason.ok) issues.push(reason.issue);
      else if (!group.reason) {
        group.reason = { code: reason.code, rowNumber };
        group.item.reasonCode = reason.code;
      } else if (group.reason.code !== reason.code) {
        issues.push({
          code: "INVALID_INPUT",
          message:
            `Row ${rowNumber}, Reason Code: "${shown(reason.code)}" differs from "${shown(group.reason.code)}" on row ` +
            `${group.reason.rowNumber}; all rows of one sub-order need the same reason`,
        });
      }
    }

    const overflow = overflowIssue(row, headers.length, delimiter);
    if (overflow) issues.push(overflow);

    const error = rowError(issues);
    if (error) validated.error = error;
    group.item.rows.push(validated);
    if (group.skus && validated.sku !== undefined && !group.skus.has(validated.sku)) {
      group.skus.set(validated.sku, rowNumber);
    }
    addIssues(group, issues);
  }
  return groups;
}
