import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  type CsvRow,
  checkFileSize,
  cleanCell,
  decodeCsvBytes,
  detectDelimiter,
  MAX_FILE_BYTES,
  MAX_ROWS,
  type ParseCsvResult,
  parseCsvFile,
  parseCsvText,
} from "./parse";
import type { CsvKind } from "./templates";

type Parsed = Extract<ParseCsvResult, { ok: true }>;

function parsed(text: string, kind: CsvKind = "sub_orders"): Parsed {
  const result = parseCsvText(text, kind);
  if (!result.ok) throw new Error(`expected the file to parse, got: ${result.problem.message}`);
  return result;
}

function problemOf(text: string, kind: CsvKind = "sub_orders"): string {
  const result = parseCsvText(text, kind);
  if (result.ok) throw new Error("expected a file problem");
  expect(result.problem.code).toBe("INVALID_FILE");
  return result.problem.message;
}

const rowsOf = (rows: CsvRow[]) => rows.map((r) => [r.rowNumber, ...r.cells]);

describe("parseCsvText: formats", () => {
  test.each<{ name: string; text: string; delimiter: string }>([
    { name: "LF, comma", text: "Sub Order ID,Reason Code\nSO-1,R1\nSO-2,R2\n", delimiter: "," },
    { name: "CRLF, comma", text: "Sub Order ID,Reason Code\r\nSO-1,R1\r\nSO-2,R2\r\n", delimiter: "," },
    { name: "CR only (old Mac)", text: "Sub Order ID,Reason Code\rSO-1,R1\rSO-2,R2", delimiter: "," },
    { name: "mixed line ends", text: "Sub Order ID,Reason Code\r\nSO-1,R1\nSO-2,R2\r", delimiter: "," },
    { name: "semicolon", text: "Sub Order ID;Reason Code\nSO-1;R1\nSO-2;R2", delimiter: ";" },
    { name: "tab", text: "Sub Order ID\tReason Code\nSO-1\tR1\nSO-2\tR2", delimiter: "\t" },
    { name: "pipe", text: "Sub Order ID|Reason Code\nSO-1|R1\nSO-2|R2", delimiter: "|" },
    {
      name: "Excel in a semicolon locale: BOM, CRLF, ;, every field quoted",
      text: '\uFEFF"Sub Order ID";"Reason Code"\r\n"SO-1";"R1"\r\n"SO-2";"R2"\r\n',
      delimiter: ";",
    },
    { name: "no final line end", text: "Sub Order ID,Reason Code\nSO-1,R1\nSO-2,R2", delimiter: "," },
  ])("$name", ({ text, delimiter }) => {
    const result = parsed(text);
    expect(result.delimiter).toBe(delimiter);
    expect(result.headers).toEqual(["Sub Order ID", "Reason Code"]);
    expect(result.columns).toEqual({ subOrderId: 0, reasonCode: 1 });
    expect(rowsOf(result.rows)).toEqual([
      [2, "SO-1", "R1"],
      [3, "SO-2", "R2"],
    ]);
  });

  test("a one-column file has no delimiter to find and needs none", () => {
    const result = parsed("Sub Order ID\nSO-1\nSO-2\n");
    expect(result.delimiter).toBe(",");
    expect(rowsOf(result.rows)).toEqual([
      [2, "SO-1"],
      [3, "SO-2"],
    ]);
  });

  test.each<{ name: string; text: string; kind: CsvKind; delimiter: string }>([
    {
      name: "semicolons in the header, commas inside a quoted header",
      text: 'Sub Order ID;"Notes, free text"\nSO-1;a',
      kind: "sub_orders",
      delimiter: ";",
    },
    {
      name: "more commas than semicolons, but only ; finds the columns",
      text: "Sub Order ID;SKU ID;Quantity;Note,with,commas,here\nSO-1;A;1;x",
      kind: "line_items",
      delimiter: ";",
    },
    {
      name: "pipes in an unknown column name do not win over commas",
      text: "Sub Order ID,SKU ID,Quantity,A|B\nSO-1,A,1,x",
      kind: "line_items",
      delimiter: ",",
    },
    {
      name: "blank lines before the header",
      text: "\n,,\nSub Order ID;Reason\nSO-1;x",
      kind: "sub_orders",
      delimiter: ";",
    },
  ])("delimiter: $name", ({ text, kind, delimiter }) => {
    expect(detectDelimiter(text, kind)).toBe(delimiter);
    expect(parsed(text, kind).delimiter).toBe(delimiter);
  });

  test("quoted fields hold delimiters, doubled quotes and line breaks; a multi-line row is one row", () => {
    const text = [
      "Sub Order ID,Note,Other",
      '"SO-1","a, b; c","say ""hi"""',
      '"SO-2","line one',
      'line two\r\nline three",x',
      "SO-3,plain,y",
    ].join("\r\n");
    expect(rowsOf(parsed(text).rows)).toEqual([
      [2, "SO-1", "a, b; c", 'say "hi"'],
      [3, "SO-2", "line one\nline two\nline three", "x"],
      [4, "SO-3", "plain", "y"],
    ]);
  });

  test("cells are trimmed, also of non-breaking and zero-width spaces; inner spaces stay", () => {
    const text = '  Sub Order ID  ,Note\n  SO-1 ,\u00a0a  b\u00a0\n\u200bSO-2\u200b, " q " ';
    const result = parsed(text);
    expect(result.headers).toEqual(["Sub Order ID", "Note"]);
    expect(rowsOf(result.rows)).toEqual([
      [2, "SO-1", "a  b"],
      [3, "SO-2", '" q "'],
    ]);
  });

  test("blank lines are skipped but counted, like spreadsheet rows", () => {
    const text = ["Sub Order ID,Reason", "SO-1,a", "", "   ", ",,", " , ", "SO-2,b", "", ""].join("\n");
    expect(rowsOf(parsed(text).rows)).toEqual([
      [2, "SO-1", "a"],
      [7, "SO-2", "b"],
    ]);
  });

  test("control characters in a header name are kept as U+FFFD (the database refuses NUL)", () => {
    expect(parsed("Sub Order ID,No\u0000te\u0001,Tab\there\nSO-1,a,b").headers).toEqual([
      "Sub Order ID",
      "No\ufffdte\ufffd",
      "Tab\there",
    ]);
  });

  test("blank lines before the header shift every row number", () => {
    expect(rowsOf(parsed("\n\nSub Order ID\nSO-1\n").rows)).toEqual([[4, "SO-1"]]);
  });

  test('a line of "" is a row with an empty value, not a blank line', () => {
    const text = ["Sub Order ID;Reason Code", '"SO-1";"R"', '""', '"";"R2"', ";", "SO-2;R"].join("\r\n");
    expect(rowsOf(parsed(text).rows)).toEqual([
      [2, "SO-1", "R"],
      [3, ""],
      [4, "", "R2"],
      [6, "SO-2", "R"],
    ]);
  });

  test("unknown columns are kept; trailing empty headers and cells are dropped; short rows stay short", () => {
    const text = ["Customer,Sub Order ID,Note,,", "Ann,SO-1,hello,,", "Bob,SO-2", "Cy,SO-3,x,extra,"].join(
      "\n",
    );
    const result = parsed(text);
    expect(result.headers).toEqual(["Customer", "Sub Order ID", "Note"]);
    expect(result.columns).toEqual({ subOrderId: 1 });
    expect(rowsOf(result.rows)).toEqual([
      [2, "Ann", "SO-1", "hello"],
      [3, "Bob", "SO-2"],
      [4, "Cy", "SO-3", "x", "extra"],
    ]);
  });

  test("the public sample files parse", () => {
    const samples = path.join(import.meta.dirname, "..", "..", "public", "samples");
    const read = (name: string) => fs.readFileSync(path.join(samples, name), "utf8");
    const subOrders = parsed(read("sub-orders.csv"));
    expect(subOrders.rows.length).toBe(30);
    expect(subOrders.rows.filter((r) => r.cells[0] === "").map((r) => r.rowNumber)).toEqual([27]);
    const excel = parsed(read("sub-orders-excel.csv"));
    expect(excel.delimiter).toBe(";");
    expect(excel.headers).toEqual(["Sub Order ID", "Reason Code"]);
    expect(excel.rows.filter((r) => r.cells[0] === "").map((r) => r.rowNumber)).toEqual([20]);
    const lineItems = parsed(read("line-items.csv"), "line_items");
    expect(lineItems.columns).toEqual({ subOrderId: 0, sku: 1, quantity: 2 });
    expect(lineItems.rows.length).toBe(30);
  });
});

