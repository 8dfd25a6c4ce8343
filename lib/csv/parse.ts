/**
 * Reads an uploaded cancellation CSV into trimmed cells, or one clear problem with the file.
 * Runs in the browser (also in a web worker) and on the server: no Node, React or Next imports.
 *
 * Row numbers: `rowNumber` is the row as a spreadsheet shows it, counting the header as row 1,
 * so the first data row is row 2. Blank lines are skipped but still counted, and a quoted value
 * that spans several lines is one row, exactly as Excel numbers them. Every message uses it.
 */
import Papa from "papaparse";
import { hasControlCharacter, replaceControlCharacters } from "@/lib/validation/text";
import { type ColumnIndex, type FileProblem, fileProblem, matchColumns } from "./headers";
import { CSV_ROW_NOUN, type CsvKind } from "./templates";

/** The largest file accepted, checked before it is read (`checkFileSize`) and again on the text. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;
/** The most data rows a file may hold. */
export const MAX_ROWS = 200_000;
/** The most columns a file may have: a header row with more is refused, a data row is cut (and is an error). */
export const MAX_COLUMNS = 100;

/** The delimiters recognised, in order of preference. Excel writes `;` in many locales. */
export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export type CsvRow = {
  /** The spreadsheet row number: the header is row 1, the first data row 2 (see the top of this file). */
  rowNumber: number;
  /**
   * The trimmed cells, as many as the row has: a short row has fewer cells than `headers`, and a row
   * with values beyond the last header keeps them (validation reports them).
   */
  cells: string[];
  /** The row had this many cells, more than MAX_COLUMNS: only the first MAX_COLUMNS are kept. */
  width?: number;
};

export type ParsedCsv = {
  ok: true;
  /** The header row, trimmed, trailing empty headers dropped. Unknown columns are kept. */
  headers: string[];
  rows: CsvRow[];
  columns: ColumnIndex;
  delimiter: CsvDelimiter;
};

export type ParseCsvResult = ParsedCsv | { ok: false; problem: FileProblem };

const MB = 1024 * 1024;
const formatCount = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
/** Rounded up, so that a file just over the limit never reads as "50.0 MB; the limit is 50 MB". */
const formatMb = (bytes: number): string => `${(Math.ceil((bytes / MB) * 10) / 10).toFixed(1)} MB`;

const SAVE_AS_CSV = 'In Excel choose File > Save As > "CSV UTF-8 (Comma delimited)" and upload that file.';

const problems = {
  empty: () => fileProblem("The file is empty. Download the template to see the expected columns."),
  tooWide: (columns: number) =>
    fileProblem(
      `The header row has ${formatCount(columns)} columns; a cancellation file has at most ${MAX_COLUMNS}. Download the template to see the expected columns.`,
    ),
  headerOnly: (kind: CsvKind) =>
    fileProblem(
      `The file has a header row but no data rows. Add one row per ${CSV_ROW_NOUN[kind]} below the header.`,
    ),
  binary: () => fileProblem(`The file is not a CSV text file (it contains binary data). ${SAVE_AS_CSV}`),
  workbook: () => fileProblem(`The file is an Excel workbook, not a CSV file. ${SAVE_AS_CSV}`),
  tooBig: (bytes: number) =>
    fileProblem(
      `The file is ${formatMb(bytes)}; the limit is ${MAX_FILE_BYTES / MB} MB. Split it into smaller files.`,
    ),
  tooManyRows: () =>
    fileProblem(
      `The file has more than ${formatCount(MAX_ROWS)} data rows, the limit for one file. Split it into smaller files.`,
    ),
  unclosedQuote: (rowNumber: number) =>
    fileProblem(
      `Row ${rowNumber}: a double quote (") opens a value that is never closed, so the rest of the file ` +
        "cannot be read. Close the quote or remove it.",
    ),
  textAfterQuote: (rowNumber: number) =>
    fileProblem(
      `Row ${rowNumber}: a value in double quotes (") has more text after its closing quote, so the rest of ` +
        'the file cannot be read. Put the whole value in quotes and write each quote inside it twice ("").',
    ),
  zip: () =>
    fileProblem("The file is a zip archive, not a CSV file. Unzip it and upload the CSV file it holds."),
};

/** The size check, possible before the file is read: `checkFileSize(file.size)`. */
export function checkFileSize(bytes: number): FileProblem | null {
  return bytes > MAX_FILE_BYTES ? problems.tooBig(bytes) : null;
}

/** The UTF-8 size of `text`, counted only as far as needed to compare it with the limit. */
function utf8SizeOver(text: string, limit: number): number | null {
  if (text.length > limit) return text.length; // at least one byte a character: over for sure
  if (text.length * 3 <= limit) return null; // at most three bytes a UTF-16 unit: under for sure
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4; // a surrogate pair: four bytes for both units
      i++;
    } else bytes += 3;
  }
  return bytes > limit ? bytes : null;
}

const BINARY_SAMPLE = 64 * 1024;

