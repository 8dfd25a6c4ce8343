/**
 * Reliability, hostile input: CSV files a real ops team produces by accident (and a few by malice),
 * each through the server's real upload path (uploadBatch: decode, parse, validate, store as a draft
 * batch), then the dry run (previewBatch), the error CSV (iterateErrorRows + errorCsvChunks) and, at
 * the end, a real run of every accepted batch. Each file mixes good rows with hostile ones; for each:
 * no exception escapes, every good row is stored as an item the dry run says will cancel (and the run
 * does cancel), every hostile row is an ERROR whose message names its row (or its value), and a file
 * that cannot be read at all gets one message that says why (naming the row where there is one).
 *
 * lib/csv/*.test.ts check the parser and validator cell by cell; this file checks that whole hostile
 * files keep every good row on their way into the database.
 */
import { sql } from "drizzle-orm";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

const state = vi.hoisted(() => ({
  database: undefined as import("@/test/database").TestDatabase | undefined,
}));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

import { POST as createBatchRoute } from "@/app/api/v1/cancellation-batches/route";
import { iterateErrorRows } from "@/db/queries/batches";
import { seedDemoUsers } from "@/db/seed-users";
import { createApiKey } from "@/lib/auth/api-keys";
import { previewBatch } from "@/lib/batches/preview-batch";
import { BatchRunner } from "@/lib/batches/runner";
import { startBatch } from "@/lib/batches/start-batch";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { errorCsvChunks } from "@/lib/csv/error-csv";
import { MAX_FILE_BYTES, MAX_ROWS } from "@/lib/csv/parse";
import type { CsvKind } from "@/lib/csv/templates";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { insertBulkSubOrders, insertReferenceData, insertSubOrder, TEST_REASON } from "@/test/fixtures";
import { recordCase } from "./results";

// --- building files -----------------------------------------------------------------------------

const encoder = new TextEncoder();
const BOM = "\uFEFF";

/** Bytes from text (UTF-8) and raw byte runs, in order. */
function bytes(...parts: (string | number[] | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const lines = (eol: string, ...rows: string[]) => rows.join(eol) + eol;
const crlf = (...rows: string[]) => bytes(lines("\r\n", ...rows));

/** UTF-16 with its byte order mark, as Excel's "Unicode Text" writes it. */
function utf16(text: string, endian: "le" | "be"): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out.set(endian === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2 + (endian === "le" ? 0 : 1)] = c & 0xff;
    out[2 + i * 2 + (endian === "le" ? 1 : 0)] = c >> 8;
  }
  return out;
}

/** A deterministic pseudo-random byte run (a binary file). */
function noise(length: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1_103_515_245 + 12_345) & 0x7fffffff;
    return (x >>> 16) & 0xff;
  });
}