describe("parseCsvText: file problems", () => {
  const saveAs = 'In Excel choose File > Save As > "CSV UTF-8 (Comma delimited)" and upload that file.';
  test.each<{ name: string; text: string; kind?: CsvKind; message: string }>([
    ...["", "\uFEFF", "  \n\n \r\n", ",,,\n;;\n", '""\n'].map((text) => ({
      name: `empty: ${JSON.stringify(text)}`,
      text,
      message: "The file is empty. Download the template to see the expected columns.",
    })),
    {
      name: "header only",
      text: "Sub Order ID,Reason Code\r\n",
      message:
        "The file has a header row but no data rows. Add one row per sub-order to cancel below the header.",
    },
    {
      name: "header and blank lines only",
      text: "Sub Order ID\n\n,\n  \n",
      message:
        "The file has a header row but no data rows. Add one row per sub-order to cancel below the header.",
    },
    {
      name: "line items, header only",
      text: "Sub Order ID,SKU ID,Quantity",
      kind: "line_items",
      message:
        "The file has a header row but no data rows. Add one row per line item to cancel below the header.",
    },
    {
      name: "binary: NUL bytes",
      text: "Sub Order ID\nSO-1\u0000\u0000",
      message: `The file is not a CSV text file (it contains binary data). ${saveAs}`,
    },
    {
      name: "binary: mostly control characters and undecodable bytes",
      text: "\u0001\u0002\u0003\ufffd\ufffdab\u0004\u0005\u0006\u0010\u0011",
      message: `The file is not a CSV text file (it contains binary data). ${saveAs}`,
    },
    {
      name: "an Excel workbook read as text",
      text: "PK\u0003\u0004\u0014\u0000\u0006\u0000[Content_Types].xml",
      message: `The file is an Excel workbook, not a CSV file. ${saveAs}`,
    },
    {
      name: "missing required column",
      text: "Order,Qty\n1,2\n",
      message:
        'The file has no "Sub Order ID" column. Found columns: Order, Qty. Download the template to see the expected columns.',
    },
    {
      name: "line items, missing column",
      text: "Sub Order ID;SKU\nSO-1;A\n",
      kind: "line_items",
      message:
        'The file has no "Quantity" column. Found columns: Sub Order ID, SKU. To cancel whole sub-orders, upload the file under Cancel Sub-Orders instead. Download the template to see the expected columns.',
    },
    {
      name: "an unclosed quote",
      text: 'Sub Order ID,Note\nSO-1,ok\nSO-2,"never closed\nSO-3,x\n',
      message:
        'Row 3: a double quote (") opens a value that is never closed, so the rest of the file cannot be read. Close the quote or remove it.',
    },
    {
      // Read on, the parser would swallow row 4 into row 3's value up to the next quote.
      name: "text after a closing quote",
      text: 'Sub Order ID,Note\nSO-1,ok\n"SO-2"x,y\nSO-3,"z"\nSO-4,w\n',
      message:
        'Row 3: a value in double quotes (") has more text after its closing quote, so the rest of the file cannot be read. Put the whole value in quotes and write each quote inside it twice ("").',
    },
  ])("$name", ({ text, kind, message }) => {
    expect(problemOf(text, kind)).toBe(message);
  });

  test("a few odd characters in real text are not binary", () => {
    expect(parsed("Sub Order ID,Note\nSO-1,caf\ufffd\nSO-2,\u000cpage").rows.length).toBe(2);
  });

  test("size: checkFileSize before reading, and the text itself", () => {
    expect(checkFileSize(0)).toBeNull();
    expect(checkFileSize(MAX_FILE_BYTES)).toBeNull();
    expect(checkFileSize(MAX_FILE_BYTES + 1)).toEqual({
      code: "INVALID_FILE",
      message: "The file is 50.1 MB; the limit is 50 MB. Split it into smaller files.",
    });
    expect(checkFileSize(73 * 1024 * 1024 + 500_000)?.message).toBe(
      "The file is 73.5 MB; the limit is 50 MB. Split it into smaller files.",
    );
    const big = `Sub Order ID\n${"x".repeat(MAX_FILE_BYTES)}`;
    expect(problemOf(big)).toBe("The file is 50.1 MB; the limit is 50 MB. Split it into smaller files.");
    // Fewer characters than the limit, more UTF-8 bytes than it.
    const wide = `Sub Order ID\n${"é".repeat(MAX_FILE_BYTES / 2)}`;
    expect(wide.length).toBeLessThan(MAX_FILE_BYTES);
    expect(problemOf(wide)).toMatch(/^The file is 50\.1 MB; the limit is 50 MB/);
  });

  test("rows: MAX_ROWS data rows pass, one more fails", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `SO-${i}`).join("\n");
    expect(parsed(`Sub Order ID\n${body(MAX_ROWS)}`).rows.length).toBe(MAX_ROWS);
    expect(problemOf(`Sub Order ID\n${body(MAX_ROWS + 1)}`)).toBe(
      "The file has more than 200,000 data rows, the limit for one file. Split it into smaller files.",
    );
  });
});

