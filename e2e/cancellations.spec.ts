/**
 * The cancellation screen end to end, against a production build on a fresh demo database:
 * (a) single cancel, success and blocked; (b) a 50-row sub-order file with every kind of error and
 * its error CSV; (c) a line-item file where one sub-order's group fails as a whole; (d) a run that
 * goes on after the page is closed; (e) an Excel-style file (BOM, CRLF, `;`, quoted); (f) files
 * that cannot be used, and the templates.
 *
 * Every test takes its own sub-orders (disjoint slices of the demo data, none used by the sample
 * files), so the tests do not depend on each other or on their order. Sub-orders in the 3PL
 * warehouse are left out where success is expected: that warehouse answers through its connector.
 */
import fs from "node:fs";
import path from "node:path";

import type { Download, Locator, Page } from "@playwright/test";
import Papa from "papaparse";
import { DEMO_IDS, type SeedLine } from "@/dev/seed";
import { planLineItemCancel, planSubOrderCancel } from "@/lib/cancellation/rules";
import { formatterFor } from "@/lib/format/formatter";

import {
  allowsPartialQuantities,
  currencyOf,
  linesOf,
  MANUAL_WAREHOUSES,
  plannedLines,
  policyOf,
  pool,
  SAMPLES_DIR,
  warehouseOf,
} from "./demo-data";
import { expect, test } from "./fixtures";

// --- demo data ----------------------------------------------------------------------------------

const OPEN = pool("open");
// Disjoint slices: each test owns its sub-orders.
const SINGLE_OPEN = OPEN[0] as string;
const BULK_OPEN = OPEN.slice(10, 48);
// Groups ask for part of a line: only channels that allow partial quantities take that.
const LINE_GROUPS = OPEN.slice(60, 160).filter(
  (id) => (linesOf.get(id)?.length ?? 0) >= 2 && allowsPartialQuantities(id),
);
const REOPEN_OPEN = OPEN.slice(200, 400);
const IN_PROCESSING = pool("in_processing").slice(0, 3);
const PARTIALLY_SHIPPED = [...pool("partially_shipped").slice(0, 2), ...pool("shipped").slice(0, 1)];
const CANCELLED = pool("cancelled").slice(0, 2);

const subOrderMessage = (id: string): string => {
  const plan = planSubOrderCancel(id, plannedLines(id), "strict");
  if (plan.ok) throw new Error(`${id} was expected to fail`);
  return plan.error.message;
};

// --- helpers ------------------------------------------------------------------------------------

const ROW_HEIGHT = 40;
async function chooseReason(scope: Page | Locator, page: Page, label = "Out of stock") {
  await scope.getByRole("combobox", { name: "Reason" }).click();
  await page.getByRole("option", { name: label }).click();
}

function csvFile(name: string, text: string) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") };
}

/** The visible bulk panel's table; `seq` rows are scrolled into view first (the table is virtualized). */
async function tableRow(page: Page, seq: number): Promise<Locator> {
  const region = page.getByRole("region", { name: /scrollable$/ });
  await region.evaluate(
    (el, top) => {
      el.scrollTop = top;
    },
    (seq - 1) * ROW_HEIGHT,
  );
  const row = region.locator(`tr[data-seq="${seq}"]`);
  await expect(row).toBeVisible();
  return row;
}

async function expectRow(page: Page, seq: number, status: string, text?: string | RegExp) {
  const row = await tableRow(page, seq);
  await expect(row).toHaveAttribute("data-status", status);
  if (text !== undefined) await expect(row).toContainText(text);
}

async function startAndFinish(page: Page) {
  const start = page.getByRole("button", { name: "Start Cancellation" });
  await expect(start).toBeEnabled({ timeout: 30_000 });
  await start.click();
  await expect(page.getByText("Cancellation finished")).toBeVisible({ timeout: 60_000 });
}

async function readDownload(download: Download): Promise<string> {
  const file = await download.path();
  return fs.readFileSync(file, "utf8");
}

