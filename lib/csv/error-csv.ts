/**
 * Writes the error CSV: the failed rows exactly as uploaded plus `Error Code` and `Error Message`,
 * so the file can be fixed and uploaded again. Comma-separated, CRLF line ends, RFC 4180 quoting,
 * and a UTF-8 byte order mark first so that Excel reads it as UTF-8.
 *
 * Formula injection: every cell (original ones, the header and our messages alike) that starts
 * with `=`, `+`, `-`, `@`, tab, carriage return or line feed gets a leading `'`, so a spreadsheet shows it
 * as text instead of running it. This is intended even where it changes a value: a Quantity of
 * `-5` is written as `'-5` (it was invalid anyway, and a fixed file re-uploads fine).
 */
import { normalizeHeader } from "./headers";
import type { WorkItem } from "./validate";

export const ERROR_CODE_HEADER = "Error Code";
export const ERROR_MESSAGE_HEADER = "Error Message";
export const UTF8_BOM = "\uFEFF";

export type ErrorCsvRow = {
  /** The row's cells as uploaded, in the order of the original headers. */
  cells: readonly string[];
  code: string;
  message: string;
};

const FORMULA_START = /^[=+\-@\t\r\n]/;
const NEEDS_QUOTES = /[",;\r\n\t]|^\s|\s$/;

/** The cell made safe to open in a spreadsheet: a leading `'` before a formula-like start. */
export function neutraliseCell(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function quoteCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * One CSV record, ending in CRLF: each cell neutralised, then quoted when it holds a quote,
 * comma, semicolon, tab, line break or edge space. A record of only empty cells is written as
 * `""` so that a reader does not skip it as a blank line.
 */
export function formatCsvRow(cells: readonly string[]): string {
  let line = "";
  let empty = true;
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i] ?? "";
    if (value !== "") empty = false;
    line += i === 0 ? quoteCell(neutraliseCell(value)) : `,${quoteCell(neutraliseCell(value))}`;
  }
  return `${empty && cells.length > 0 ? `""${line}` : line}\r\n`;
}

const ERROR_COLUMNS = new Set([normalizeHeader(ERROR_CODE_HEADER), normalizeHeader(ERROR_MESSAGE_HEADER)]);

/**
 * The layout of an error CSV for a file with `originalHeaders`. A re-uploaded error CSV already has
 * error columns: they are left out, so the new file has one current pair, not two.
 */
function errorCsvLayout(originalHeaders: readonly string[]) {
  const keep: number[] = [];
  originalHeaders.forEach((h, i) => {
    if (!ERROR_COLUMNS.has(normalizeHeader(h))) keep.push(i);
  });
  const all = keep.length === originalHeaders.length;
  return {
    header: [...keep.map((i) => originalHeaders[i] ?? ""), ERROR_CODE_HEADER, ERROR_MESSAGE_HEADER],
    /**
     * The output cells: the original ones, padded (short rows) or cut (values past the last header,
     * which the row's error message quotes) to the header width, then the code and the message.
     */
    cellsOf(row: ErrorCsvRow): string[] {
      const out = new Array<string>(keep.length + 2);
      for (let j = 0; j < keep.length; j++) out[j] = row.cells[all ? j : (keep[j] as number)] ?? "";
      out[keep.length] = row.code;
      out[keep.length + 1] = row.message;
      return out;
    },
  };
}

/** The header of the error CSV: the original headers, then `Error Code` and `Error Message`. */
export function errorCsvHeader(originalHeaders: readonly string[]): string[] {
  return errorCsvLayout(originalHeaders).header;
}

/** The whole error CSV as one string, BOM included: for small sets (a preview's invalid rows). */
export function buildErrorCsv(originalHeaders: readonly string[], rows: Iterable<ErrorCsvRow>): string {
  const layout = errorCsvLayout(originalHeaders);
  const parts = [UTF8_BOM, formatCsvRow(layout.header)];
  for (const row of rows) parts.push(formatCsvRow(layout.cellsOf(row)));
  return parts.join("");
}

const CHUNK_CHARS = 64 * 1024;

/**
 * The error CSV as string chunks of about 64 KB, BOM first, reading `rows` one at a time: a route
 * handler can stream 100,000 rows (paged from the database by an async generator) in constant memory.
 */
export async function* errorCsvChunks(
  originalHeaders: readonly string[],
  rows: Iterable<ErrorCsvRow> | AsyncIterable<ErrorCsvRow>,
): AsyncGenerator<string, void, undefined> {
  const layout = errorCsvLayout(originalHeaders);
  let chunk = UTF8_BOM + formatCsvRow(layout.header);
  for await (const row of rows) {
    chunk += formatCsvRow(layout.cellsOf(row));
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/**
 * `errorCsvChunks` as a byte stream for `new Response(stream, { headers })`. Pulls rows only as fast
 * as the client reads, and stops reading them when the client goes away.
 */
export function errorCsvStream(
  originalHeaders: readonly string[],
  rows: Iterable<ErrorCsvRow> | AsyncIterable<ErrorCsvRow>,
): ReadableStream<Uint8Array> {
  const chunks = errorCsvChunks(originalHeaders, rows);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * The error CSV rows of a validation, in file order: every row of every item with an error. A bad
 * row carries its own error; a good row of a failed line-item group carries the group's, since the
 * group is cancelled as one and must be uploaded again whole.
 */
export function validationErrorRows(items: Iterable<WorkItem>): ErrorCsvRow[] {
  const failed: { rowNumber: number; row: ErrorCsvRow }[] = [];
  for (const item of items) {
    if (!item.error) continue;
    for (const row of item.rows) {
      const error = row.error ?? item.error;
      failed.push({
        rowNumber: row.rowNumber,
        row: { cells: row.cells, code: error.code, message: error.message },
      });
    }
  }
  failed.sort((a, b) => a.rowNumber - b.rowNumber);
  return failed.map((f) => f.row);
}
