import { describe, expect, test } from "vitest";
import type { ErrorCode } from "@/lib/cancellation/errors";
import { type ParsedCsv, parseCsvText } from "./parse";
import type { CsvKind } from "./templates";
import { MAX_QUANTITY, parseQuantity, type ValidateOptions, validateRows, type WorkItem } from "./validate";

function parse(kind: CsvKind, lines: string[]): ParsedCsv {
  const result = parseCsvText(lines.join("\n"), kind);
  if (!result.ok) throw new Error(result.problem.message);
  return result;
}

const validate = (kind: CsvKind, lines: string[], options?: ValidateOptions) =>
  validateRows(kind, parse(kind, lines), options);

/** Every row error of a validation, in file order. */
const rowErrors = (items: WorkItem[]) =>
  items
    .flatMap((item) => item.rows)
    .filter((row) => row.error)
    .sort((a, b) => a.rowNumber - b.rowNumber)
    .map((row) => [row.error?.code, row.error?.message]);

const REASONS = new Set(["OUT_OF_STOCK", "CUSTOMER_CHANGED_MIND", "PRICING_ERROR"]);

describe("parseQuantity", () => {
  test.each<[string, number]>([
    ["1", 1],
    ["2", 2],
    [" 2 ", 2],
    ["\t12\t", 12],
    ["007", 7],
    [String(MAX_QUANTITY), MAX_QUANTITY],
  ])("%j is %d", (text, n) => {
    expect(parseQuantity(text)).toBe(n);
  });

  test.each([
    "",
    " ",
    "0",
    "00",
    "-1",
    "+2",
    "2.5",
    "2.0",
    "1e3",
    "1,000",
    "1 000",
    "abc",
    "２",
    "0x10",
    "Infinity",
  ])("%j is not a quantity", (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test("too large for the database", () => {
    expect(parseQuantity(String(MAX_QUANTITY + 1))).toBeUndefined();
  });
});

describe("validateRows: sub-order files", () => {
  test("one item per row, in file order, with the row's reason or the default", () => {
    const result = validate(
      "sub_orders",
      ["Sub Order ID,Reason Code", "SO-1,", "SO-2,pricing error", "SO-3,OUT_OF_STOCK"],
      {
        defaultReasonCode: "CUSTOMER_CHANGED_MIND",
        knownReasonCodes: REASONS,
      },
    );
    expect(result.items).toEqual([
      {
        seq: 1,
        subOrderId: "SO-1",
        reasonCode: "CUSTOMER_CHANGED_MIND",
        rows: [{ rowNumber: 2, cells: ["SO-1", ""] }],
      },
      {
        seq: 2,
        subOrderId: "SO-2",
        reasonCode: "PRICING_ERROR",
        rows: [{ rowNumber: 3, cells: ["SO-2", "pricing error"] }],
      },
      {
        seq: 3,
        subOrderId: "SO-3",
        reasonCode: "OUT_OF_STOCK",
        rows: [{ rowNumber: 4, cells: ["SO-3", "OUT_OF_STOCK"] }],
      },
    ]);
    expect(result.counts).toEqual({ items: 3, rows: 3, invalidItems: 0, invalidRows: 0 });
  });

  test("without a default or a Reason Code, the reason is empty (chosen before Start)", () => {
    expect(validate("sub_orders", ["Sub Order ID", "SO-1"]).items[0]?.reasonCode).toBe("");
  });

  test("without knownReasonCodes, any Reason Code is taken as written", () => {
    const result = validate("sub_orders", ["Sub Order ID;Reason Code", "SO-1;whatever"]);
    expect(result.items[0]).toMatchObject({ reasonCode: "whatever" });
    expect(result.items[0]?.error).toBeUndefined();
  });

  test.each<{ name: string; lines: string[]; errors: [ErrorCode, string][] }>([
    {
      name: "empty Sub Order ID",
      lines: ["Sub Order ID,Note", "SO-1,a", "SO-2,b", "SO-3,c", "SO-4,d", "SO-5,e", ",f"],
      errors: [["INVALID_INPUT", "Row 7, Sub Order ID: empty"]],
    },
    {
      name: "duplicate Sub Order ID: the later ones fail, the first stands",
      lines: ["Sub Order ID", "SO-9", "SO-000001-1", "SO-2", "SO-000001-1", "", "SO-000001-1"],
      errors: [
        ["DUPLICATE_ROW", "Row 5, Sub Order ID: SO-000001-1 is already on row 3"],
        ["DUPLICATE_ROW", "Row 7, Sub Order ID: SO-000001-1 is already on row 3"],
      ],
    },
    {
      name: "unknown reason code",
      lines: ["Sub Order ID,Reason Code", "SO-1,OUT_OF_STOCK", "SO-2,", "SO-3,", "SO-4,XYZ"],
      errors: [["REASON_NOT_FOUND", 'Row 5, Reason Code: "XYZ" is not a known reason code']],
    },
    {
      name: "a value past the last column (an unquoted comma)",
      lines: ["Sub Order ID", "SO-1", "SO-2, SO-3"],
      errors: [
        [
          "INVALID_INPUT",
          'Row 3, column 2: "SO-3" is in a column without a header (a value that contains "," must be in double quotes)',
        ],
      ],
    },
    {
      name: "several problems on one row: all in the row's message, the first one's code",
      lines: ["Sub Order ID,Reason Code", "SO-1,", "SO-1,XYZ"],
      errors: [
        [
          "DUPLICATE_ROW",
          'Row 3, Sub Order ID: SO-1 is already on row 2; Row 3, Reason Code: "XYZ" is not a known reason code',
        ],
      ],
    },
  ])("$name", ({ lines, errors }) => {
    const result = validate("sub_orders", lines, { knownReasonCodes: REASONS });
    expect(rowErrors(result.items)).toEqual(errors);
    // In a sub-order file the item is the row: its error is the row's first problem.
    for (const item of result.items) {
      const row = item.rows[0];
      expect(item.rows).toHaveLength(1);
      expect(Boolean(item.error)).toBe(Boolean(row?.error));
    }
    expect(result.counts.invalidItems).toBe(errors.length);
  });

  test("an ID Excel wrote in scientific notation is flagged, never read back as a number", () => {
    const result = validate("sub_orders", ["Sub Order ID", "123000", "1.23E+05", "SO-1E5", "4.5e-03"]);
    const lost =
      "as Excel shows long numbers, so the real ID is lost. Format the column as Text in Excel and export the file again";
    expect(rowErrors(result.items)).toEqual([
      ["INVALID_INPUT", `Row 3, Sub Order ID: "1.23E+05" is a number in scientific notation, ${lost}`],
      ["INVALID_INPUT", `Row 5, Sub Order ID: "4.5e-03" is a number in scientific notation, ${lost}`],
    ]);
    const lines = validate("line_items", ["Sub Order ID;SKU ID;Quantity", "SO-1;1,23E+05;1", "1E+12;A;1"]);
    expect(rowErrors(lines.items)).toEqual([
      ["INVALID_INPUT", `Row 2, SKU ID: "1,23E+05" is a number in scientific notation, ${lost}`],
      ["INVALID_INPUT", `Row 3, Sub Order ID: "1E+12" is a number in scientific notation, ${lost}`],
    ]);
  });

  test("the item of a row with two problems summarises them", () => {
    const [, item] = validate("sub_orders", ["Sub Order ID,Reason Code", "SO-1,", "SO-1,XYZ"], {
      knownReasonCodes: REASONS,
    }).items;
    expect(item?.error).toEqual({
      code: "DUPLICATE_ROW",
      message: "Row 3, Sub Order ID: SO-1 is already on row 2 (and 1 more problem)",
    });
  });

  test("the public sample files: the errors that need no database", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const file = (name: string) =>
      fs.readFileSync(path.join(import.meta.dirname, "..", "..", "public", "samples", name), "utf8");
    const subOrders = parseCsvText(file("sub-orders.csv"), "sub_orders");
    const excel = parseCsvText(file("sub-orders-excel.csv"), "sub_orders");
    if (!subOrders.ok || !excel.ok) throw new Error("samples must parse");
    const reasons = new Set(
      [...new Set(excel.rows.map((r) => r.cells[1] ?? ""))].filter((c) => c !== "NOT_A_REASON"),
    );
    const codes = (items: WorkItem[]) => rowErrors(items).map(([code]) => code);
    expect(codes(validateRows("sub_orders", subOrders).items)).toEqual(["DUPLICATE_ROW", "INVALID_INPUT"]);
    const repeated = excel.rows.find((r) => r.rowNumber === 17)?.cells[0];
    const first = excel.rows.find((r) => r.cells[0] === repeated)?.rowNumber;
    expect(rowErrors(validateRows("sub_orders", excel, { knownReasonCodes: reasons }).items)).toEqual([
      ["REASON_NOT_FOUND", 'Row 9, Reason Code: "NOT_A_REASON" is not a known reason code'],
      ["DUPLICATE_ROW", `Row 17, Sub Order ID: ${repeated} is already on row ${first}`],
      ["INVALID_INPUT", "Row 20, Sub Order ID: empty"],
    ]);
  });
});

describe("validateRows: line-item files", () => {
  const HEADER = "Sub Order ID,SKU ID,Quantity,Reason Code";

  test("rows are grouped per Sub Order ID in order of first appearance", () => {
    const result = validate(
      "line_items",
      [HEADER, "SO-2,A,1,", "SO-1,A,2,", "SO-2,B,3,", "", "SO-3,C,1,", "SO-1,B,4,"],
      { defaultReasonCode: "OUT_OF_STOCK" },
    );
    expect(result.items).toEqual([
      {
        seq: 1,
        subOrderId: "SO-2",
        reasonCode: "OUT_OF_STOCK",
        rows: [
          { rowNumber: 2, cells: ["SO-2", "A", "1", ""], sku: "A", quantity: 1 },
          { rowNumber: 4, cells: ["SO-2", "B", "3", ""], sku: "B", quantity: 3 },
        ],
      },
      {
        seq: 2,
        subOrderId: "SO-1",
        reasonCode: "OUT_OF_STOCK",
        rows: [
          { rowNumber: 3, cells: ["SO-1", "A", "2", ""], sku: "A", quantity: 2 },
          { rowNumber: 7, cells: ["SO-1", "B", "4", ""], sku: "B", quantity: 4 },
        ],
      },
      {
        seq: 3,
        subOrderId: "SO-3",
        reasonCode: "OUT_OF_STOCK",
        rows: [{ rowNumber: 6, cells: ["SO-3", "C", "1", ""], sku: "C", quantity: 1 }],
      },
    ]);
    expect(result.counts).toEqual({ items: 3, rows: 5, invalidItems: 0, invalidRows: 0, units: 11 });
  });

  test.each<{ name: string; lines: string[]; errors: [ErrorCode, string][] }>([
    {
      name: "empty Sub Order ID",
      lines: [HEADER, "SO-1,A,1,", ",A,1,"],
      errors: [["INVALID_INPUT", "Row 3, Sub Order ID: empty"]],
    },
    {
      name: "empty SKU ID",
      lines: [HEADER, "SO-1,A,1,", "SO-1,,1,"],
      errors: [["INVALID_INPUT", "Row 3, SKU ID: empty"]],
    },
    {
      name: "empty Quantity",
      lines: [HEADER, "SO-1,A,,"],
      errors: [["INVALID_QUANTITY", "Row 2, Quantity: empty"]],
    },
    ...["abc", "0", "-1", "2.5", "2.0", "1e3", "1,000"].map((q) => ({
      name: `Quantity ${q}`,
      lines: [HEADER, "SO-1,A,1,", "SO-2,B,1,", `SO-3,C,"${q}",`],
      errors: [["INVALID_QUANTITY", `Row 4, Quantity: "${q}" is not a whole number of at least 1`]] as [
        ErrorCode,
        string,
      ][],
    })),
    {
      name: "Quantity too large",
      lines: [HEADER, "SO-1,A,99999999999,"],
      errors: [["INVALID_QUANTITY", `Row 2, Quantity: "99999999999" is more than ${MAX_QUANTITY}`]],
    },
    {
      name: "the same SKU twice for one sub-order",
      lines: [HEADER, "SO-1,A,1,", "SO-2,A,1,", "SO-1,B,1,", "SO-1,A,2,"],
      errors: [["DUPLICATE_ROW", "Row 5, SKU ID: A of sub-order SO-1 is already on row 2"]],
    },
    {
      name: "unknown reason code",
      lines: [HEADER, "SO-1,A,1,OUT_OF_STOCK", "SO-2,A,1,", "SO-3,A,1,", "SO-4,A,1,XYZ"],
      errors: [["REASON_NOT_FOUND", 'Row 5, Reason Code: "XYZ" is not a known reason code']],
    },
    {
      name: "two reasons in one sub-order",
      lines: [HEADER, "SO-1,A,1,OUT_OF_STOCK", "SO-1,B,1,", "SO-1,C,1,pricing_error"],
      errors: [
        [
          "INVALID_INPUT",
          'Row 4, Reason Code: "PRICING_ERROR" differs from "OUT_OF_STOCK" on row 2; all rows of one sub-order need the same reason',
        ],
      ],
    },
    {
      name: "a value past the last column",
      lines: ["Sub Order ID;SKU ID;Quantity", "SO-1;A;1;000"],
      errors: [
        [
          "INVALID_INPUT",
          'Row 2, column 4: "000" is in a column without a header (a value that contains ";" must be in double quotes)',
        ],
      ],
    },
    {
      name: "every problem of a row, in column order",
      lines: [HEADER, ",,x,XYZ"],
      errors: [
        [
          "INVALID_INPUT",
          'Row 2, Sub Order ID: empty; Row 2, SKU ID: empty; Row 2, Quantity: "x" is not a whole number of at least 1; Row 2, Reason Code: "XYZ" is not a known reason code',
        ],
      ],
    },
  ])("$name", ({ lines, errors }) => {
    expect(rowErrors(validate("line_items", lines, { knownReasonCodes: REASONS }).items)).toEqual(errors);
  });

  test("a bad row fails its whole group; the group's error names the first problem and counts the rest", () => {
    const result = validate("line_items", [
      HEADER,
      "SO-1,A,1,",
      "SO-2,A,1,",
      "SO-1,B,abc,",
      "SO-1,,2,",
      "SO-2,B,2,",
      "SO-1,A,1,",
    ]);
    const [first, second] = result.items;
    expect(first?.error).toEqual({
      code: "INVALID_QUANTITY",
      message: 'Row 4, Quantity: "abc" is not a whole number of at least 1 (and 2 more problems)',
    });
    expect(first?.rows.map((r) => r.error?.message)).toEqual([
      undefined,
      'Row 4, Quantity: "abc" is not a whole number of at least 1',
      "Row 5, SKU ID: empty",
      "Row 7, SKU ID: A of sub-order SO-1 is already on row 2",
    ]);
    expect(second?.error).toBeUndefined();
    expect(result.counts).toEqual({ items: 2, rows: 6, invalidItems: 1, invalidRows: 3, units: 3 });
  });

  test("repeated SKUs are found in small and large groups alike", () => {
    const lines = [HEADER, "SO-1,S0,1,", "SO-1,S1,1,", "SO-1,S0,1,"];
    for (let i = 2; i < 40; i++) lines.push(`SO-1,S${i},1,`);
    lines.push("SO-1,S1,1,", "SO-1,S39,1,", "SO-1,S0,1,");
    expect(rowErrors(validate("line_items", lines).items)).toEqual([
      ["DUPLICATE_ROW", "Row 4, SKU ID: S0 of sub-order SO-1 is already on row 2"],
      ["DUPLICATE_ROW", "Row 43, SKU ID: S1 of sub-order SO-1 is already on row 3"],
      ["DUPLICATE_ROW", "Row 44, SKU ID: S39 of sub-order SO-1 is already on row 42"],
      ["DUPLICATE_ROW", "Row 45, SKU ID: S0 of sub-order SO-1 is already on row 2"],
    ]);
  });

  test("rows with an empty Sub Order ID are items of their own", () => {
    const result = validate("line_items", [HEADER, ",A,1,", "SO-1,A,1,", ",B,1,"]);
    expect(
      result.items.map((i) => [i.seq, i.subOrderId, i.rows.map((r) => r.rowNumber), i.error?.code]),
    ).toEqual([
      [1, "", [2], "INVALID_INPUT"],
      [2, "SO-1", [3], undefined],
      [3, "", [4], "INVALID_INPUT"],
    ]);
  });

  test("a group's reason: the first Reason Code given, for rows that leave it empty too; else the default", () => {
    const result = validate("line_items", [HEADER, "SO-1,A,1,", "SO-1,B,1,out of stock", "SO-2,A,1,"], {
      defaultReasonCode: "PRICING_ERROR",
      knownReasonCodes: REASONS,
    });
    expect(result.items.map((i) => [i.subOrderId, i.reasonCode, i.error])).toEqual([
      ["SO-1", "OUT_OF_STOCK", undefined],
      ["SO-2", "PRICING_ERROR", undefined],
    ]);
  });

  test("100,000 rows: grouped and validated (timing lives in the bench, not here)", () => {
    const lines = ["Sub Order ID,SKU ID,Quantity,Reason Code"];
    const skus = ["TSHIRT-M-RED", "JEANS-32-BLUE", "SNEAKER-42-WHT", "MUG-350-BLK"];
    for (let i = 0; i < 100_000; i++) {
      const subOrder = `SO-${String(Math.floor(i / 4)).padStart(6, "0")}-1`;
      const quantity = i === 50_001 ? "0" : String((i % 3) + 1);
      lines.push(`${subOrder},${skus[i % 4]},${quantity},OUT_OF_STOCK`);
    }
    const parsed = parse("line_items", lines);
    expect(parsed.rows).toHaveLength(100_000);
    const result = validateRows("line_items", parsed, { knownReasonCodes: REASONS });
    expect(result.counts).toMatchObject({ items: 25_000, rows: 100_000, invalidItems: 1, invalidRows: 1 });
    const bad = result.items.find((i) => i.error);
    expect(bad?.subOrderId).toBe("SO-012500-1");
    expect(bad?.error?.message).toBe('Row 50003, Quantity: "0" is not a whole number of at least 1');
  });
});

test("long values are cut short in messages", () => {
  const long = "x".repeat(200);
  const result = validateRows("line_items", {
    headers: ["Sub Order ID", "SKU ID", "Quantity"],
    columns: { subOrderId: 0, sku: 1, quantity: 2 },
    rows: [{ rowNumber: 2, cells: ["SO-1", "A", long] }],
  });
  expect(result.items[0]?.error?.message).toBe(
    `Row 2, Quantity: "${"x".repeat(59)}…" is not a whole number of at least 1`,
  );
});

describe("hostile cells", () => {
  test("a NUL or other control character is an error of its row naming the column; the other rows go on", () => {
    const { items } = validate("sub_orders", [
      "Sub Order ID,Note",
      "SO-1,fine",
      "SO-2\u0000X,ok",
      "SO-3,a\u0007b",
    ]);
    expect(rowErrors(items)).toEqual([
      ["INVALID_INPUT", "Row 3, Sub Order ID: must not contain control characters (such as NUL)"],
      ["INVALID_INPUT", "Row 4, Note: must not contain control characters (such as NUL)"],
    ]);
    expect(items[0]?.error).toBeUndefined();
    // The stored cells never carry a NUL (the database refuses it): it is shown as U+FFFD.
    expect(items[1]?.rows[0]?.cells[0]).toBe("SO-2\uFFFDX");
  });

  test("a cell longer than 1,000 characters is an error of its row, and is kept cut to 1,000", () => {
    const long = "x".repeat(5_000);
    const { items } = validate("line_items", ["Sub Order ID,SKU ID,Quantity", `SO-1,${long},1`, "SO-2,A,1"]);
    expect(rowErrors(items)).toEqual([
      ["INVALID_INPUT", "Row 2, SKU ID: the value is 5,000 characters long; at most 1,000"],
    ]);
    expect(items[0]?.rows[0]?.cells[1]).toHaveLength(1_000);
    expect(items[1]?.error).toBeUndefined();
  });

  test("a row with more than 100 columns is an error of its row, kept to 100 cells", () => {
    const { items } = validate("sub_orders", ["Sub Order ID", `SO-1${",x".repeat(150)}`, "SO-2"]);
    expect(rowErrors(items)[0]).toEqual([
      "INVALID_INPUT",
      expect.stringMatching(
        /^Row 2: 151 columns; a row has at most 100; Row 2, column 2: "x" is in a column without a header/,
      ),
    ]);
    expect(items[0]?.rows[0]?.cells).toHaveLength(100);
    expect(items[1]?.error).toBeUndefined();
  });
});