describe("parseCsvFile and decodeCsvBytes", () => {
  const bytes = (...parts: (number[] | string)[]) =>
    new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...new TextEncoder().encode(p)] : p)));

  test("UTF-8 with a BOM, CRLF and semicolons", async () => {
    const file = new Blob([bytes([0xef, 0xbb, 0xbf], "Sub Order ID;Reason Code\r\nSO-1;Café\r\n")]);
    const result = await parseCsvFile(file, "sub_orders");
    expect(result.ok && rowsOf(result.rows)).toEqual([[2, "SO-1", "Café"]]);
  });

  test("UTF-16 LE with a BOM (Excel's Unicode Text: tab-separated)", async () => {
    const text = "Sub Order ID\tNote\r\nSO-1\tnaïve ✓\r\n";
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i) & 0xff;
    for (let i = 0; i < text.length; i++) utf16[3 + i * 2] = text.charCodeAt(i) >> 8;
    const result = await parseCsvFile(new Blob([utf16]), "sub_orders");
    expect(result.ok && rowsOf(result.rows)).toEqual([[2, "SO-1", "naïve ✓"]]);
  });

  test("Windows-1252 (an older Excel export)", () => {
    expect(decodeCsvBytes(bytes("Sub Order ID,Note\nSO-1,caf", [0xe9]))).toBe("Sub Order ID,Note\nSO-1,café");
  });

  test.each([
    ["xlsx", bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])],
    ["xls", bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00])],
  ])("an Excel workbook (%s)", async (_, content) => {
    expect(await parseCsvFile(new Blob([content]), "sub_orders")).toEqual({
      ok: false,
      problem: {
        code: "INVALID_FILE",
        message:
          'The file is an Excel workbook, not a CSV file. In Excel choose File > Save As > "CSV UTF-8 (Comma delimited)" and upload that file.',
      },
    });
  });

  test("a zip archive of a CSV file is not called an Excel workbook", async () => {
    const name = "orders.csv";
    const header = [
      0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
    ];
    const zip = bytes([...header, name.length, 0, 0, 0], name, "x");
    expect(await parseCsvFile(new Blob([zip]), "sub_orders")).toEqual({
      ok: false,
      problem: {
        code: "INVALID_FILE",
        message: "The file is a zip archive, not a CSV file. Unzip it and upload the CSV file it holds.",
      },
    });
    const xlsx = bytes([...header, 19, 0, 0, 0], "[Content_Types].xml", "x");
    expect(await parseCsvFile(new Blob([xlsx]), "sub_orders")).toMatchObject({
      problem: { message: expect.stringMatching(/^The file is an Excel workbook/) },
    });
  });

  test("binary bytes", async () => {
    const result = await parseCsvFile(
      new Blob([bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])]),
      "sub_orders",
    );
    expect(result.ok ? "" : result.problem.message).toMatch(/^The file is not a CSV text file/);
  });

  test("an oversize file is refused without being read", async () => {
    const huge = {
      size: MAX_FILE_BYTES + 1,
      arrayBuffer: () => Promise.reject(new Error("must not be read")),
    } as unknown as Blob;
    expect(await parseCsvFile(huge, "sub_orders")).toEqual({
      ok: false,
      problem: checkFileSize(MAX_FILE_BYTES + 1),
    });
  });
});

