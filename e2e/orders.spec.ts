/**
 * The support agent's screens on the demo data: find an order by each key, cancel part of a line
 * or whole lines from the order, decide customer cancel requests, and see fill-or-kill and a
 * shipment after cancellation on the order's timeline.
 */
import type { Page } from "@playwright/test";

import { DEMO_IDS } from "@/dev/seed";
import {
  allowsPartialQuantities,
  cancelRequests,
  linesOf,
  MANUAL_WAREHOUSES,
  pool,
  seed,
  warehouseOf,
} from "./demo-data";
import { expect, expectNoSeriousAxeViolations, screenshot, test } from "./fixtures";

test.use({ role: "support" });

// --- demo data ----------------------------------------------------------------------------------

const byNewest = [...seed.orders].sort(
  (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
);
const NEWEST = byNewest[0] as (typeof seed.orders)[number];
const NEWEST_SUB_ORDER = seed.subOrders.find((s) => s.orderId === NEWEST.id)?.id as string;
const NEWEST_SKU = linesOf.get(NEWEST_SUB_ORDER)?.[0]?.sku as string;

const OWN = pool("open").slice(-60, -20);
const orderOfSubOrder = (id: string) => seed.subOrders.find((s) => s.id === id)?.orderId as string;
const PARTIAL = OWN.find(
  (id) => allowsPartialQuantities(id) && (linesOf.get(id) ?? []).some((l) => l.ordered >= 2),
);
const WHOLE = OWN.find(
  (id) => !allowsPartialQuantities(id) && orderOfSubOrder(id) !== orderOfSubOrder(PARTIAL ?? ""),
);
const manualOnly = (orderId: string) =>
  seed.subOrders
    .filter((s) => s.orderId === orderId)
    .every((s) => MANUAL_WAREHOUSES.has(s.warehouseId as string));
const WHOLE_ORDER_REQUEST = cancelRequests.find((r) => r.line === null && manualOnly(r.orderId));
const TO_REJECT = cancelRequests.find((r) => r !== WHOLE_ORDER_REQUEST);

const search = async (page: Page, q: string) => {
  await page.getByLabel("Search", { exact: true }).fill(q);
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL((url) => url.searchParams.get("q") === q);
};

// --- tests --------------------------------------------------------------------------------------

test("search finds an order by its number, the channel's id, a sub-order, a SKU and the customer", async ({
  page,
}) => {
  await page.goto("/orders");
  await expect(page.getByRole("heading", { level: 1, name: "Orders" })).toBeVisible();
  const table = page.getByRole("table", { name: "Orders" });
  for (const q of [
    NEWEST.channelOrderNo as string,
    NEWEST.channelOrderId as string,
    NEWEST_SUB_ORDER,
    NEWEST_SKU,
    NEWEST.customerName as string,
  ]) {
    await search(page, q);
    // Newest first: the newest order with that SKU or customer is the demo's newest order.
    await expect(table.locator("tbody tr").first(), q).toHaveAttribute("data-order", NEWEST.id as string);
  }
  await search(page, "NO-SUCH-ORDER-XYZ");
  await expect(table.getByText("No orders match this search.")).toBeVisible();

  // Filters and sort live in the URL.
  await page.goto(`/orders?channel=${DEMO_IDS.channels.sellerPortal}&status=shipped&sort=oldest`);
  await expect(page.getByLabel("Channel")).toHaveValue(DEMO_IDS.channels.sellerPortal);
  const statuses = await table
    .locator("tbody tr")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
  expect(statuses.length).toBeGreaterThan(0);
  expect(new Set(statuses)).toEqual(new Set(["shipped"]));
  await expectNoSeriousAxeViolations(page);
  await page.goto("/orders");
  await screenshot(page, "orders.png");
});

test("a partial line cancel on a channel that takes part of a line", async ({ page }) => {
  expect(PARTIAL).toBeTruthy();
  const subOrderId = PARTIAL as string;
  const line = (linesOf.get(subOrderId) ?? []).find((l) => l.ordered >= 2);
  if (!line) throw new Error("no line");
  await page.goto(`/orders/${orderOfSubOrder(subOrderId)}`);
  const section = page.locator(`[data-sub-order="${subOrderId}"]`);
  const row = section.locator(`tr[data-line="${line.sku}"]`);
  await row.getByRole("checkbox").check();
  const units = row.getByLabel(`Units of ${line.sku} to cancel`, { exact: false });
  await expect(units).toHaveValue(String(line.ordered));
  await units.fill("1");
  await page.getByRole("combobox", { name: "Reason" }).click();
  await page.getByRole("option", { name: "Customer changed their mind" }).click();
  await page.getByRole("button", { name: /^Cancel selected/ }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("order-cancel-summary")).toContainText(`1 × ${line.sku}`);
  await expect(dialog.getByTestId("order-cancel-summary")).toContainText(`${line.ordered - 1} stay`);
  await expect(dialog).toContainText("is asked first");
  await expect(dialog).toContainText("cannot be undone");
  await screenshot(page, "order-cancel-dialog.png");
  await dialog.getByRole("button", { name: "Cancel 1 unit" }).click();
  await expect(page.getByTestId("order-cancel-result")).toHaveAttribute("data-result", "SUCCESS");
  // The table shows the new numbers in place: 1 cancelled, the rest still cancellable.
  await expect(row.locator("td").nth(7)).toHaveText("1");
  await expect(row.locator("td").nth(9)).toHaveText(String(line.ordered - 1));
  await expect(page.getByTestId("order-timeline")).toContainText(`Cancelled 1 × ${line.sku}`);
});

test("whole lines only: a checkbox per line, no quantity box, and the dialog works from the keyboard", async ({
  page,
}) => {
  expect(WHOLE).toBeTruthy();
  const subOrderId = WHOLE as string;
  const [line] = linesOf.get(subOrderId) ?? [];
  if (!line) throw new Error("no line");
  await page.goto(`/orders/${orderOfSubOrder(subOrderId)}`);
  await expect(page.getByRole("columnheader", { name: "Units to cancel" })).toHaveCount(0);
  await expect(page.getByText("cancels whole lines only")).toBeVisible();

  const checkbox = page.getByRole("checkbox", { name: `Cancel the whole line ${line.sku}` }).first();
  await checkbox.focus();
  await page.keyboard.press("Space");
  await expect(checkbox).toBeChecked();
  // The reason select, then the cancel button, by keyboard alone.
  await page.getByRole("combobox", { name: "Reason" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("listbox")).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("combobox", { name: "Reason" })).not.toHaveText(/Choose/);
  await page.getByRole("button", { name: /^Cancel selected/ }).focus();
  await page.keyboard.press("Enter");

  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("order-cancel-summary")).toContainText(`${line.ordered} × ${line.sku}`);
  await expect(dialog.getByTestId("order-cancel-summary")).toContainText("the whole line");
  // Escape keeps everything; opening again and confirming from the keyboard cancels.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await page.getByRole("button", { name: /^Cancel selected/ }).focus();
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole("button", { name: /^Cancel \d+ units?$/ });
  await confirm.focus();
  await expect(confirm).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("order-cancel-result").first()).toHaveAttribute("data-result", "SUCCESS");
  await expectNoSeriousAxeViolations(page);
});

