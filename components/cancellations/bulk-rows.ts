/**
 * The rows of the bulk cancellation table and how they change: built from the browser's own check
 * of the file (or from a stored batch), then marked by the server's findings, the dry run, and the
 * live results of the run. Pure functions, no React: unit tested in bulk-rows.test.ts.
 *
 * Every function returns new rows and leaves its input alone: a changed row is a new object in a
 * new array, and an update that changes nothing returns the very same array (so a watcher that
 * polls every 700 ms re-renders only when something happened).
 */

import type { ItemChange, ItemsResponse, Prediction } from "@/lib/batches/contracts";
import { units } from "@/lib/cancellation/errors";
import type { ColumnIndex } from "@/lib/csv/headers";
import type { CsvKind } from "@/lib/csv/templates";
import type { WorkItem } from "@/lib/csv/validate";
import type { Formatter } from "@/lib/format/formatter";
import { shortId } from "./format";

/**
 * CHECKING: valid in the browser, the server has not looked yet. READY / WILL_FAIL: the dry run's
 * prediction. PENDING: started, not processed yet. WAITING: the warehouse has not answered yet (the
 * units stay reserved; it becomes SUCCESS or ERROR when it does). SUCCESS / ERROR: final.
 */
export const ROW_STATUSES = [
  "CHECKING",
  "READY",
  "WILL_FAIL",
  "PENDING",
  "WAITING",
  "SUCCESS",
  "ERROR",
] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

export const ROW_STATUS_LABELS: Record<RowStatus, string> = {
  CHECKING: "CHECKING",
  READY: "WILL CANCEL",
  WILL_FAIL: "WILL FAIL",
  PENDING: "PENDING",
  WAITING: "WAITING",
  SUCCESS: "SUCCESS",
  ERROR: "ERROR",
};

export type BulkLine = {
  rowNumber: number;
  sku: string;
  /** The Quantity cell as uploaded (it may be invalid). */
  quantity: string;
  /** The row's own problem found by the file checks. */
  error: { code: string; message: string } | null;
};

export type BulkRow = {
  /** 1-based position of the item in the file; also its index + 1 in the row array. */
  seq: number;
  subOrderId: string;
  rowNumbers: number[];
  /** Line-item files: the uploaded lines, when known (a stored batch loads them on demand). */
  lines: BulkLine[] | null;
  status: RowStatus;
  code: string | null;
  message: string | null;
  /** Units predicted by the dry run, then units cancelled by the run. */
  units: number | null;
  /** An unfinished batch that will also touch this sub-order. */
  otherBatchId: string | null;
  /** Per-SKU problems the dry run found for a line-item group. */
  lineErrors: { sku: string; code: string; message: string }[] | null;
  /** A stored batch's row: where telling the channel stands (null: nothing to tell, or not known here). */
  syncState?: string | null;
};

const baseRow = (seq: number, subOrderId: string, rowNumbers: number[]): BulkRow => ({
  seq,
  subOrderId,
  rowNumbers,
  lines: null,
  status: "CHECKING",
  code: null,
  message: null,
  units: null,
  otherBatchId: null,
  lineErrors: null,
});

/** The table's rows from the browser's check of the file: refused items are ERROR at once. */
export function rowsFromValidation(
  kind: CsvKind,
  items: readonly WorkItem[],
  columns: ColumnIndex,
): BulkRow[] {
  const rows = new Array<BulkRow>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as WorkItem;
    const row = baseRow(
      item.seq,
      item.subOrderId,
      item.rows.map((r) => r.rowNumber),
    );
    if (kind === "line_items") {
      row.lines = item.rows.map((r) => ({
        rowNumber: r.rowNumber,
        sku: r.sku ?? (columns.sku === undefined ? "" : (r.cells[columns.sku] ?? "")),
        quantity:
          r.quantity !== undefined
            ? String(r.quantity)
            : columns.quantity === undefined
              ? ""
              : (r.cells[columns.quantity] ?? ""),
        error: r.error ? { code: r.error.code, message: r.error.message } : null,
      }));
    }
    if (item.error) {
      row.status = "ERROR";
      row.code = item.error.code;
      row.message = item.error.message;
    }
    rows[i] = row;
  }
  return rows;
}

/**
 * The table's rows packed for the trip from the parsing worker to the page: ids in one string and
 * row numbers in one typed array (moved, not copied), and only the rows that differ from a fresh
 * CHECKING row (refused ones, line-item groups) as objects. Copying 100,000 row objects between
 * threads took longer than parsing the file.
 */
