import { describe, expect, test } from "vitest";
import { fieldForHeader, matchColumns, normalizeHeader } from "./headers";
import type { CsvField } from "./templates";

describe("normalizeHeader", () => {
  test.each([
    "Sub Order ID",
    "sub_order_id",
    "subOrderId",
    "SUB-ORDER-ID",
    " Sub Order Id ",
    "Sub.Order.ID",
    "SubOrderID",
    "sub order  id",
    "Ｓｕｂ Ｏｒｄｅｒ ＩＤ", // full-width, as some IMEs type it
  ])("%j is suborderid", (name) => {
    expect(normalizeHeader(name)).toBe("suborderid");
  });
});

describe("fieldForHeader", () => {
  test.each<[string, CsvField | undefined]>([
    ["Sub Order ID", "subOrderId"],
    ["sub_order_id", "subOrderId"],
    ["subOrderId", "subOrderId"],
    ["SUB-ORDER-ID", "subOrderId"],
    [" Sub Order Id ", "subOrderId"],
    ["Sub Order", "subOrderId"],
    ["Increff Sub Order ID", "subOrderId"],
    ["increff_sub_order_id", "subOrderId"],
    ["Sub Order No", "subOrderId"],
    ["SKU", "sku"],
    ["SKU ID", "sku"],
    ["sku_id", "sku"],
    ["skuId", "sku"],
    ["Increff SKU ID", "sku"],
    ["SKU Code", "sku"],
    ["Quantity", "quantity"],
    ["QTY", "quantity"],
    ["qty.", "quantity"],
    ["Cancel Quantity", "quantity"],
    ["cancel_qty", "quantity"],
    ["Reason", "reasonCode"],
    ["Reason Code", "reasonCode"],
    ["reason_code", "reasonCode"],
    ["Cancellation Reason", "reasonCode"],
    // Not ours: other IDs must never be taken for a sub-order.
    ["Order", undefined],
    ["Order ID", undefined],
    ["Channel Order ID", undefined],
    ["Channel SKU ID", undefined],
    ["Error Code", undefined],
    ["Error Message", undefined],
    ["", undefined],
  ])("%j -> %s", (name, field) => {
    expect(fieldForHeader(name)).toBe(field);
  });
});

describe("matchColumns", () => {
  test.each<{ name: string; kind: "sub_orders" | "line_items"; headers: string[]; columns: object }>([
    {
      name: "canonical sub-order file",
      kind: "sub_orders",
      headers: ["Sub Order ID"],
      columns: { subOrderId: 0 },
    },
    {
      name: "sub-order file with reason and unknown columns",
      kind: "sub_orders",
      headers: ["Notes", "reason", "Increff Sub Order ID", "Customer"],
      columns: { subOrderId: 2, reasonCode: 1 },
    },
    {
      name: "canonical line-item file",
      kind: "line_items",
      headers: ["Sub Order ID", "SKU ID", "Quantity"],
      columns: { subOrderId: 0, sku: 1, quantity: 2 },
    },
    {
      name: "line-item file in another order, other spellings, extra columns",
      kind: "line_items",
      headers: ["qty", "Comment", "sku", "sub_order_id", "Reason Code"],
      columns: { subOrderId: 3, sku: 2, quantity: 0, reasonCode: 4 },
    },
    {
      name: "a re-uploaded error CSV: the error columns are just extra columns",
      kind: "line_items",
      headers: ["Sub Order ID", "SKU ID", "Quantity", "Error Code", "Error Message"],
      columns: { subOrderId: 0, sku: 1, quantity: 2 },
    },
  ])("$name", ({ kind, headers, columns }) => {
    expect(matchColumns(kind, headers)).toEqual({ ok: true, columns });
  });

  test.each<{ name: string; kind: "sub_orders" | "line_items"; headers: string[]; message: string }>([
    {
      name: "no Sub Order ID",
      kind: "sub_orders",
      headers: ["Order", "Qty"],
      message:
        'The file has no "Sub Order ID" column. Found columns: Order, Qty. Download the template to see the expected columns.',
    },
    {
      name: "first row is data, not a header",
      kind: "sub_orders",
      headers: ["SO-000001-1"],
      message:
        'The file has no "Sub Order ID" column. Found columns: SO-000001-1. Download the template to see the expected columns.',
    },
    {
      name: "empty header row",
      kind: "sub_orders",
      headers: ["", ""],
      message:
        'The file has no "Sub Order ID" column. The first row has no column names. Download the template to see the expected columns.',
    },
    {
      name: "line items: none of the columns",
      kind: "line_items",
      headers: ["Order", "Item"],
      message:
        'The file has no "Sub Order ID", "SKU ID" or "Quantity" column. Found columns: Order, Item. Download the template to see the expected columns.',
    },
    {
      name: "line items: a sub-order file",
      kind: "line_items",
      headers: ["Sub Order ID", "Reason Code"],
      message:
        'The file has no "SKU ID" or "Quantity" column. Found columns: Sub Order ID, Reason Code. To cancel whole sub-orders, upload the file under Cancel Sub-Orders instead. Download the template to see the expected columns.',
    },
    {
      name: "line items: no Quantity",
      kind: "line_items",
      headers: ["Sub Order ID", "SKU"],
      message:
        'The file has no "Quantity" column. Found columns: Sub Order ID, SKU. To cancel whole sub-orders, upload the file under Cancel Sub-Orders instead. Download the template to see the expected columns.',
    },
    {
      name: "two columns for one field",
      kind: "line_items",
      headers: ["Sub Order ID", "SKU", "SKU ID", "Quantity"],
      message:
        'The file has 2 columns for "SKU ID": "SKU" (column 2), "SKU ID" (column 3). Keep only one of them.',
    },
    {
      name: "the same header twice",
      kind: "sub_orders",
      headers: ["Sub Order ID", "Sub Order ID"],
      message:
        'The file has 2 columns for "Sub Order ID": "Sub Order ID" (column 1), "Sub Order ID" (column 2). Keep only one of them.',
    },
    {
      name: "a sub-order file with line-item columns",
      kind: "sub_orders",
      headers: ["Sub Order ID", "SKU ID", "Quantity"],
      message:
        'The file has "SKU ID" and "Quantity" columns, so it looks like a line-item file. Upload it under Cancel Sub-Order Line Items, or remove those columns to cancel whole sub-orders.',
    },
    {
      name: "a sub-order file with a quantity column",
      kind: "sub_orders",
      headers: ["Sub Order ID", "Qty"],
      message:
        'The file has a "Quantity" column, so it looks like a line-item file. Upload it under Cancel Sub-Order Line Items, or remove that column to cancel whole sub-orders.',
    },
  ])("$name", ({ kind, headers, message }) => {
    expect(matchColumns(kind, headers)).toEqual({ ok: false, problem: { code: "INVALID_FILE", message } });
  });

  test("lists at most 15 found columns", () => {
    const headers = Array.from({ length: 20 }, (_, i) => `C${i + 1}`);
    const result = matchColumns("sub_orders", headers);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.message).toContain("C14, C15 and 5 more.");
  });
});