/** Why `text` is not a CSV file, when it clearly is not one. */
function binaryProblem(text: string): FileProblem | null {
  if (text.startsWith("PK\u0003\u0004")) return zipProblem(text.length, (i) => text.charCodeAt(i));
  // A stray NUL in a text file is a problem of its row (validation names it), not of the file: only
  // many control characters (a binary file, UTF-16 without a byte order mark) make it not a CSV.
  const sample = text.length > BINARY_SAMPLE ? text.slice(0, BINARY_SAMPLE) : text;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Control characters other than tab, line feed, form feed and carriage return, and the
    // replacement character a UTF-8 decoder puts where the bytes were not text.
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f || c === 0xfffd) {
      odd++;
    }
  }
  return odd * 10 > sample.length ? problems.binary() : null;
}

/** The first entry names of an Office or OpenDocument file (a zip archive too). */
const OFFICE_ENTRY = /^(\[Content_Types\]\.xml|_rels\/|docProps\/|xl\/|word\/|ppt\/|mimetype$|META-INF\/)/;

/**
 * A zip archive: an Excel workbook (.xlsx, .ods) unless the name of its first entry says it is some
 * other archive (a zipped CSV file renamed .csv). Reads the local file header's name (offset 30).
 */
function zipProblem(length: number, byteAt: (i: number) => number): FileProblem {
  if (length < 30) return problems.workbook();
  const nameLength = byteAt(26) | (byteAt(27) << 8);
  if (nameLength === 0 || length < 30 + nameLength) return problems.workbook();
  let name = "";
  for (let i = 30; i < 30 + nameLength; i++) name += String.fromCharCode(byteAt(i) & 0xff);
  return OFFICE_ENTRY.test(name) ? problems.workbook() : problems.zip();
}

/** White space as JavaScript's `trim` knows it, and the zero-width characters web pages bring along. */
const isEdgeSpace = (c: number): boolean =>
  c === 0x20 ||
  (c >= 0x09 && c <= 0x0d) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200d) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x2060 ||
  c === 0x3000 ||
  c === 0xfeff;

/**
 * Trims white space, including the zero-width spaces that text copied from web pages brings along.
 * Two index loops: linear in the cell's length whatever it holds.
 */
export function cleanCell(cell: string): string {
  let start = 0;
  let end = cell.length;
  while (start < end && isEdgeSpace(cell.charCodeAt(start))) start++;
  while (end > start && isEdgeSpace(cell.charCodeAt(end - 1))) end--;
  return start === 0 && end === cell.length ? cell : cell.slice(start, end);
}

const ONLY_DELIMITERS = /^[\s,;|]+$/;
/** A cell of only delimiters: what is left of a line like `,,,` split on another delimiter. */
const isOnlyDelimiters = (cell: string): boolean => {
  const c = cell.charCodeAt(0);
  return (c === 0x2c || c === 0x3b || c === 0x7c) && ONLY_DELIMITERS.test(cell);
};

/** The first record (the header row) with any content, scanning only that far into `text`. */
function firstRecord(text: string): string {
  let start = 0;
  while (start < text.length) {
    const end = recordEnd(text, start);
    const record = text.slice(start, end);
    if (/[^\s"|;,]/.test(record)) return record;
    start = end + 1;
  }
  return "";
}

/** The index of the line feed that ends the record starting at `start` (quotes can hide line feeds). */
function recordEnd(text: string, start: number): number {
  let inQuotes = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) inQuotes = !inQuotes;
    else if (c === 0x0a && !inQuotes) return i;
  }
  return text.length;
}

/**
 * Picks the delimiter from the header row: the one whose split finds the columns `kind` needs,
 * then the one that finds most known columns, then the most columns, then the first in
 * `CSV_DELIMITERS`. A one-column file has no delimiter at all and gets `,`.
 */