describe("pathological cells are handled in linear time", () => {
  const MB = 1_000_000;
  test.each([
    ["spaces after a zero-width space", `\u200b${" ".repeat(MB)}x`],
    ["zero-width characters", "\u200b\u2060".repeat(MB / 2)],
    ["spaces on both sides", `${" ".repeat(MB / 2)}x${" ".repeat(MB / 2)}`],
    ["tabs and no-break spaces", "\t\u00a0".repeat(MB / 2)],
  ])("cleanCell: %s", (_name, value) => {
    expect(cleanCell(value).length).toBeLessThanOrEqual(1);
  });

  test.each([
    ["a 1 MB cell of spaces", `Sub Order ID\n\u200b${" ".repeat(MB)}SO-1\n`],
    ["a 1 MB quoted cell of doubled quotes", `Sub Order ID\n"${'""'.repeat(MB / 2)}"\n`],
    ["a 1 MB cell of zero-width characters", `Sub Order ID\nSO-1${"\u200b".repeat(MB)}\n`],
  ])("parseCsvText: %s", (_name, text) => {
    const result = parseCsvText(text, "sub_orders");
    expect(result.ok).toBe(true);
  });

  test("a header row with more than 100 columns is refused", () => {
    const result = parseCsvText(`Sub Order ID${",Extra".repeat(120)}\nSO-1\n`, "sub_orders");
    expect(result).toMatchObject({
      ok: false,
      problem: { message: expect.stringMatching(/121 columns; .* at most 100/) },
    });
  });
});