export type PackedRows = {
  /** Sub-order ids joined by NUL (the file checks replace control characters in cells). */
  ids: string;
  /** Every row's row numbers, one after another; `rowCounts[i]` of them belong to row i. */
  rowNumbers: Int32Array;
  rowCounts: Int32Array;
  /** Rows that are not a plain CHECKING row: [index, the fields that differ]. */
  extras: [number, Partial<BulkRow>][];
};

const SEPARATOR = "\u0000";

export function packRows(rows: readonly BulkRow[]): PackedRows {
  const rowCounts = new Int32Array(rows.length);
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const count = (rows[i] as BulkRow).rowNumbers.length;
    rowCounts[i] = count;
    total += count;
  }
  const rowNumbers = new Int32Array(total);
  const extras: [number, Partial<BulkRow>][] = [];
  let at = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as BulkRow;
    rowNumbers.set(row.rowNumbers, at);
    at += row.rowNumbers.length;
    if (row.status !== "CHECKING" || row.lines !== null) {
      extras.push([i, { lines: row.lines, status: row.status, code: row.code, message: row.message }]);
    }
  }
  return { ids: rows.map((r) => r.subOrderId).join(SEPARATOR), rowNumbers, rowCounts, extras };
}

export function unpackRows(packed: PackedRows): BulkRow[] {
  const ids = packed.ids === "" && packed.rowCounts.length === 0 ? [] : packed.ids.split(SEPARATOR);
  const rows = new Array<BulkRow>(ids.length);
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const count = packed.rowCounts[i] ?? 0;
    rows[i] = baseRow(i + 1, ids[i] as string, Array.from(packed.rowNumbers.subarray(at, at + count)));
    at += count;
  }
  for (const [index, extra] of packed.extras) rows[index] = { ...(rows[index] as BulkRow), ...extra };
  return rows;
}

/** A stored batch's item, as the items route returns it. */
export type StoredItem = ItemsResponse["items"][number] & { syncState?: string | null };

/** The table's rows from a stored batch (a reopened run): pending items wait for the dry run or the runner. */
export function rowsFromStoredItems(items: readonly StoredItem[], started: boolean): BulkRow[] {
  return items.map((item) => {
    const row = baseRow(item.seq, item.subOrderId, item.rowNumbers);
    row.syncState = item.syncState ?? null;
    if (item.status === "PENDING") return { ...row, status: started ? "PENDING" : "CHECKING" };
    return changedRow(row, item) ?? row;
  });
}

/** The index of the row of `seq`: rows are in seq order from 1, so this is a lookup, checked. */
function indexOf(rows: readonly BulkRow[], seq: number): number {
  if (rows[seq - 1]?.seq === seq) return seq - 1;
  return rows.findIndex((r) => r.seq === seq);
}

export type ItemChangeLike = ItemChange;

/** The row after an item's change, or null when the change changes nothing. */
function changedRow(row: BulkRow, change: ItemChangeLike): BulkRow | null {
  if (change.status === "PENDING") return null;
  const message =
    change.status === "SUCCESS"
      ? `Cancelled ${units(change.units ?? 0)}`
      : (change.errorMessage ??
        change.errorCode ??
        (change.status === "WAITING" ? "Waiting for the warehouse" : "Failed"));
  if (row.status === change.status && row.message === message) return null;
  return {
    ...row,
    status: change.status,
    code: change.status === "SUCCESS" ? null : change.errorCode,
    message,
    units: change.units,
  };
}

/**
 * Replaces the rows `update` changes (by seq), copying the array once; returns `rows` itself when
 * no row changed.
 */
function updateRows<T extends { seq: number }>(
  rows: readonly BulkRow[],
  updates: readonly T[],
  update: (row: BulkRow, with_: T) => BulkRow | null,
): readonly BulkRow[] {
  let next: BulkRow[] | null = null;
  for (const item of updates) {
    const index = indexOf(rows, item.seq);
    if (index === -1) continue;
    const current = (next ?? rows)[index] as BulkRow;
    const changed = update(current, item);
    if (!changed) continue;
    next ??= rows.slice();
    next[index] = changed;
  }
  return next ?? rows;
}