/** A zip archive's first local file header, holding `name` (stored, no compression). */
function zipOf(name: string, content: string): Uint8Array {
  const data = encoder.encode(content);
  const header = [0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const size = [data.length & 0xff, data.length >> 8, 0, 0];
  return bytes(header, size, size, [name.length, 0, 0, 0], name, data, [0x50, 0x4b, 0x01, 0x02]);
}

const PNG = [
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0,
  1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0,
  0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const notFound = (id: string) => new RegExp(`^Sub-order ${escapeRegExp(id)} does not exist$`);
const at = (row: number, what: string) => new RegExp(`^Row ${row}, ${what}`);

// --- the good sub-orders: every case gets its own, so that the final run can cancel them all ------

let goodCount = 0;
/** A fresh sub-order that exists, is open and can be cancelled (two lines, SKU-1 and SKU-2, 2 units each). */
const good = () => `GOOD-${++goodCount}`;
/** A sub-order that really exists with a numeric id: scientific notation must never reach it. */
const NUMERIC_ID = "123000";

const SUB = "Sub Order ID,Reason Code";
const LINES = "Sub Order ID,SKU ID,Quantity";

type Accepted = {
  /** Sub-orders whose items must be stored PENDING and predicted to cancel. */
  good: string[];
  /** Rows (spreadsheet numbers) that must be ERROR, and what their message must say. */
  bad: Record<number, RegExp>;
  /** Data rows the file has (not counting blank lines): every one must be stored. */
  rows: number;
};
type Refused = { refused: RegExp; rows: number };
type HostileCase = {
  group: string;
  name: string;
  kind?: CsvKind;
  file: Uint8Array;
  /** Hostile inputs in the file; by default its bad rows, or 1 for a refused file. */
  faults?: number;
} & (Accepted | Refused);

function cases(): HostileCase[] {
  const list: HostileCase[] = [];
  const add = (c: HostileCase) => list.push(c);

  // --- encodings ---
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "encoding",
      name: "UTF-8: accented, CJK and emoji IDs among good rows",
      file: crlf(SUB, `${a},`, "SO-Ünïcødé-✓,", `${b},`, "订单-1,", "SO-😀-1,", `${c},${TEST_REASON}`),
      good: [a, b, c],
      bad: { 3: notFound("SO-Ünïcødé-✓"), 5: notFound("订单-1"), 6: notFound("SO-😀-1") },
      rows: 6,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "encoding",
      name: "UTF-8 with a BOM, a row without its Sub Order ID",
      file: bytes(BOM, lines("\r\n", SUB, `${a},`, `,${TEST_REASON}`, `${b},`)),
      good: [a, b],
      bad: { 3: at(3, "Sub Order ID: empty") },
      rows: 3,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "encoding",
      name: "UTF-16 LE with a BOM (Excel's Unicode Text, tabs)",
      file: utf16(
        lines(
          "\r\n",
          "Sub Order ID\tReason Code",
          `${a}\t`,
          "SO-ß-1\t",
          `${b}\tNOPE`,
          `${c}\t${TEST_REASON}`,
        ),
        "le",
      ),
      good: [a, c],
      bad: { 3: notFound("SO-ß-1"), 4: at(4, 'Reason Code: "NOPE" is not a known reason code') },
      rows: 4,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "encoding",
      name: "UTF-16 BE with a BOM",
      file: utf16(lines("\r\n", SUB, `${a},`, "SO-Ω-2,", `${b},`), "be"),
      good: [a, b],
      bad: { 3: notFound("SO-Ω-2") },
      rows: 3,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "encoding",
      name: "Windows-1252 bytes (an older Excel export): é and € in values",
      file: bytes(
        "Sub Order ID;Note\r\n",
        `${a};caf`,
        [0xe9],
        "\r\nSO-caf",
        [0xe9],
        ";x\r\n",
        `${b};`,
        [0x80],
        "5\r\n",
      ),
      good: [a, b],
      bad: { 3: notFound("SO-café") },
      rows: 3,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "encoding",
      name: "Latin-1 bytes in a Reason Code",
      file: bytes(`${SUB}\r\n${a},\r\n${b},R`, [0xc9], "ASON\r\n"),
      good: [a],
      bad: { 3: at(3, 'Reason Code: "RÉASON" is not a known reason code') },
      rows: 2,
    });
  }
  {
    const [a, b] = [good(), good()];
    const decoded = (raw: number[]) => `SO-${new TextDecoder("windows-1252").decode(Uint8Array.from(raw))}-1`;
    add({
      group: "encoding",
      name: "invalid UTF-8: a lone continuation byte, an overlong form, an encoded surrogate",
      file: bytes(
        `${SUB}\n${a},\nSO-`,
        [0x80],
        "-1,\nSO-",
        [0xc0, 0xaf],
        "-1,\nSO-",
        [0xed, 0xa0, 0x80],
        `-1,\n${b},\n`,
      ),
      good: [a, b],
      bad: {
        3: notFound(decoded([0x80])),
        4: notFound(decoded([0xc0, 0xaf])),
        5: notFound(decoded([0xed, 0xa0, 0x80])),
      },
      rows: 5,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "encoding",
      name: "invalid UTF-8: a character cut off at the end of the file",
      file: bytes(`Sub Order ID,Note\n${a},x\nSO-404-8,y\n${b},z\n${c},caf`, [0xc3]),
      good: [a, b, c],
      bad: { 3: notFound("SO-404-8") },
      rows: 4,
    });
  }

  // --- delimiters ---
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "delimiter",
      name: "semicolons, a value in a column without a header",
      file: crlf("Sub Order ID;Reason Code", `${a};`, `${b};${TEST_REASON};`, "SO-SEMI-1;;extra", c),
      good: [a, b, c],
      bad: { 4: at(4, 'column 3: "extra" is in a column without a header \\(a value that contains ";"') },
      rows: 4,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "delimiter",
      name: "tabs, commas inside values",
      file: crlf("Sub Order ID\tNote", `${a}\tleft, right`, "\tno id", `${b}\t"quoted\ttab"`),
      good: [a, b],
      bad: { 3: at(3, "Sub Order ID: empty") },
      rows: 3,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "delimiter",
      name: "pipes",
      file: crlf("Sub Order ID|Reason Code", `${a}|${TEST_REASON}`, `${b}|`, "SO-PIPE|BAD", `${c}|`),
      good: [a, b, c],
      bad: { 4: at(4, 'Reason Code: "BAD" is not a known reason code') },
      rows: 4,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "delimiter",
      name: "commas, semicolons and pipes inside quoted values",
      file: crlf("Sub Order ID,Note", `"${a}","a, b; c"`, '"SO-1,SO-2",x', `${b},"x|y;z"`),
      good: [a, b],
      bad: { 3: notFound("SO-1,SO-2") },
      rows: 3,
    });
  }

  // --- quoting ---
  {
    const [a, b] = [good(), good()];
    add({
      group: "quoting",
      name: "doubled quotes inside quoted values",
      file: crlf("Sub Order ID,Note", `${a},"say ""hi"""`, '"SO-""Q""-1",x', `${b},""""`),
      good: [a, b],
      bad: { 3: notFound('SO-"Q"-1') },
      rows: 3,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "quoting",
      name: "line breaks inside quoted values: a multi-line record is one spreadsheet row",
      file: crlf(
        "Sub Order ID,Note",
        `${a},"line one\r\nline two\nline three"`,
        "SO-AFTER-NL,x",
        `"${b}",ok`,
        ",after",
        '"SO-\nSPLIT",x',
      ),
      good: [a, b],
      bad: { 3: notFound("SO-AFTER-NL"), 5: at(5, "Sub Order ID: empty"), 6: notFound("SO-\nSPLIT") },
      rows: 5,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "quoting",
      name: "an unclosed quote: refused, naming its row",
      file: crlf("Sub Order ID,Note", `${a},ok`, `${b},"never closed`, `${c},x`),
      refused: /^Row 3: a double quote \("\) opens a value that is never closed/,
      rows: 3,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "quoting",
      name: "text after a closing quote: refused, naming its row (no row swallowed into the next quote)",
      file: crlf("Sub Order ID,Note", `${a},x`, `"${b}"junk,y`, `${c},"z"`, "SO-Q-4,w"),
      refused: /^Row 3: a value in double quotes \(".*\) has more text after its closing quote/,
      rows: 4,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "quoting",
      name: "stray quotes inside unquoted values stay literal",
      file: crlf("Sub Order ID,Note", `${a},5" screen`, 'SO-5"-1,x', `${b},it's "fine"`),
      good: [a, b],
      bad: { 3: notFound('SO-5"-1') },
      rows: 3,
    });
  }

  // --- byte order marks ---
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "BOM",
      name: "two BOMs before the header, BOMs around values",
      file: bytes(BOM, BOM, lines("\r\n", SUB, `${BOM}${a},`, `${b}${BOM},`, "SO-NOPE-18,", `${c},`)),
      good: [a, b, c],
      bad: { 4: notFound("SO-NOPE-18") },
      rows: 4,
    });
  }

  // --- Excel ---
  {
    const [a, b] = [good(), good()];
    add({
      group: "Excel",
      name: "IDs in scientific notation (1.23E+05) are flagged, never read back as numbers",
      file: crlf(SUB, `${a},`, "1.23E+05,", '"1,23E+05",', `${b},`, "4.5e-03,"),
      good: [a, b],
      bad: {
        3: at(3, 'Sub Order ID: "1\\.23E\\+05" is a number in scientific notation'),
        4: at(4, 'Sub Order ID: "1,23E\\+05" is a number in scientific notation'),
        6: at(6, 'Sub Order ID: "4\\.5e-03" is a number in scientific notation'),
      },
      rows: 5,
    });
  }
  {
    const [a, b, c, d, e] = [good(), good(), good(), good(), good()];
    add({
      group: "Excel",
      kind: "line_items",
      name: "quantities and SKUs as Excel writes numbers: 1.00E+00, 2.0, 1.23E+05",
      file: crlf(
        LINES,
        `${a},SKU-1,1`,
        `${b},SKU-1,1.00E+00`,
        `${c},SKU-2,2.0`,
        `${d},SKU-1," 2 "`,
        `${e},1.23E+05,1`,
      ),
      good: [a, d],
      bad: {
        3: at(3, 'Quantity: "1\\.00E\\+00" is not a whole number of at least 1'),
        4: at(4, 'Quantity: "2\\.0" is not a whole number of at least 1'),
        6: at(6, 'SKU ID: "1\\.23E\\+05" is a number in scientific notation'),
      },
      rows: 5,
    });
  }

  // --- formulas ---
  {
    const [a, b] = [good(), good()];
    add({
      group: "formula",
      name: "formula IDs: =cmd|, +, -, @",
      file: crlf(SUB, `${a},`, "=cmd|' /C calc'!A0,", "+SO-1,", "-SO-2,", "@SUM(A1),", `${b},`),
      good: [a, b],
      bad: {
        3: notFound("=cmd|' /C calc'!A0"),
        4: notFound("+SO-1"),
        5: notFound("-SO-2"),
        6: notFound("@SUM(A1)"),
      },
      rows: 6,
    });
  }
  {
    const [a, b, c, d] = [good(), good(), good(), good()];
    add({
      group: "formula",
      name: "formulas in the Reason Code and in a free-text column of good rows",
      file: crlf(
        "Sub Order ID,Reason Code,Note",
        `${a},,=HYPERLINK("http://x.test")`,
        `${b},=1+1,x`,
        `${c},,@evil`,
        `${d},,+1-2`,
      ),
      good: [a, c, d],
      bad: { 3: at(3, 'Reason Code: "=1\\+1" is not a known reason code') },
      rows: 4,
      faults: 4,
    });
  }
  {
    const [a] = [good()];
    add({
      group: "formula",
      name: "formula-like names of unknown columns",
      file: crlf("=cmd|x,Sub Order ID,@evil,-x,+y", `1,${a},2,3,4`, "=a,SO-NOPE-23,b,c,d"),
      good: [a],
      bad: { 3: notFound("SO-NOPE-23") },
      rows: 2,
      faults: 5,
    });
  }

  // --- control characters and NUL ---
  {
    const [a, b, c, d] = [good(), good(), good(), good()];
    const control = "must not contain control characters \\(such as NUL\\)";
    add({
      group: "control",
      name: "control characters in IDs and values (a text file with a few)",
      file: crlf(
        "Sub Order ID,Note",
        `${a},ok`,
        "SO-\u0001-1,x",
        `${b},bell\u0007`,
        "SO-ESC\u001b,",
        `${c},del\u007f`,
        `${d},fine and long enough to read as text`,
      ),
      good: [a, d],
      bad: {
        3: at(3, `Sub Order ID: ${control}`),
        4: at(4, `Note: ${control}`),
        5: at(5, `Sub Order ID: ${control}`),
        6: at(6, `Note: ${control}`),
      },
      rows: 6,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    const control = "must not contain control characters \\(such as NUL\\)";
    add({
      group: "control",
      name: "NUL bytes in a few cells",
      file: crlf("Sub Order ID,Note", `${a},an ordinary note`, "SO-\u0000-1,x", `${b},n\u0000ul`, `${c},y`),
      good: [a, c],
      bad: { 3: at(3, `Sub Order ID: ${control}`), 4: at(4, `Note: ${control}`) },
      rows: 4,
    });
  }
  add({
    group: "control",
    name: "UTF-16 without a BOM (NUL bytes everywhere): refused as not text",
    file: utf16(lines("\r\n", SUB, `${good()},`, `${good()},`), "le").subarray(2),
    refused: /^The file is not a CSV text file \(it contains binary data\)/,
    rows: 2,
  });

  // --- long cells ---
  {
    const [a, b, c, d] = [good(), good(), good(), good()];
    add({
      group: "long cells",
      name: "5,000-character cells: an ID, a note, a quoted value full of delimiters and line breaks",
      file: crlf(
        "Sub Order ID,Note",
        `${a},x`,
        `${"S".repeat(5000)},x`,
        `${b},${"n".repeat(5000)}`,
        `${c},"${"a,b;\n".repeat(1000)}"`,
        `${d},ok`,
      ),
      good: [a, d],
      bad: {
        3: at(3, "Sub Order ID: the value is 5,000 characters long; at most 1,000"),
        4: at(4, "Note: the value is 5,000 characters long"),
        5: at(5, "Note: the value is 4,999 characters long"),
      },
      rows: 5,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "long cells",
      kind: "line_items",
      name: "line items: a 5,000-character SKU and Reason Code",
      file: crlf(
        `${LINES},Reason Code`,
        `${a},SKU-1,1,`,
        `${b},${"K".repeat(5000)},1,`,
        `${c},SKU-2,1,${"R".repeat(5000)}`,
      ),
      good: [a],
      bad: {
        3: at(3, "SKU ID: the value is 5,000 characters long"),
        4: at(4, "Reason Code: the value is 5,000 characters long"),
      },
      rows: 3,
    });
  }

  // --- line ends and blank lines ---
  {
    const [a, b] = [good(), good()];
    add({
      group: "line ends",
      name: "CR only (classic Mac)",
      file: bytes(lines("\r", SUB, `${a},`, "SO-CR-1,", `${b},`, ",")),
      good: [a, b],
      bad: { 3: notFound("SO-CR-1") },
      rows: 3,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "line ends",
      name: "CRLF, LF and CR mixed, a CR inside a quoted value, no final line end",
      file: bytes(`${SUB}\r\n${a},\nSO-MIX-1,\r${b},\r\n"SO-\rCR",\n${c},`),
      good: [a, b, c],
      bad: { 3: notFound("SO-MIX-1"), 5: notFound("SO-\nCR") },
      rows: 5,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "blank lines",
      name: "blank, space-only, tab-only and delimiter-only lines keep spreadsheet row numbers",
      file: bytes(
        lines("\n", SUB, `${a},`, "", "   ", ",,,", `${b},`, "\t", "SO-BLANK-8,NOPE", "", `${c},`, "", ""),
      ),
      good: [a, b, c],
      bad: { 8: at(8, 'Reason Code: "NOPE" is not a known reason code') },
      rows: 4,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "trailing delimiters",
      name: "trailing delimiters on the header and every row",
      file: crlf(`${SUB},,,`, `${a},,,,`, `${b},${TEST_REASON},,,`, ",,,,x", `${c},,,,`),
      good: [a, b, c],
      bad: { 4: at(4, 'Sub Order ID: empty; Row 4, column 5: "x" is in a column without a header') },
      rows: 4,
    });
  }

  // --- headers ---
  add({
    group: "headers",
    name: "two columns for Sub Order ID",
    file: crlf("Sub Order ID,sub_order_id", `${good()},x`),
    refused:
      /^The file has 2 columns for "Sub Order ID": "Sub Order ID" \(column 1\), "sub_order_id" \(column 2\)/,
    rows: 1,
  });
  {
    const [a, b] = [good(), good()];
    add({
      group: "headers",
      name: "repeated unknown headers are kept",
      file: crlf("Note,Sub Order ID,Note,Note", `x,${a},y,z`, "x,SO-NOPE-35,y,z", `,${b},,`),
      good: [a, b],
      bad: { 3: notFound("SO-NOPE-35") },
      rows: 3,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "headers",
      name: "no header row: the file starts with data",
      file: crlf(`${a},${TEST_REASON}`, `${b},`),
      refused: new RegExp(`^The file has no "Sub Order ID" column\\. Found columns: ${a}, ${TEST_REASON}\\.`),
      rows: 2,
    });
  }
  {
    const [a, b] = [good(), good()];
    add({
      group: "headers",
      name: "NUL and control characters in an unknown column's name, a 5,000-character one",
      file: crlf(`Sub Order ID,No\u0000te\u0001,${"H".repeat(5000)}`, `${a},x,y`, "SO-NOPE-H,y,z", `${b},,`),
      good: [a, b],
      bad: { 3: notFound("SO-NOPE-H") },
      rows: 3,
      faults: 2,
    });
  }
  add({
    group: "headers",
    name: "header only",
    file: crlf(SUB),
    refused: /^The file has a header row but no data rows\. Add one row per sub-order to cancel/,
    rows: 0,
  });
  add({
    group: "empty",
    name: "an empty file (0 bytes)",
    file: new Uint8Array(0),
    refused: /^The file is empty\./,
    rows: 0,
  });
  add({
    group: "empty",
    name: "white space only: BOM, spaces, tabs, line ends",
    file: bytes(BOM, "  \t\r\n \r\n\n\t"),
    refused: /^The file is empty\./,
    rows: 0,
  });

  // --- not CSV at all ---
  add({
    group: "not CSV",
    name: "a binary file",
    file: bytes(noise(4096, 42), [0, 0, 0]),
    refused: /^The file is not a CSV text file \(it contains binary data\)/,
    rows: 0,
  });
  add({
    group: "not CSV",
    name: "a zip archive renamed .csv",
    file: zipOf("orders.csv", lines("\r\n", SUB, `${good()},`)),
    refused: /^The file is a zip archive, not a CSV file\. Unzip it/,
    rows: 1,
  });
  add({
    group: "not CSV",
    name: "an Excel workbook (.xlsx) renamed .csv",
    file: zipOf("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
    refused: /^The file is an Excel workbook, not a CSV file\./,
    rows: 0,
  });
  add({
    group: "not CSV",
    name: "a PNG image renamed .csv",
    file: Uint8Array.from(PNG),
    refused: /^The file is not a CSV text file \(it contains binary data\)/,
    rows: 0,
  });

  // --- spreadsheet-made whitespace and repeats ---
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "white space",
      name: "zero-width and no-break spaces around IDs",
      file: crlf(SUB, `\u200b${a}\u200b,`, `\u00a0${b}\u00a0,`, `\u2060${c} ,`, "SO-\u200bZW,"),
      good: [a, b, c],
      bad: { 5: notFound("SO-\u200bZW") },
      rows: 4,
    });
  }
  {
    const [a] = [good()];
    add({
      group: "white space",
      name: "one sub-order three times, spelled with spaces and quotes",
      file: crlf(SUB, `${a},`, ` ${a} ,`, `"${a}",`),
      good: [a],
      bad: {
        3: at(3, `Sub Order ID: ${a} is already on row 2`),
        4: at(4, `Sub Order ID: ${a} is already on row 2`),
      },
      rows: 3,
    });
  }
  {
    const [a, b, c] = [good(), good(), good()];
    add({
      group: "line items",
      kind: "line_items",
      name: "line items: a hostile row fails only its own sub-order's group, naming the row",
      file: crlf(LINES, `${a},SKU-1,1`, `${b},SKU-1,1`, `${a},SKU-2,2`, `${b},=SKU-2,-1`, `${c},SKU-2,1`),
      good: [a, c],
      // Row 3 is fine, but its sub-order's group is one unit of work: it fails with row 5.
      bad: { 3: at(5, 'Quantity: "-1"'), 5: at(5, 'Quantity: "-1" is not a whole number of at least 1') },
      rows: 5,
      faults: 1,
    });
  }

  // --- limits ---
  add({
    group: "limits",
    name: "a file over the size limit (50 MB + 1 byte)",
    file: new Uint8Array(MAX_FILE_BYTES + 1).fill(0x41),
    refused: /^The file is 50\.1 MB; the limit is 50 MB\. Split it into smaller files\.$/,
    rows: 0,
  });
  // A file at the row limit is stored whole: 200,000 rows take about 15 s on PostgreSQL (the reliability
  // suite's database) but 30 s on in-memory PGlite, too long for a plain `vitest run` on a shared machine.
  if (process.env.DATABASE_URL) {
    const [a, b, c] = [good(), good(), good()];
    const many = Array.from({ length: MAX_ROWS - 3 }, (_, i) => `SO-MANY-${i},\r\n`).join("");
    add({
      group: "limits",
      name: `${MAX_ROWS.toLocaleString("en")} rows: at the row limit, every row stored, the good ones kept`,
      file: bytes(`${SUB}\r\n${a},\r\n`, many, `${b},\r\n${c},\r\n`),
      good: [a, b, c],
      bad: Object.fromEntries(
        Array.from({ length: MAX_ROWS - 3 }, (_, i) => [i + 3, /^Sub-order SO-MANY-\d+ does not exist$/]),
      ),
      rows: MAX_ROWS,
      faults: MAX_ROWS - 3,
    });
  }
  add({
    group: "limits",
    name: `${MAX_ROWS + 1} rows: over the row limit`,
    file: bytes(`${SUB}\r\n`, Array.from({ length: MAX_ROWS + 1 }, (_, i) => `SO-MANY-${i},\r\n`).join("")),
    refused:
      /^The file has more than 200,000 data rows, the limit for one file\. Split it into smaller files\.$/,
    rows: MAX_ROWS + 1,
  });
  return list;
}