export function detectDelimiter(text: string, kind: CsvKind): CsvDelimiter {
  const header = firstRecord(text);
  let best: CsvDelimiter = ",";
  let bestScore = -1;
  for (const delimiter of CSV_DELIMITERS) {
    const cells = Papa.parse<string[]>(header, { delimiter, newline: "\n" }).data[0] ?? [];
    if (cells.length < 2 && delimiter !== ",") continue;
    const match = matchColumns(kind, cells.map(cleanCell));
    const known = match.ok ? Object.keys(match.columns).length : 0;
    const score = (match.ok ? 1_000_000 : 0) + known * 10_000 + Math.min(cells.length, 9_999);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Parses the text of a cancellation file of `kind`: strips a UTF-8 byte order mark, accepts
 * CRLF, LF and CR line ends (also mixed), detects the delimiter, unquotes fields (which may hold
 * delimiters, doubled quotes and line breaks), trims every cell and skips blank lines (also lines
 * of only delimiters and spaces; a line holding `""` is a row with an empty value, not blank).
 * Line breaks inside quoted values come back as `\n`.
 */
export function parseCsvText(text: string, kind: CsvKind): ParseCsvResult {
  const oversize = utf8SizeOver(text, MAX_FILE_BYTES);
  if (oversize !== null) return { ok: false, problem: problems.tooBig(oversize) };

  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const binary = binaryProblem(body);
  if (binary) return { ok: false, problem: binary };
  if (body.includes("\r")) body = body.replace(/\r\n?/g, "\n");

  const delimiter = detectDelimiter(body, kind);
  // Written by the step callback; an object, so that TypeScript does not narrow it to its start.
  const state: { headers: string[] | null; columns: ColumnIndex | null; problem: FileProblem | null } = {
    headers: null,
    columns: null,
    problem: null,
  };
  const rows: CsvRow[] = [];
  let rowNumber = 0;
  let cursor = 0;

  Papa.parse<string[]>(body, {
    delimiter,
    newline: "\n",
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    step: (result, parser) => {
      rowNumber++;
      const start = cursor;
      cursor = result.meta.cursor;
      // A quoted value with text after its closing quote (`"SO-1"x`) makes the parser read on to the
      // next quote, swallowing the rows between into one value: refuse the file rather than lose them.
      if (result.errors.some((e) => e.code === "InvalidQuotes")) {
        state.problem = problems.textAfterQuote(rowNumber);
        parser.abort();
        return;
      }
      if (result.errors.some((e) => e.code === "MissingQuotes")) {
        state.problem = problems.unclosedQuote(rowNumber);
        parser.abort();
        return;
      }
      const raw = result.data;
      const cells = new Array<string>(raw.length);
      let blank = true;
      for (let i = 0; i < raw.length; i++) {
        const cell = cleanCell(raw[i] ?? "");
        cells[i] = cell;
        if (blank && cell !== "" && !isOnlyDelimiters(cell)) blank = false;
      }
      if (state.headers === null) {
        if (blank) return; // nothing above the header counts, not even a row of `""`
        // A name with NUL or other control characters is kept with U+FFFD in their place, as cells are
        // (validate.ts): the database refuses NUL, and the error CSV repeats the header.
        state.headers = dropTrailingEmpty(cells, 0).map((h) =>
          hasControlCharacter(h, true) ? replaceControlCharacters(h) : h,
        );
        if (state.headers.length > MAX_COLUMNS) {
          state.problem = problems.tooWide(state.headers.length);
          parser.abort();
          return;
        }
        const match = matchColumns(kind, state.headers);
        if (match.ok) state.columns = match.columns;
        else {
          state.problem = match.problem;
          parser.abort();
        }
        return;
      }
      // Only a line of empty cells is looked at again: `""` is a row with an empty value, `,,` is blank.
      if (blank && !body.slice(start, cursor).includes('"')) return;
      if (rows.length >= MAX_ROWS) {
        state.problem = problems.tooManyRows();
        parser.abort();
        return;
      }
      const kept = dropTrailingEmpty(cells, state.headers.length);
      if (kept.length > MAX_COLUMNS) {
        const width = kept.length;
        kept.length = MAX_COLUMNS;
        rows.push({ rowNumber, cells: kept, width });
      } else rows.push({ rowNumber, cells: kept });
    },
  });

  const { headers, columns, problem } = state;
  if (problem) return { ok: false, problem };
  if (headers === null || columns === null) return { ok: false, problem: problems.empty() };
  if (rows.length === 0) return { ok: false, problem: problems.headerOnly(kind) };
  return { ok: true, headers, rows, columns, delimiter };
}

/** Drops empty cells from the end of `cells` while it is longer than `keep`. */
function dropTrailingEmpty(cells: string[], keep: number): string[] {
  let end = cells.length;
  while (end > keep && cells[end - 1] === "") end--;
  if (end < cells.length) cells.length = end;
  return cells;
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

/**
 * The text of a file's bytes: UTF-8 (with or without a byte order mark), UTF-16 when it has a
 * byte order mark (Excel's "Unicode Text"), and Windows-1252 for older Excel exports that are not
 * valid UTF-8. An Excel workbook or other binary file gives a problem instead.
 */
export function decodeCsvBytes(bytes: Uint8Array): string | FileProblem {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipProblem(bytes.length, (i) => bytes[i] ?? 0); // .xlsx
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return problems.workbook(); // .xls
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder("utf-16le").decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder("utf-16be").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Not UTF-8. Text bytes are most likely Windows-1252; binary ones are caught by the parser.
    if (bytes.includes(0)) return problems.binary();
    try {
      return new TextDecoder("windows-1252").decode(bytes);
    } catch {
      return new TextDecoder("utf-8").decode(bytes);
    }
  }
}

/** Reads and parses an uploaded file (browser or worker `File`, or any `Blob`). */
export async function parseCsvFile(file: Blob, kind: CsvKind): Promise<ParseCsvResult> {
  const tooBig = checkFileSize(file.size);
  if (tooBig) return { ok: false, problem: tooBig };
  const text = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
  if (typeof text !== "string") return { ok: false, problem: text };
  return parseCsvText(text, kind);
}
