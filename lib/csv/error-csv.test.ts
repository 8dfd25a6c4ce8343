import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  buildErrorCsv,
  type ErrorCsvRow,
  errorCsvChunks,
  errorCsvHeader,
  errorCsvStream,
  formatCsvRow,
  neutraliseCell,
  UTF8_BOM,
  validationErrorRows,
} from "./error-csv";
import { parseCsvText } from "./parse";
import { validateRows } from "./validate";

describe("errorCsvHeader", () => {
  test("the original headers, then Error Code and Error Message", () => {
    expect(errorCsvHeader(["Sub Order ID", "SKU ID", "Quantity", "Note"])).toEqual([
      "Sub Order ID",
      "SKU ID",
      "Quantity",
      "Note",
      "Error Code",
      "Error Message",
    ]);
  });

  test("a re-uploaded error CSV gets one fresh pair of error columns, not two", () => {
    expect(errorCsvHeader(["Sub Order ID", "error_code", "Note", "Error Message"])).toEqual([
      "Sub Order ID",
      "Note",
      "Error Code",
      "Error Message",
    ]);
    const csv = buildErrorCsv(
      ["Sub Order ID", "Error Code", "Note", "Error Message"],
      [{ cells: ["SO-1", "OLD", "n", "old message"], code: "SUB_ORDER_NOT_FOUND", message: "new" }],
    );
    expect(csv).toBe(
      `${UTF8_BOM}Sub Order ID,Note,Error Code,Error Message\r\nSO-1,n,SUB_ORDER_NOT_FOUND,new\r\n`,
    );
  });
});

describe("formatCsvRow", () => {
  test.each<[string[], string]>([
    [["a", "b"], "a,b\r\n"],
    [["a,b", "c"], '"a,b",c\r\n'],
    [["a;b"], '"a;b"\r\n'],
    [['say "hi"'], '"say ""hi"""\r\n'],
    [["line one\nline two"], '"line one\nline two"\r\n'],
    [["a\rb"], '"a\rb"\r\n'],
    [["a\tb"], '"a\tb"\r\n'],
    [[" edge "], '" edge "\r\n'],
    [["naïve ✓ 😀"], "naïve ✓ 😀\r\n"],
    [["", "x", ""], ",x,\r\n"],
    // A record of empty cells would read back as a blank line, which is skipped: write `""` first.
    [["", ""], '"",\r\n'],
    [[""], '""\r\n'],
  ])("%j -> %j", (cells, line) => {
    expect(formatCsvRow(cells)).toBe(line);
  });

  test.each<[string, string]>([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-5", "'-5"], // intended: a Quantity of -5 comes back as '-5 (it was invalid anyway)
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=cmd", '"\'\t=cmd"'],
    ["\r=cmd", '"\'\r=cmd"'],
    ["\n=cmd", '"\'\n=cmd"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
  ])("formula injection: %j is written %j", (cell, written) => {
    expect(neutraliseCell(cell).startsWith("'")).toBe(true);
    expect(formatCsvRow([cell])).toBe(`${written}\r\n`);
  });

  test.each(["SO-1", "1", "a=b", "'=x", " =x", "", "TSHIRT-M-RED"])("%j is left alone", (cell) => {
    expect(neutraliseCell(cell)).toBe(cell);
  });

  test("neutralises the headers and the messages too", () => {
    const csv = buildErrorCsv(
      ["=Sub Order ID", "-note"],
      [{ cells: ["SO-1", "x"], code: "X", message: "=bad" }],
    );
    expect(csv).toBe(`${UTF8_BOM}'=Sub Order ID,'-note,Error Code,Error Message\r\nSO-1,x,X,'=bad\r\n`);
  });
});

describe("buildErrorCsv", () => {
  test("BOM, comma, CRLF; short rows padded, values past the last header left out", () => {
    const rows: ErrorCsvRow[] = [
      {
        cells: ["SO-1", "A", "-5"],
        code: "INVALID_QUANTITY",
        message: 'Row 2, Quantity: "-5" is not a whole number of at least 1',
      },
      { cells: ["SO-2"], code: "INVALID_INPUT", message: "Row 3, SKU ID: empty" },
      { cells: ["SO-3", "B", "1", "000"], code: "INVALID_INPUT", message: 'Row 4, column 4: "000" ...' },
    ];
    expect(buildErrorCsv(["Sub Order ID", "SKU ID", "Quantity"], rows)).toBe(
      [
        `${UTF8_BOM}Sub Order ID,SKU ID,Quantity,Error Code,Error Message`,
        `SO-1,A,'-5,INVALID_QUANTITY,"Row 2, Quantity: ""-5"" is not a whole number of at least 1"`,
        `SO-2,,,INVALID_INPUT,"Row 3, SKU ID: empty"`,
        `SO-3,B,1,INVALID_INPUT,"Row 4, column 4: ""000"" ..."`,
        "",
      ].join("\r\n"),
    );
  });

  test("validationErrorRows: failed items' rows in file order, good rows of a failed group with the group's error", () => {
    const text = [
      "Sub Order ID,SKU ID,Quantity",
      "SO-1,A,1",
      "SO-2,A,x",
      "SO-1,B,1",
      "SO-2,B,1",
      "SO-3,,1",
    ].join("\n");
    const parsed = parseCsvText(text, "line_items");
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const rows = validationErrorRows(validateRows("line_items", parsed).items);
    expect(rows).toEqual([
      {
        cells: ["SO-2", "A", "x"],
        code: "INVALID_QUANTITY",
        message: 'Row 3, Quantity: "x" is not a whole number of at least 1',
      },
      {
        cells: ["SO-2", "B", "1"],
        code: "INVALID_QUANTITY",
        message: 'Row 3, Quantity: "x" is not a whole number of at least 1',
      },
      { cells: ["SO-3", "", "1"], code: "INVALID_INPUT", message: "Row 6, SKU ID: empty" },
    ]);
  });
});

