import { describe, expect, test } from "vitest";
import { SEED_REASONS } from "@/dev/seed";
import { parseCsvText } from "./parse";
import { CSV_COLUMNS, CSV_KINDS, isCsvKind, templateCsv, templateFileName } from "./templates";
import { validateRows } from "./validate";

describe("templates", () => {
  test("file names", () => {
    expect(templateFileName("sub_orders")).toBe("sub-order-cancellation-template.csv");
    expect(templateFileName("line_items")).toBe("line-item-cancellation-template.csv");
  });

  test("the sub-order template", () => {
    expect(templateCsv("sub_orders")).toBe(
      "Sub Order ID,Reason Code\r\nSO-000001-1,CUSTOMER_CHANGED_MIND\r\nSO-000002-1,\r\nSO-000003-2,\r\n",
    );
  });

  test("the line-item template", () => {
    expect(templateCsv("line_items")).toBe(
      [
        "Sub Order ID,SKU ID,Quantity,Reason Code",
        "SO-000001-1,TSHIRT-M-RED,2,OUT_OF_STOCK",
        "SO-000001-1,JEANS-32-BLUE,1,OUT_OF_STOCK",
        "SO-000002-1,SNEAKER-42-WHT,1,",
        "",
      ].join("\r\n"),
    );
  });

  test.each(CSV_KINDS)("the %s template parses and validates cleanly with the demo reason codes", (kind) => {
    const parsed = parseCsvText(templateCsv(kind), kind);
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.headers).toEqual(CSV_COLUMNS[kind].map((c) => c.header));
    const known = new Set(SEED_REASONS.map((r) => r.code));
    const result = validateRows(kind, parsed, { knownReasonCodes: known, defaultReasonCode: "OUT_OF_STOCK" });
    expect(result.counts.invalidItems).toBe(0);
    expect(result.counts.rows).toBeGreaterThanOrEqual(2);
  });

  test("the template of one kind is refused as the other", () => {
    expect(parseCsvText(templateCsv("line_items"), "sub_orders").ok).toBe(false);
    expect(parseCsvText(templateCsv("sub_orders"), "line_items").ok).toBe(false);
  });

  test.each([
    ["sub_orders", true],
    ["line_items", true],
    ["lines", false],
    [undefined, false],
  ])("isCsvKind(%j) is %s", (value, expected) => {
    expect(isCsvKind(value)).toBe(expected);
  });
});