const CASES = cases();

// --- running a case ---------------------------------------------------------------------------

let database: TestDatabase;
const createdBy = { type: "user", id: "u-ops", name: "Olivia Ops" } as const;
/** Accepted batches and their good sub-orders, for the final run. */
const accepted: { batchId: string; good: string[] }[] = [];

let apiKey: string;

beforeAll(async () => {
  database = await createTestDatabase();
  state.database = database;
  await insertReferenceData(database.db);
  await seedDemoUsers(database.db);
  ({ secret: apiKey } = await createApiKey(
    { name: "ERP", scopes: ["read", "cancel"], createdBy: "demo-admin" },
    database.db,
  ));
  await insertBulkSubOrders(database.db, "GOOD", goodCount);
  await insertSubOrder(database.db, NUMERIC_ID, [{ sku: "SKU-1", ordered: 2 }]);
});
afterAll(() => database?.drop());

type StoredRow = {
  row_number: number;
  seq: number;
  sub_order_id: string;
  status: string;
  code: string | null;
  message: string | null;
};

const UNSAFE_START = /^[=+\-@\t\r\n]/;

/** The batch's error CSV as the download routes stream it, read back with papaparse. */
async function errorCsvOf(batchId: string, headers: string[]) {
  let text = "";
  for await (const chunk of errorCsvChunks(headers, iterateErrorRows(database.db, batchId))) text += chunk;
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: false });
  const records = parsed.data.filter(
    (r, i) => !(i === parsed.data.length - 1 && r.length === 1 && r[0] === ""),
  );
  const unsafe = records.flat().filter((cell) => UNSAFE_START.test(cell)).length;
  return { records, unsafe, errors: parsed.errors };
}