/** What parseCsvText makes of a cell the error CSV wrote: neutralised, line ends as \n, trimmed. */
const readBack = (cell: string) => neutraliseCell(cell).replace(/\r\n?/g, "\n").trim();

const cellChars = [
  ..."aZ09 -_.'",
  '"',
  ",",
  ";",
  "|",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "=",
  "+",
  "-",
  "@",
  "é",
  "ß",
  "中",
  "😀",
  "👩‍👩‍👧",
  "\u00a0",
  "ـ",
];
const cellArb = fc.string({ unit: fc.constantFrom(...cellChars), maxLength: 12 });

describe("round trip: parseCsvText(error CSV) gives back the cells", () => {
  const headers = ["Sub Order ID", "Note", "Reason Code"];

  test("property: arbitrary cells with quotes, delimiters, line breaks and unicode survive", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            cells: fc.array(cellArb, { minLength: 3, maxLength: 3 }),
            code: cellArb,
            message: cellArb,
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (rows) => {
          const result = parseCsvText(buildErrorCsv(headers, rows), "sub_orders");
          if (!result.ok) throw new Error(result.problem.message);
          expect(result.headers).toEqual(errorCsvHeader(headers));
          expect(result.rows.map((r) => r.cells)).toEqual(
            rows.map((r) => [...r.cells, r.code, r.message].map(readBack)),
          );
          expect(result.rows.map((r) => r.rowNumber)).toEqual(rows.map((_, i) => i + 2));
        },
      ),
      { numRuns: 300 },
    );
  });

  test("property: cells that came out of the parser come back unchanged unless neutralised", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cellArb, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }),
        (raw) => {
          const cells = raw.map((row) => row.map((c) => c.replace(/\r\n?/g, "\n").trim()));
          const rows = cells.map((c) => ({ cells: c, code: "E", message: "m" }));
          const result = parseCsvText(buildErrorCsv(headers, rows), "sub_orders");
          if (!result.ok) throw new Error(result.problem.message);
          result.rows.forEach((row, i) => {
            row.cells.slice(0, 3).forEach((cell, j) => {
              const original = cells[i]?.[j] ?? "";
              expect(cell).toBe(/^[=+\-@]/.test(original) ? `'${original}` : original);
            });
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  test("an Excel-style upload round-trips through the error CSV", () => {
    const upload =
      '\uFEFF"Sub Order ID";"Reason Code";"Note"\r\n"SO-1";"XYZ";"a, b; ""c"""\r\n"";"R";"multi\r\nline"\r\n';
    const first = parseCsvText(upload, "sub_orders");
    if (!first.ok) throw new Error(first.problem.message);
    const failed = validationErrorRows(
      validateRows("sub_orders", first, { knownReasonCodes: new Set(["R"]) }).items,
    );
    const again = parseCsvText(buildErrorCsv(first.headers, failed), "sub_orders");
    if (!again.ok) throw new Error(again.problem.message);
    expect(again.rows.map((r) => r.cells)).toEqual([
      [
        "SO-1",
        "XYZ",
        'a, b; "c"',
        "REASON_NOT_FOUND",
        'Row 2, Reason Code: "XYZ" is not a known reason code',
      ],
      ["", "R", "multi\nline", "INVALID_INPUT", "Row 3, Sub Order ID: empty"],
    ]);
  });
});

describe("streaming", () => {
  const headers = ["Sub Order ID", "SKU ID", "Quantity"];
  const row = (i: number): ErrorCsvRow => ({
    cells: [`SO-${i}`, i % 7 === 0 ? "=cmd" : "A,B", String(i)],
    code: "SUB_ORDER_NOT_FOUND",
    message: `Sub-order SO-${i} does not exist`,
  });
  const rows = (n: number) => Array.from({ length: n }, (_, i) => row(i));
  async function* asyncRows(n: number) {
    for (let i = 0; i < n; i++) yield row(i);
  }
  const collect = async (chunks: AsyncIterable<string>) => {
    const all: string[] = [];
    for await (const chunk of chunks) all.push(chunk);
    return all;
  };

  test("errorCsvChunks over an async iterable of 100,000 rows equals buildErrorCsv, in bounded chunks", async () => {
    const chunks = await collect(errorCsvChunks(headers, asyncRows(100_000)));
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(64 * 1024 + 1024);
    expect(chunks.join("")).toBe(buildErrorCsv(headers, rows(100_000)));
  });

  test("errorCsvChunks over a plain array, and over nothing", async () => {
    expect((await collect(errorCsvChunks(headers, rows(3)))).join("")).toBe(buildErrorCsv(headers, rows(3)));
    expect(await collect(errorCsvChunks(headers, []))).toEqual([
      `${UTF8_BOM}Sub Order ID,SKU ID,Quantity,Error Code,Error Message\r\n`,
    ]);
  });

  test("errorCsvStream gives the same bytes, BOM first", async () => {
    const bytes = new Uint8Array(await new Response(errorCsvStream(headers, asyncRows(1000))).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes)).toBe(
      buildErrorCsv(headers, rows(1000)),
    );
  });

  test("errorCsvStream stops reading rows when the client goes away", async () => {
    let read = 0;
    async function* counted() {
      for (let i = 0; i < 1_000_000; i++) {
        read++;
        yield row(i);
      }
    }
    const reader = errorCsvStream(headers, counted()).getReader();
    await reader.read();
    await reader.cancel();
    expect(read).toBeLessThan(10_000);
  });
});
