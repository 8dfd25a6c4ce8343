/**
 * The two kinds of cancellation file, their columns and the sample templates offered for download.
 * Pure data: used by the upload screen, the web worker that parses uploads and the server.
 */

export const CSV_KINDS = ["sub_orders", "line_items"] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export const isCsvKind = (value: unknown): value is CsvKind =>
  typeof value === "string" && (CSV_KINDS as readonly string[]).includes(value);

/** The fields a cancellation file can carry, whatever its columns are called. */
export const CSV_FIELDS = ["subOrderId", "sku", "quantity", "reasonCode"] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export type CsvColumn = {
  field: CsvField;
  /** The canonical header, as written in the template and named in messages. */
  header: string;
  required: boolean;
  /**
   * Other names accepted for the column. Matching ignores case, spaces, underscores, hyphens and
   * punctuation (see `normalizeHeader`), so `sub_order_id` and `subOrderId` need no alias here.
   */
  aliases: readonly string[];
};

const SUB_ORDER_ID: CsvColumn = {
  field: "subOrderId",
  header: "Sub Order ID",
  required: true,
  aliases: ["Sub Order", "Sub Order No", "Sub Order Number", "Increff Sub Order ID", "Increff Sub Order"],
};

const SKU_ID: CsvColumn = {
  field: "sku",
  header: "SKU ID",
  required: true,
  aliases: ["SKU", "SKU Code", "Increff SKU ID", "Increff SKU"],
};

const QUANTITY: CsvColumn = {
  field: "quantity",
  header: "Quantity",
  required: true,
  aliases: ["Qty", "Cancel Quantity", "Cancel Qty", "Quantity to Cancel", "Cancellation Quantity"],
};

const REASON_CODE: CsvColumn = {
  field: "reasonCode",
  header: "Reason Code",
  required: false,
  aliases: [
    "Reason",
    "Cancel Reason",
    "Cancel Reason Code",
    "Cancellation Reason",
    "Cancellation Reason Code",
  ],
};

/** The columns of each kind of file, in template order. Other columns are allowed and kept. */
export const CSV_COLUMNS: { readonly [K in CsvKind]: readonly CsvColumn[] } = {
  sub_orders: [SUB_ORDER_ID, REASON_CODE],
  line_items: [SUB_ORDER_ID, SKU_ID, QUANTITY, REASON_CODE],
};

/** Every column any kind knows, once per field. */
export const ALL_CSV_COLUMNS: readonly CsvColumn[] = [SUB_ORDER_ID, SKU_ID, QUANTITY, REASON_CODE];

/** What one data row stands for, in messages ("Add one row per sub-order"). */
export const CSV_ROW_NOUN: { readonly [K in CsvKind]: string } = {
  sub_orders: "sub-order to cancel",
  line_items: "line item to cancel",
};

const TEMPLATE_ROWS: { readonly [K in CsvKind]: readonly (readonly string[])[] } = {
  // An empty Reason Code means "the reason chosen on the screen".
  sub_orders: [
    ["SO-000001-1", "CUSTOMER_CHANGED_MIND"],
    ["SO-000002-1", ""],
    ["SO-000003-2", ""],
  ],
  // Rows of one sub-order are cancelled together, as one unit of work.
  line_items: [
    ["SO-000001-1", "TSHIRT-M-RED", "2", "OUT_OF_STOCK"],
    ["SO-000001-1", "JEANS-32-BLUE", "1", "OUT_OF_STOCK"],
    ["SO-000002-1", "SNEAKER-42-WHT", "1", ""],
  ],
};

/**
 * The sample template: header plus example rows, comma-separated with CRLF line ends, the way
 * Excel writes CSV. The example values need no quoting.
 */
export function templateCsv(kind: CsvKind): string {
  const header = CSV_COLUMNS[kind].map((c) => c.header);
  return [header, ...TEMPLATE_ROWS[kind]].map((cells) => `${cells.join(",")}\r\n`).join("");
}

export function templateFileName(kind: CsvKind): string {
  return kind === "sub_orders"
    ? "sub-order-cancellation-template.csv"
    : "line-item-cancellation-template.csv";
}