/** The finished state, from the result banner down: only with UPDATE_SCREENSHOTS=1. */
async function screenshot(page: Page, name: string) {
  if (process.env.UPDATE_SCREENSHOTS !== "1") return;
  await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" });
  await page.getByRole("region", { name: /scrollable$/ }).evaluate((el) => {
    el.scrollTop = 0;
  });
  await page.getByRole("tablist", { name: "Cancellation kind" }).evaluate((el) => {
    // Just below the sticky app header.
    const header = document.querySelector("header")?.getBoundingClientRect().height ?? 0;
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - header - 24);
  });
  await page.screenshot({ path: path.join("e2e", "screenshots", name), animations: "disabled" });
}

// Ops staff run bulk files and single cancels alike.
test.use({ role: "ops", viewport: { width: 1280, height: 800 } });

// --- (a) single sub-order -------------------------------------------------------------------------

test("(a) single sub-order: a blocked one says why; an open one is cancelled and shown again", async ({
  page,
}) => {
  await page.goto("/cancellations?tab=sub-orders&type=single");
  await expect(page.getByRole("tab", { name: "Cancel Sub-Orders" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("radio", { name: "Single Sub-Order" })).toBeChecked();

  // Blocked: units in processing.
  await page.getByLabel("Sub-order ID").fill(DEMO_IDS.processingSubOrder);
  await page.getByRole("button", { name: "Look up" }).click();
  const card = page.getByTestId("sub-order-card");
  await expect(card.getByRole("heading", { name: DEMO_IDS.processingSubOrder })).toBeVisible();
  await expect(card.getByTestId("sub-order-status")).toHaveText("In processing");
  await expect(card).toContainText("Bengaluru DC 1");
  const assessment = page.getByTestId("assessment");
  await expect(assessment).toHaveAttribute("data-can-cancel", "false");
  await expect(assessment).toContainText("IN_PROCESSING");
  await expect(assessment).toContainText("SKU TSHIRT-M-RED: 2 units in processing (picklist released)");
  await expect(page.getByRole("button", { name: "Submit" })).toBeDisabled();
  // Unfulfilled only would cancel the one open unit: the panel says so (nothing is submitted).
  await page.getByRole("checkbox", { name: "Unfulfilled only" }).check();
  await expect(assessment).toContainText("Can be cancelled: 1 unit");
  await page.getByRole("checkbox", { name: "Unfulfilled only" }).uncheck();

  // Unknown ID: a clear message tied to the input.
  await page.getByLabel("Sub-order ID").fill("SO-999999-9");
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Sub-order SO-999999-9 does not exist" }),
  ).toBeVisible();
  await expect(page.getByLabel("Sub-order ID")).toHaveAttribute("aria-invalid", "true");

  // Success.
  const lines = linesOf.get(SINGLE_OPEN) ?? [];
  const units = lines.reduce((n, l) => n + l.ordered, 0);
  await page.getByLabel("Sub-order ID").fill(SINGLE_OPEN);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(card.getByRole("heading", { name: SINGLE_OPEN })).toBeVisible();
  await expect(card.getByTestId("sub-order-status")).toHaveText("Open");
  await expect(assessment).toContainText(`Can be cancelled: ${units} unit`);
  await page.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByText("Choose a reason.")).toBeVisible();
  await chooseReason(page, page, "Customer changed their mind");
  await page.getByRole("button", { name: "Submit" }).click();
  const dialog = page.getByRole("dialog", { name: `Cancel ${SINGLE_OPEN}?` });
  await expect(dialog).toContainText("This cannot be undone");
  await dialog.getByRole("button", { name: "Cancel sub-order" }).click();

  const result = page.getByTestId("single-result");
  await expect(result).toHaveAttribute("data-result", "SUCCESS");
  await expect(result).toContainText(`Cancelled ${units} unit`);
  await expect(card.getByTestId("sub-order-status")).toHaveText("Cancelled");
  for (const line of lines) {
    const row = card.getByRole("row").filter({ hasText: line.sku });
    // Ordered, fulfilled, processing, cancelled, cancellable: everything ordered is now cancelled.
    await expect(row.getByRole("cell").nth(2)).toHaveText(String(line.ordered));
    await expect(row.getByRole("cell").nth(5)).toHaveText(String(line.ordered));
    await expect(row.getByRole("cell").nth(6)).toHaveText("0");
  }
  await expect(assessment).toContainText("ALREADY_CANCELLED");
});

// --- (b) 50-row sub-order file --------------------------------------------------------------------

