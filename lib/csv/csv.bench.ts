/**
 * Speed of the CSV layer on a 100,000-row file (`npx vitest bench --run lib/csv`). Timings live
 * here, not in the tests.
 */
import { bench, describe } from "vitest";
import { buildErrorCsv, validationErrorRows } from "./error-csv";
import { type ParsedCsv, parseCsvText } from "./parse";
import { validateRows } from "./validate";

const ROWS = 100_000;
const SKUS = ["TSHIRT-M-RED", "JEANS-32-BLUE", "SNEAKER-42-WHT", "MUG-350-BLK"];
const REASONS = new Set(["OUT_OF_STOCK", "PRICING_ERROR", "CUSTOMER_CHANGED_MIND"]);

const lineItemsText = [
  "Sub Order ID,SKU ID,Quantity,Reason Code",
  ...Array.from(
    { length: ROWS },
    (_, i) =>
      `SO-${String(Math.floor(i / 4)).padStart(6, "0")}-1,${SKUS[i % 4]},${i % 100 === 0 ? "x" : (i % 3) + 1},OUT_OF_STOCK`,
  ),
].join("\r\n");
const subOrdersText = [
  "Sub Order ID;Reason Code",
  ...Array.from({ length: ROWS }, (_, i) => `SO-${String(i).padStart(6, "0")}-1;`),
].join("\r\n");

function parsed(text: string, kind: "sub_orders" | "line_items"): ParsedCsv {
  const result = parseCsvText(text, kind);
  if (!result.ok) throw new Error(result.problem.message);
  return result;
}
const lineItems = parsed(lineItemsText, "line_items");
const subOrders = parsed(subOrdersText, "sub_orders");
const lineItemErrors = validationErrorRows(validateRows("line_items", lineItems).items);

describe(`${ROWS.toLocaleString("en")} rows`, () => {
  bench("parseCsvText, line items", () => {
    parseCsvText(lineItemsText, "line_items");
  });
  bench("validateRows, line items", () => {
    validateRows("line_items", lineItems, { knownReasonCodes: REASONS });
  });
  bench("parseCsvText, sub-orders", () => {
    parseCsvText(subOrdersText, "sub_orders");
  });
  bench("validateRows, sub-orders", () => {
    validateRows("sub_orders", subOrders, { defaultReasonCode: "OUT_OF_STOCK", knownReasonCodes: REASONS });
  });
  bench(`buildErrorCsv, ${lineItemErrors.length} failed rows`, () => {
    buildErrorCsv(lineItems.headers, lineItemErrors);
  });
});