/** Marks finished items (server refusals at upload, results of the run). */
export function applyItemChanges(
  rows: readonly BulkRow[],
  changes: readonly ItemChangeLike[],
): readonly BulkRow[] {
  return updateRows(rows, changes, changedRow);
}

export type { Prediction };

const otherBatchNote = (id: string) => `also in unfinished batch ${shortId(id)}`;

/** Shows the dry run on rows still waiting: what each will do, and whether another run also has it. */
export function applyPredictions(
  rows: readonly BulkRow[],
  predictions: readonly Prediction[],
  f: Formatter,
): readonly BulkRow[] {
  return updateRows(rows, predictions, (row, p) => {
    if (row.status !== "CHECKING" && row.status !== "READY" && row.status !== "WILL_FAIL") return null;
    const otherBatchId = p.otherBatchId ?? null;
    const note = p.otherBatchId ? ` (${otherBatchNote(p.otherBatchId)})` : "";
    return p.outcome === "cancel"
      ? {
          ...row,
          otherBatchId,
          status: "READY",
          code: null,
          units: p.units,
          message: `Will cancel ${f.plural(p.units, "unit")} (${f.money(p.valueMinor, p.currency)})${note}`,
          lineErrors: null,
        }
      : {
          ...row,
          otherBatchId,
          status: "WILL_FAIL",
          code: p.code,
          units: null,
          message: `${p.message}${note}`,
          lineErrors: p.lineErrors ?? null,
        };
  });
}

/** Rows that will be sent when the batch starts become PENDING. */
export function markStarted(rows: readonly BulkRow[]): readonly BulkRow[] {
  return rows.map((row) =>
    row.status === "CHECKING" || row.status === "READY" || row.status === "WILL_FAIL"
      ? { ...row, status: "PENDING", code: null, message: null, lineErrors: null }
      : row,
  );
}

/** Rows whose server verdicts are asked for again (a new reason or mode): the browser's own verdicts stay. */
export function recheck(rows: readonly BulkRow[]): readonly BulkRow[] {
  return rows.map((r) =>
    r.status === "ERROR" && r.code !== "SUB_ORDER_NOT_FOUND"
      ? r
      : { ...baseRow(r.seq, r.subOrderId, r.rowNumbers), lines: r.lines, syncState: r.syncState },
  );
}

export type RowCounts = Record<RowStatus, number> & { total: number };

export function countRows(rows: readonly BulkRow[]): RowCounts {
  const counts: RowCounts = {
    CHECKING: 0,
    READY: 0,
    WILL_FAIL: 0,
    PENDING: 0,
    WAITING: 0,
    SUCCESS: 0,
    ERROR: 0,
    total: 0,
  };
  for (const row of rows) counts[row.status]++;
  counts.total = rows.length;
  return counts;
}

export type LineResult = { tone: "success" | "error" | "warning" | "muted"; text: string };

/**
 * What happened to one uploaded line: a group succeeds or fails as a whole, so a line of a failed
 * group shows its own problem when it has one, else the group's.
 */
export function lineResultOf(row: BulkRow, line: BulkLine): LineResult {
  if (line.error) return { tone: "error", text: line.error.message };
  const own = lineMessage(row, line.sku);
  switch (row.status) {
    case "SUCCESS":
      return { tone: "success", text: `Cancelled ${line.quantity}` };
    case "ERROR":
      return {
        tone: "error",
        text:
          own ?? `Not cancelled: the sub-order's lines fail together (${row.message ?? row.code ?? "error"})`,
      };
    case "WILL_FAIL":
      return { tone: "warning", text: own ?? "Will not be cancelled: another line of this sub-order fails" };
    case "READY":
      return { tone: "muted", text: `Will cancel ${line.quantity}` };
    case "PENDING":
      return { tone: "muted", text: "Waiting to run" };
    case "WAITING":
      return { tone: "warning", text: `Reserved: ${row.message ?? "waiting for the warehouse"}` };
    default:
      return { tone: "muted", text: "Checking" };
  }
}

/** The clause of the item's message (or the dry run's per-SKU errors) that names `sku`. */
function lineMessage(row: BulkRow, sku: string): string | null {
  const fromPreview = row.lineErrors?.find((e) => e.sku === sku);
  if (fromPreview) return fromPreview.message;
  if (!row.message || sku === "") return null;
  const clause = row.message
    .split("; ")
    .find((part) => part.startsWith(`SKU ${sku}:`) || part.startsWith(`SKU ${sku} `));
  return clause ?? null;
}