describe("hostile CSV files through the real upload path", () => {
  test.each(CASES)("$group: $name", async (c) => {
    const kind = c.kind ?? "sub_orders";
    const faults = c.faults ?? ("refused" in c ? 1 : Object.keys(c.bad).length);
    const figures = {
      faultsInjected: faults,
      rowsProcessed: c.rows,
      rowsLost: 0,
      unsafeCells: 0,
      serverErrors: 0,
    };
    const name = `hostile CSV: ${c.group}: ${c.name}`;
    try {
      let result: Awaited<ReturnType<typeof uploadBatch>>;
      try {
        result = await uploadBatch(database.db, {
          bytes: c.file,
          fileName: `${c.name}.csv`,
          kind,
          mode: kind === "line_items" ? "line_items" : "strict",
          reasonCode: TEST_REASON,
          createdBy,
          now: new Date(),
        });
      } catch (error) {
        figures.serverErrors++;
        throw error;
      }

      if ("refused" in c) {
        expect(result.ok, "the file must be refused").toBe(false);
        if (result.ok) return;
        expect(["INVALID_FILE", "PAYLOAD_TOO_LARGE"]).toContain(result.error.code);
        expect(result.error.message).toMatch(c.refused);
        return;
      }

      if (!result.ok) {
        figures.rowsLost = c.rows;
        expect.fail(`the file was refused: ${result.error.message}`);
      }
      const { batchId, counts } = result.value;
      const stored = (
        await database.db.execute<StoredRow>(sql`
          SELECT r.row_number, i.seq, i.sub_order_id, i.status,
                 coalesce(r.error_code, i.error_code) AS code,
                 coalesce(r.error_message, i.error_message) AS message
            FROM batch_rows r JOIN batch_items i ON i.id = r.item_id
           WHERE r.batch_id = ${batchId} ORDER BY r.row_number`)
      ).rows;
      const preview = await previewBatch(database.db, batchId);
      if (!preview.ok) throw new Error(preview.error.message);
      const predicted = new Map(preview.value.predictions.map((p) => [p.seq, p]));

      // Every good sub-order: a PENDING item that the dry run says will cancel.
      const survivors = new Set(
        stored
          .filter((r) => r.status === "PENDING" && predicted.get(r.seq)?.outcome === "cancel")
          .map((r) => r.sub_order_id),
      );
      const lost = c.good.filter((id) => !survivors.has(id));
      figures.rowsLost = lost.length + Math.max(0, c.rows - stored.length);
      expect(lost, "good sub-orders that did not survive").toEqual([]);
      expect(stored.length, "every data row is stored, none merged or dropped").toBe(c.rows);
      expect(counts.rows).toBe(c.rows);

      // Every other row: ERROR, with a message that names its row (or, not found, its value).
      const pending = stored.filter((r) => r.status === "PENDING").map((r) => r.sub_order_id);
      expect([...new Set(pending)].sort()).toEqual([...c.good].sort());
      const errors = stored.filter((r) => r.status !== "PENDING");
      expect(errors.map((r) => r.row_number)).toEqual(
        Object.keys(c.bad)
          .map(Number)
          .sort((x, y) => x - y),
      );
      for (const row of errors) {
        expect(row.status, `row ${row.row_number}`).toBe("ERROR");
        expect(row.code, `row ${row.row_number}`).toBeTruthy();
        const message = row.message ?? "";
        expect(message, `row ${row.row_number}`).toMatch(c.bad[row.row_number] as RegExp);
        const namesIt =
          /^Row \d+, /.test(message) ||
          (row.code === "SUB_ORDER_NOT_FOUND" && message.includes(row.sub_order_id));
        expect(namesIt, `row ${row.row_number}: "${message}" names neither the row nor the value`).toBe(true);
      }
      // The scientific-notation ID never became the sub-order it might have been.
      expect(pending).not.toContain(NUMERIC_ID);

      // The error CSV holds exactly the failed rows with their messages, every cell safe.
      const parsed = await errorCsvOf(batchId, (await batchHeaders(batchId)) ?? []);
      figures.unsafeCells = parsed.unsafe;
      expect(parsed.errors).toEqual([]);
      expect(parsed.records.length - 1).toBe(errors.length);
      const messages = parsed.records.slice(1).map((r) => r.at(-1));
      expect(messages).toEqual(errors.map((r) => (r.message ?? "").replace(/^([=+\-@\t\r\n])/, "'$1")));
      expect(parsed.unsafe).toBe(0);

      accepted.push({ batchId, good: c.good });
    } finally {
      recordCase({ case: name, ...figures });
    }
  });

  test("the count is visible: at least 40 hostile files", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test("every accepted batch runs: each good sub-order is cancelled (SUCCESS), no error row runs", async () => {
    expect(accepted.length).toBeGreaterThan(20);
    for (const { batchId } of accepted) {
      const started = await startBatch(database.db, { batchId, confirmDuplicate: true, now: new Date() });
      expect(started.ok, `start ${batchId}`).toBe(true);
    }
    await new BatchRunner(database.db, { gate: async () => ({ kind: "accepted" }) }).runUntilIdle();
    const goods = accepted.flatMap((a) => a.good);
    const done = await database.db.execute<{ sub_order_id: string; status: string; n: number }>(sql`
      SELECT sub_order_id, status, count(*)::int AS n FROM batch_items
       WHERE batch_id = ANY(${sql.param(accepted.map((a) => a.batchId))}::uuid[])
       GROUP BY sub_order_id, status`);
    const succeeded = new Set(done.rows.filter((r) => r.status === "SUCCESS").map((r) => r.sub_order_id));
    const notSucceeded = goods.filter((id) => !succeeded.has(id));
    const ranBad = done.rows.filter((r) => r.status === "SUCCESS" && !goods.includes(r.sub_order_id));
    const stillPending = done.rows.filter((r) => r.status === "PENDING" || r.status === "WAITING");
    recordCase({
      case: "hostile CSV: every accepted file run to the end",
      faultsInjected: 0,
      rowsProcessed: done.rows.reduce((n, r) => n + r.n, 0),
      rowsLost: notSucceeded.length + stillPending.length,
      serverErrors: 0,
    });
    expect(notSucceeded).toEqual([]);
    expect(ranBad).toEqual([]);
    expect(stillPending).toEqual([]);
  });
});

describe("the same files through the REST API (POST /api/v1/cancellation-batches)", () => {
  // The file at the row limit once is enough (about 15 s each time): the others all go through both.
  const overHttp = CASES.filter((c) => "refused" in c || c.rows < MAX_ROWS);
  test.each(overHttp)("$group: $name", async (c) => {
    const kind = c.kind ?? "sub_orders";
    const query = new URLSearchParams({ kind, reasonCode: TEST_REASON, fileName: `${c.name}.csv` });
    const response = await createBatchRoute(
      new Request(`http://localhost:3000/api/v1/cancellation-batches?${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "text/csv" },
        body: c.file as BodyInit,
      }),
      { params: Promise.resolve({}) },
    );
    // biome-ignore lint/suspicious/noExplicitAny: the answer is checked field by field below
    const body: any = await response.json();
    const faultsInjected = c.faults ?? ("refused" in c ? 1 : Object.keys(c.bad).length);
    const figures = { faultsInjected, rowsProcessed: c.rows, rowsLost: 0, serverErrors: 0 };
    try {
      if (response.status >= 500) figures.serverErrors++;
      expect(response.status, JSON.stringify(body).slice(0, 300)).toBeLessThan(500);
      if ("refused" in c) {
        expect([413, 422]).toContain(response.status);
        expect(["INVALID_FILE", "PAYLOAD_TOO_LARGE"]).toContain(body.code);
        // Over 50 MB the route stops reading at the limit: it cannot say by how much.
        if (response.status === 413) expect(body.detail).toMatch(/the limit is 50 MB/);
        else expect(body.detail).toMatch(c.refused);
        return;
      }
      expect(response.status, JSON.stringify(body).slice(0, 300)).toBe(202);
      expect(body.data.fileCheck.rows).toBe(c.rows);
      const pending = await database.db.execute<{ sub_order_id: string }>(sql`
        SELECT DISTINCT sub_order_id FROM batch_items WHERE batch_id = ${body.data.batch.id} AND status = 'PENDING'`);
      const kept = new Set(pending.rows.map((r) => r.sub_order_id));
      figures.rowsLost = c.good.filter((id) => !kept.has(id)).length;
      expect([...kept].sort()).toEqual([...c.good].sort());
    } finally {
      recordCase({ case: `hostile CSV over the REST API: ${c.group}: ${c.name}`, ...figures });
    }
  });
});

async function batchHeaders(batchId: string): Promise<string[] | undefined> {
  const result = await database.db.execute<{ headers: string[] }>(
    sql`SELECT headers FROM batches WHERE id = ${batchId}`,
  );
  return result.rows[0]?.headers;
}