test("a customer cancel request approved, another rejected with a note; both on the order's timeline", async ({
  page,
}) => {
  expect(WHOLE_ORDER_REQUEST && TO_REJECT).toBeTruthy();
  const approve = WHOLE_ORDER_REQUEST as NonNullable<typeof WHOLE_ORDER_REQUEST>;
  const reject = TO_REJECT as NonNullable<typeof TO_REJECT>;
  await page.goto("/cancel-requests");
  const table = page.getByRole("table", { name: "Cancel requests" });
  const approveRow = table.locator(`tr[data-request="${approve.channelRequestId}"]`);
  await expect(approveRow).toContainText(approve.customerReason);
  await expect(approveRow).toContainText("The whole order");
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, "cancel-requests.png");

  await approveRow.getByRole("button", { name: "Approve" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(approve.customerReason);
  await dialog.getByRole("button", { name: "Approve and cancel" }).click();
  const outcomes = dialog.getByTestId("approve-outcomes");
  await expect(outcomes.locator("li").first()).toHaveAttribute("data-result", "SUCCESS");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(approveRow).toHaveCount(0);

  const rejectRow = table.locator(`tr[data-request="${reject.channelRequestId}"]`);
  await rejectRow.getByRole("button", { name: "Reject" }).click();
  await dialog.getByRole("button", { name: "Reject request" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Write a note");
  await dialog.getByLabel("Note to the channel").fill("Already shipped: the parcel left this morning.");
  await dialog.getByRole("button", { name: "Reject request" }).click();
  await expect(dialog).toBeHidden();
  await expect(rejectRow).toHaveCount(0);

  await page.getByRole("link", { name: "Rejected" }).click();
  const rejected = page.locator(`tr[data-request="${reject.channelRequestId}"]`);
  await expect(rejected).toContainText("Already shipped: the parcel left this morning.");
  await expect(rejected).toContainText("support@demo.test");

  await page.goto(`/orders/${approve.orderId}`);
  await expect(page.getByTestId("order-timeline")).toContainText(
    `Request ${approve.channelRequestId} approved`,
  );
  await page.goto(`/orders/${reject.orderId}`);
  await expect(page.getByTestId("order-timeline")).toContainText(
    `Request ${reject.channelRequestId} rejected`,
  );
  await expect(page.getByTestId("order-timeline")).toContainText("Note: Already shipped");
});

test("a user switches the number and date format and sees amounts and dates change", async ({ page }) => {
  await page.goto(`/orders/${DEMO_IDS.openOrder}`);
  const placed = page.locator("dt", { hasText: "Placed" }).locator("xpath=following-sibling::dd");
  const price = page.locator("tbody tr").first().locator("td").nth(3);
  const before = { placed: await placed.textContent(), price: await price.textContent() };
  expect(before.price).toMatch(/^₹[\d,]+\.\d{2}$/);

  await page.getByLabel("Number and date format").selectOption("de-DE");
  await expect(price).toHaveText(/^[\d.]+,\d{2}\s₹$/);
  await expect(placed).not.toHaveText(before.placed ?? "");
  // The choice stays for the next page; the browser's language is one choice away.
  await page.goto("/orders");
  await expect(page.getByLabel("Number and date format")).toHaveValue("de-DE");
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/orders")),
    page.getByLabel("Number and date format").selectOption(""),
  ]);
  await page.goto(`/orders/${DEMO_IDS.openOrder}`);
  await expect(price).toHaveText(before.price ?? "");
});

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("fill-or-kill and a shipment after cancellation reach the timeline; the exception's steps are ticked off", async ({
    page,
    request,
  }) => {
    await page.goto("/settings/api-keys");
    await page.getByLabel("Name").fill("e2e warehouse events");
    await page.getByLabel("orders:write", { exact: true }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = await page.getByLabel("New API key").inputValue();
    const headers = { authorization: `Bearer ${secret}`, "content-type": "application/json" };

    // Fill-or-kill: shipping the 2 in processing cancels the other 2 of the line, automatically.
    const fok = DEMO_IDS.fillOrKillSubOrder;
    const shipped = await request.post(`/api/v1/warehouses/${warehouseOf.get(fok)}/events`, {
      headers,
      data: {
        eventId: "e2e-fok-1",
        type: "shipped",
        subOrderId: fok,
        lines: [{ sku: "JEANS-34-BLK", quantity: 2 }],
        shipment: { reference: "ASN-E2E-1", carrier: "UPS", trackingNumber: "1Z999" },
      },
    });
    expect(shipped.status()).toBe(200);

    // Units shipped that we had cancelled: an exception, the quantities untouched.
    const cancelled = DEMO_IDS.cancelledSubOrder;
    const [cancelledLine] = linesOf.get(cancelled) ?? [];
    const late = await request.post(`/api/v1/warehouses/${warehouseOf.get(cancelled)}/events`, {
      headers,
      data: {
        eventId: "e2e-late-1",
        type: "shipped",
        subOrderId: cancelled,
        lines: [{ sku: cancelledLine?.sku, quantity: 1 }],
        shipment: { reference: "ASN-E2E-2", carrier: "DHL", trackingNumber: "JD0001" },
      },
    });
    expect(late.status()).toBe(202);

    await page.goto(`/orders/${orderOfSubOrder(fok)}`);
    const timeline = page.getByTestId("order-timeline");
    await expect(timeline).toContainText("Fill-or-kill cancelled 2 × JEANS-34-BLK");
    await expect(timeline).toContainText("Shipment ASN-E2E-1 · UPS · tracking 1Z999");

    await page.goto("/orders?exceptions=1");
    await expect(page.locator(`tr[data-order="${orderOfSubOrder(cancelled)}"]`)).toBeVisible();
    await page.goto(`/orders/${orderOfSubOrder(cancelled)}`);
    await expect(timeline).toContainText(`Shipped after cancellation: 1 × ${cancelledLine?.sku}`);
    const exception = page.getByTestId("order-exception");
    await expect(exception).toContainText("tracking JD0001");
    await exception.getByLabel("2. Customer's acknowledgement received").check();
    await exception.getByRole("button", { name: "Save steps" }).click();
    await expect(exception.getByRole("alert")).toContainText('needs "Customer emailed" first');
    await exception.getByLabel("1. Customer emailed").check();
    await exception.getByLabel("3. Seller Support emailed").check();
    await exception.getByLabel("4. Credit memo reference").fill("CM-E2E-1");
    await exception.getByRole("button", { name: "Save steps" }).click();
    await expect(exception).toHaveAttribute("data-resolved", "true");
    await expect(exception).toContainText("Resolved");
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, "order-detail.png");
  });
});