test("(b) a 50-row sub-order file: up-front errors, dry run, live statuses, warning and error CSV", async ({
  page,
}) => {
  expect(BULK_OPEN).toHaveLength(38);
  const formula = '=HYPERLINK("http://evil.example","click")';
  type Planned = { id: string; note: string; code: string | null; message?: string };
  const planned: Planned[] = [
    ...BULK_OPEN.map((id, i) => ({ id, note: `open ${i + 1}`, code: null })),
    ...IN_PROCESSING.map((id) => ({
      id,
      note: "+SUM(1,2)",
      code: "IN_PROCESSING",
      message: subOrderMessage(id),
    })),
    ...PARTIALLY_SHIPPED.map((id) => ({
      id,
      note: "-2",
      code: "PARTIALLY_FULFILLED",
      message: subOrderMessage(id),
    })),
    ...CANCELLED.map((id) => ({
      id,
      note: "@cmd",
      code: "ALREADY_CANCELLED",
      message: `Sub-order ${id} is already cancelled`,
    })),
    {
      id: "SO-999998-1",
      note: "unknown",
      code: "SUB_ORDER_NOT_FOUND",
      message: "Sub-order SO-999998-1 does not exist",
    },
    {
      id: formula,
      note: "formula",
      code: "SUB_ORDER_NOT_FOUND",
      message: `Sub-order ${formula} does not exist`,
    },
  ];
  // Interleave failures among successes, then add the duplicate and the empty ID.
  const rows: Planned[] = [];
  const failures = planned.slice(38);
  BULK_OPEN.forEach((_, i) => {
    rows.push(planned[i] as Planned);
    if (i % 4 === 1 && failures.length > 0) rows.push(failures.shift() as Planned);
  });
  rows.push(...failures);
  const duplicateOf = BULK_OPEN[5] as string;
  const firstRow = rows.findIndex((r) => r.id === duplicateOf) + 2;
  rows.splice(20, 0, {
    id: duplicateOf,
    note: "again",
    code: "DUPLICATE_ROW",
    message: `Row 22, Sub Order ID: ${duplicateOf} is already on row ${firstRow}`,
  });
  rows.splice(30, 0, {
    id: "",
    note: "no id",
    code: "INVALID_INPUT",
    message: "Row 32, Sub Order ID: empty",
  });
  expect(rows).toHaveLength(50);
  const text = Papa.unparse(
    { fields: ["Sub Order ID", "Note"], data: rows.map((r) => [r.id, r.note]) },
    { newline: "\n" },
  );

  await page.goto("/cancellations?tab=sub-orders&type=multiple");
  await chooseReason(page, page);
  await page.getByLabel("Upload sub-order CSV").setInputFiles(csvFile("bulk-50.csv", text));

  // The browser's checks are shown at once: the duplicate and the empty ID are errors before Start.
  await expectRow(page, 21, "ERROR", "DUPLICATE_ROW");
  await expectRow(page, 31, "ERROR", "Row 32, Sub Order ID: empty");

  // The dry run: predictions per row and the totals.
  const summary = page.getByRole("region", { name: "Dry run: what Start Cancellation will do" });
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const units = BULK_OPEN.reduce(
    (n, id) => n + (linesOf.get(id) ?? []).reduce((m, l) => m + l.ordered, 0),
    0,
  );
  // The order value per currency: rupees and dollars are never added up.
  const values = new Map<string, number>();
  for (const id of BULK_OPEN) {
    const value = (linesOf.get(id) ?? []).reduce((m, l) => m + l.ordered * l.unitPriceMinor, 0);
    values.set(currencyOf(id), (values.get(currencyOf(id)) ?? 0) + value);
  }
  await expect(summary.getByText("Rows in file").locator("..")).toContainText("50");
  await expect(summary.getByText("Rows that will cancel").locator("..")).toContainText("38");
  await expect(summary.getByText("Rows that will fail").locator("..")).toContainText("12");
  await expect(summary.getByText("Units to cancel").locator("..")).toContainText(
    units.toLocaleString("en-IN"),
  );
  await expect(summary.getByText("Order value").locator("..")).toContainText(
    [...values]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, value]) => formatterFor("en-IN").money(value, currency))
      .join(" + "),
  );
  await expectRow(page, 1, "READY", /Will cancel \d+ unit/);
  const inProcessingSeq = rows.findIndex((r) => r.code === "IN_PROCESSING") + 1;
  await expectRow(page, inProcessingSeq, "WILL_FAIL", "IN_PROCESSING");
  const unknownSeq = rows.findIndex((r) => r.id === "SO-999998-1") + 1;
  await expectRow(page, unknownSeq, "ERROR", "SUB_ORDER_NOT_FOUND");

  // Start twice (double click): one run, nothing twice.
  const start = page.getByRole("button", { name: "Start Cancellation" });
  await expect(start).toBeEnabled();
  await start.dblclick();
  await expect(page.getByText("Cancellation finished")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("38 rows succeeded, 12 failed.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "12 rows could not be cancelled" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Rows processed" })).toHaveAttribute(
    "aria-valuenow",
    "50",
  );

  for (const [index, row] of rows.entries()) {
    await expectRow(page, index + 1, row.code ? "ERROR" : "SUCCESS", row.code ?? "Cancelled");
  }
  await screenshot(page, "cancel-sub-orders.png");

  // The error CSV: the failed rows as uploaded, in file order, with code and message, formula-safe.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download Error CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("bulk-50-errors.csv");
  const csv = await readDownload(download);
  expect(csv.startsWith("\uFEFFSub Order ID,Note,Error Code,Error Message\r\n")).toBe(true);
  const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
  const failed = rows.filter((r) => r.code);
  const neutral = (cell: string) => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell);
  expect(parsed.data.slice(1)).toEqual(
    failed.map((r) => [neutral(r.id), neutral(r.note), r.code, neutral(r.message ?? "")]),
  );
  expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);

  // The same file again (same SHA-256 within 24 hours): a warning that links to the run, and Start
  // waits for a confirmation. In unfulfilled-only mode some of its failed rows would now cancel.
  const rescued = [...IN_PROCESSING, ...PARTIALLY_SHIPPED].filter(
    (id) => planSubOrderCancel(id, plannedLines(id), "unfulfilled_only", policyOf(id)).ok,
  );
  expect(rescued.length).toBeGreaterThan(0);
  const batchId = new URL(page.url()).searchParams.get("batch");
  expect(batchId).toBeTruthy();
  await page.getByRole("button", { name: "Upload another file" }).click();
  await page.getByRole("radio", { name: "Unfulfilled units only" }).check();
  await page.getByLabel("Upload sub-order CSV").setInputFiles(csvFile("bulk-50-again.csv", text));
  const warning = page.getByRole("alert").filter({ hasText: "This file was already run" });
  await expect(warning).toBeVisible({ timeout: 30_000 });
  await expect(warning.getByRole("link")).toHaveAttribute("href", `/batches/${batchId}`);
  await expect(summary.getByText("Rows that will cancel").locator("..")).toContainText(
    String(rescued.length),
  );
  await expect(start).toBeDisabled();
  await warning.getByRole("checkbox", { name: "Run this file again anyway" }).check();
  await expect(start).toBeEnabled();

  // The batch page shows the first run and offers the same download.
  await page.goto(`/batches/${batchId}?status=ERROR`);
  await expect(page.getByRole("heading", { level: 1, name: "bulk-50.csv" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Batch rows" }).locator("tbody tr")).toHaveCount(12);
  await expect(page.getByRole("link", { name: "Download Error CSV" })).toBeVisible();
});

// --- (c) line items -------------------------------------------------------------------------------

test("(c) line items: one row per sub-order; a group with one bad line fails as a whole", async ({
  page,
}) => {
  const [good, bad, alsoGood] = LINE_GROUPS as [string, string, string];
  const goodLines = linesOf.get(good) ?? [];
  const badLines = linesOf.get(bad) ?? [];
  const alsoGoodLines = linesOf.get(alsoGood) ?? [];
  const [badFirst, badSecond] = badLines as [SeedLine, SeedLine];
  const requests = [
    ...goodLines.map((l) => [good, l.sku, String(l.ordered)]),
    [bad, badFirst.sku, String(badFirst.ordered + 1)],
    [bad, badSecond.sku, "1"],
    ...alsoGoodLines.slice(0, 1).map((l) => [alsoGood, l.sku, "1"]),
  ];
  const badPlan = planLineItemCancel(bad, plannedLines(bad), [
    { sku: badFirst.sku, quantity: badFirst.ordered + 1 },
    { sku: badSecond.sku, quantity: 1 },
  ]);
  if (badPlan.ok) throw new Error("expected the bad group to fail");
  const text = `Sub Order ID,SKU ID,Quantity\n${requests.map((r) => r.join(",")).join("\n")}\n`;

  await page.goto("/cancellations?tab=line-items");
  await expect(page.getByRole("tab", { name: "Cancel Sub-Order Line Items" })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await chooseReason(page, page);
  await page.getByLabel("Upload line-item CSV").setInputFiles(csvFile("line-items-groups.csv", text));

  await expect(page.getByRole("button", { name: "Start Cancellation" })).toBeEnabled({ timeout: 30_000 });
  await expectRow(page, 1, "READY");
  await expectRow(page, 2, "WILL_FAIL", "QUANTITY_EXCEEDS_CANCELLABLE");
  await expect(await tableRow(page, 1)).toContainText(String(goodLines.length));

  await startAndFinish(page);
  await expectRow(page, 1, "SUCCESS", `Cancelled ${goodLines.reduce((n, l) => n + l.ordered, 0)} unit`);
  await expectRow(page, 2, "ERROR", badPlan.error.message);
  await expectRow(page, 3, "SUCCESS", "Cancelled 1 unit");
  await expect(page.getByText("2 sub-orders succeeded, 1 failed.")).toBeVisible();
  await screenshot(page, "cancel-line-items.png");

  // The group's lines: the bad line names its problem, the good one was not cancelled either.
  await (await tableRow(page, 2)).getByRole("button", { name: bad }).click();
  const dialog = page.getByRole("dialog", { name: `Lines of ${bad}` });
  const lineRow = (sku: string) =>
    dialog.getByRole("row").filter({ has: page.getByRole("cell", { name: sku, exact: true }) });
  await expect(lineRow(badFirst.sku)).toContainText(
    `requested ${badFirst.ordered + 1}, cancellable ${badFirst.ordered}`,
  );
  await expect(lineRow(badSecond.sku)).toContainText("Not cancelled");
  await dialog.getByRole("button", { name: "Close" }).click();

  // Nothing of the failed group was cancelled.
  await page.goto("/cancellations?tab=sub-orders&type=single");
  await page.getByLabel("Sub-order ID").fill(bad);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByTestId("sub-order-status")).toHaveText("Open");
});

// --- (d) closing the page does not stop the run ---------------------------------------------------

test("(d) a run goes on when the page is closed; reopening the batch shows it finished", async ({
  page,
  context,
}) => {
  const text = `Sub Order ID\n${REOPEN_OPEN.join("\n")}\n`;
  await page.goto("/cancellations?tab=sub-orders&type=multiple");
  await chooseReason(page, page);
  await page.getByLabel("Upload sub-order CSV").setInputFiles(csvFile("reopen.csv", text));
  const start = page.getByRole("button", { name: "Start Cancellation" });
  await expect(start).toBeEnabled({ timeout: 30_000 });
  const batchId = new URL(page.url()).searchParams.get("batch");
  expect(batchId).toMatch(/^[0-9a-f-]{36}$/);
  await start.click();
  await expect(page.getByRole("progressbar", { name: "Rows processed" })).toBeVisible();
  await page.close();

  const again = await context.newPage();
  await again.goto(`/batches/${batchId}`);
  await expect(again.getByRole("heading", { level: 1, name: "reopen.csv" })).toBeVisible();
  await expect(async () => {
    await again.reload();
    await expect(again.getByText("Completed", { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(again.getByRole("progressbar", { name: "Rows processed" })).toHaveAttribute(
    "aria-valuenow",
    "200",
  );

  // The cancellation screen reopens the same run from its URL.
  await again.goto(`/cancellations?tab=sub-orders&type=multiple&batch=${batchId}`);
  await expect(again.getByText("Cancellation finished")).toBeVisible({ timeout: 30_000 });
  await expect(again.getByText("200 rows succeeded, 0 failed.")).toBeVisible();
  await expectRow(again, 1, "SUCCESS");
  await expectRow(again, 200, "SUCCESS");
});

// --- (e) a file saved by Excel --------------------------------------------------------------------

test("(e) an Excel file (BOM, CRLF, ; delimiter, quoted fields) works end to end", async ({ page }) => {
  const buffer = fs.readFileSync(path.join(SAMPLES_DIR, "sub-orders-excel.csv"));
  expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(buffer.toString("utf8")).toContain('";"');
  expect(buffer.toString("utf8")).toContain("\r\n");

  await page.goto("/cancellations?tab=sub-orders&type=multiple");
  await chooseReason(page, page);
  await page
    .getByLabel("Upload sub-order CSV")
    .setInputFiles({ name: "sub-orders-excel.csv", mimeType: "text/csv", buffer });
  await expect(page.getByTestId("row-counts")).toContainText("22 rows");
  // Refused by the file checks, before anything runs (file line = seq + 1).
  await expectRow(page, 8, "ERROR", "REASON_NOT_FOUND");
  await expectRow(page, 16, "ERROR", "DUPLICATE_ROW");
  await expectRow(page, 19, "ERROR", "INVALID_INPUT");
  await expect(page.getByRole("button", { name: "Start Cancellation" })).toBeEnabled({ timeout: 30_000 });
  await expectRow(page, 13, "ERROR", "SUB_ORDER_NOT_FOUND");

  await startAndFinish(page);
  const expected: Record<number, string> = {
    3: "IN_PROCESSING",
    6: "PARTIALLY_FULFILLED",
    9: "REASON_NOT_FOUND",
    11: "ALREADY_CANCELLED",
    14: "SUB_ORDER_NOT_FOUND",
    17: "DUPLICATE_ROW",
    20: "INVALID_INPUT",
  };
  const ids = buffer
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .map((line) => line.split(";")[0]?.replaceAll('"', "") ?? "");
  for (let line = 2; line <= 23; line++) {
    const code = expected[line];
    const row = await tableRow(page, line - 1);
    if (code) await expect(row).toHaveAttribute("data-status", "ERROR");
    if (code) await expect(row).toContainText(code);
    else if (MANUAL_WAREHOUSES.has(warehouseOf.get(ids[line - 1] ?? "") ?? "")) {
      await expect(row).toHaveAttribute("data-status", "SUCCESS");
    } else {
      // The 3PL warehouse answers through its connector: whatever it says, the row is final.
      await expect(row).toHaveAttribute("data-status", /^(SUCCESS|ERROR)$/);
    }
  }
});

// --- (f) files that cannot be used, and the templates -------------------------------------------

test("(f) a wrong file gets one clear message and no table; templates download as CSV", async ({
  page,
}, testInfo) => {
  await page.goto("/cancellations?tab=sub-orders&type=multiple");
  const upload = page.getByLabel("Upload sub-order CSV");
  const problem = page.getByRole("alert").filter({ hasText: "This file cannot be used" });

  await upload.setInputFiles(csvFile("empty.csv", ""));
  await expect(problem).toContainText("The file is empty.");
  await expect(page.getByRole("table", { name: "Uploaded sub-orders" })).toHaveCount(0);

  await upload.setInputFiles({
    name: "picture.csv",
    mimeType: "text/csv",
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]),
  });
  await expect(problem).toContainText("not a CSV text file");

  // Over the size limit: refused before it is read.
  const tooBig = testInfo.outputPath("too-big.csv");
  fs.writeFileSync(tooBig, Buffer.alloc(50 * 1024 * 1024 + 1, "a"));
  await upload.setInputFiles(tooBig);
  await expect(problem).toContainText("the limit is 50 MB");

  await upload.setInputFiles(csvFile("orders.csv", "Order ID,Qty\nORD-1,2\n"));
  await expect(problem).toContainText('The file has no "Sub Order ID" column');
  await expect(page.getByRole("table", { name: "Uploaded sub-orders" })).toHaveCount(0);

  for (const [kind, name, header] of [
    ["sub_orders", "sub-order-cancellation-template.csv", "Sub Order ID,Reason Code"],
    ["line_items", "line-item-cancellation-template.csv", "Sub Order ID,SKU ID,Quantity,Reason Code"],
  ] as const) {
    const response = await page.request.get(`/api/templates/${kind}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    expect(response.headers()["content-disposition"]).toContain(`filename="${name}"`);
    expect((await response.text()).split("\r\n")[0]).toBe(header);
  }
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download sample CSV template" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("sub-order-cancellation-template.csv");
});
