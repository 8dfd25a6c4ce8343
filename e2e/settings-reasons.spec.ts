/**
 * Settings → Reasons end to end, against a production build on a fresh demo database: an admin
 * adds a reason (a duplicate code is refused at its field), sees that the commerce channel has no
 * code for it, maps it there, points the channel at a fake commerce platform this test runs, and
 * cancels one of the channel's sub-orders with it (Cancellations → single cancel): the platform
 * receives the channel's code for every item, as a whole number.
 *
 * The commerce channel (MKT-NORTHWIND) is the one whose calls carry a reason (`reasons`); the
 * dropship API of seeds/003 takes none on a cancel, so its fake could never show one.
 */

import type { Page } from "@playwright/test";

import { FAKE_COMMERCE_TOKEN, type FakeCommerce, startFakeCommerce } from "@/dev/fakes/commerce";

import { pool, seed } from "./demo-data";
import { expect, expectNoSeriousAxeViolations, screenshot, test } from "./fixtures";

// --- demo data ----------------------------------------------------------------------------------

const CHANNEL = { id: "MKT-NORTHWIND", name: "Northwind Marketplace" } as const;
const OPEN = pool("open");
const channelOf = new Map(seed.orders.map((o) => [o.id, o.channelId]));
const subOrdersPerOrder = new Map<string, number>();
for (const s of seed.subOrders) subOrdersPerOrder.set(s.orderId, (subOrdersPerOrder.get(s.orderId) ?? 0) + 1);

/**
 * An open Northwind sub-order in a manual warehouse, alone in its order (one order-level call), from
 * a stretch of the open pool no other spec takes (they take the first ~530 and the last 60).
 */
const target = OPEN.slice(530, -60)
  .map((id) => seed.subOrders.find((s) => s.id === id))
  .filter((s) => s && channelOf.get(s.orderId) === CHANNEL.id && subOrdersPerOrder.get(s.orderId) === 1)
  .at(-1);
if (!target) throw new Error("the demo data has no open Northwind sub-order for this spec");
const SUB_ORDER = target.id;
const order = seed.orders.find((o) => o.id === target.orderId);
if (!order) throw new Error(`no order ${target.orderId}`);
/** The platform's integer order id: what it is called with. */
const CHANNEL_ORDER_ID = Number(order.channelOrderId);
const ITEMS = seed.lineItems
  .filter((l) => l.subOrderId === SUB_ORDER)
  .map((l) => ({
    id: String(l.channelItemId),
    cancelled: l.cancelled >= l.ordered,
    shipped: l.fulfilled > 0,
  }));

const REASON = { code: "SUPPLIER_RECALL", label: "Recalled by the supplier" } as const;
/** Northwind's code for it; the seed uses 1–15. */
const CHANNEL_CODE = 21;

// --- helpers ------------------------------------------------------------------------------------

/** Sets Northwind's base URL and token through its connector dialog. */
async function pointChannelAt(page: Page, baseUrl: string) {
  await page.goto("/settings/connectors");
  const row = page.getByRole("table", { name: "Channels" }).locator(`tr[data-connector-id="${CHANNEL.id}"]`);
  await row.getByRole("button", { name: `Edit ${CHANNEL.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Connector of ${CHANNEL.name}` });
  await dialog.getByLabel("Base URL").fill(baseUrl);
  await dialog.getByLabel("API token").fill(FAKE_COMMERCE_TOKEN);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText(baseUrl);
}

// --- the test -----------------------------------------------------------------------------------

let fake: FakeCommerce;

test.beforeAll(async () => {
  fake = await startFakeCommerce();
  fake.seedOrder(CHANNEL_ORDER_ID, ITEMS);
});

test.afterAll(async () => {
  await fake?.close();
});

test.use({ role: "admin", viewport: { width: 1400, height: 900 } });

test("a reason added and mapped for a channel is what the channel receives on a single cancel", async ({
  page,
}) => {
  test.setTimeout(180_000);

  // --- add the reason -----------------------------------------------------------------------------
  await page.goto("/settings");
  await page
    .getByRole("navigation", { name: "Settings sections" })
    .getByRole("link", { name: /Reasons/ })
    .click();
  await expect(page.getByRole("heading", { name: "Reasons", level: 1 })).toBeVisible();
  const add = page.getByRole("form", { name: "Add a reason" });
  await add.getByLabel("Code").fill("out_of_stock");
  await add.getByLabel("Label").fill("Out of stock again");
  await add.getByRole("button", { name: "Add reason" }).click();
  await expect(add.getByLabel("Code")).toHaveAttribute("aria-invalid", "true");
  await expect(add.getByLabel("Code")).toHaveAccessibleDescription(/OUT_OF_STOCK exists already/);

  await add.getByLabel("Code").fill(REASON.code.toLowerCase());
  await add.getByLabel("Label").fill(REASON.label);
  await expect(add.getByRole("radio", { name: "Seller" })).toBeChecked();
  await add.getByRole("button", { name: "Add reason" }).click();
  await expect(page.getByText(`Reason ${REASON.code} added.`)).toBeVisible();

  const seller = page.getByRole("table", { name: "Seller", exact: true });
  const reasonRow = seller.locator(`tr[data-reason-code="${REASON.code}"]`);
  await expect(reasonRow).toContainText(REASON.label);
  await expect(reasonRow).toContainText("Active");
  await expect(reasonRow.getByRole("link")).toHaveText([
    "No text on Harbor Club Seller Portal",
    `No code on ${CHANNEL.name}`,
  ]);
  // Automatic reasons are the system's: shown, never editable.
  const automatic = page.getByRole("table", { name: "Automatic (system only)" });
  await expect(automatic.locator('tr[data-reason-code="FILL_OR_KILL"]')).toContainText("System only");
  await expect(automatic.getByRole("button")).toHaveCount(0);

  // --- map it on the commerce channel, which needs a whole number for every active reason -----------
  await reasonRow.getByRole("link", { name: `No code on ${CHANNEL.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`channel=${CHANNEL.id}`));
  const warning = page.getByTestId("mapping-warning");
  await expect(warning).toContainText(`${CHANNEL.name} has no code for “${REASON.label}” (${REASON.code})`);
  const mapping = page.getByRole("table", { name: `Reason mapping of ${CHANNEL.name}` });
  const mappingRow = mapping.locator(`tr[data-reason-code="${REASON.code}"]`);
  const code = mappingRow.getByRole("textbox", { name: `${CHANNEL.name} code for ${REASON.label}` });
  await expect(code).toHaveValue("");
  await code.fill("recall");
  await mappingRow.getByRole("button", { name: `Save ${REASON.code}` }).click();
  await expect(code).toHaveAttribute("aria-invalid", "true");
  await expect(code).toHaveAccessibleDescription(/whole-number reason codes/);
  await code.fill(String(CHANNEL_CODE));
  await mappingRow.getByRole("button", { name: `Save ${REASON.code}` }).click();
  await expect(mappingRow).toHaveAttribute("data-mapped", "yes");
  await expect(warning).toBeHidden();
  // Northwind is done; the seller portal, which names reasons in its own words, still wants a text.
  await expect(reasonRow).not.toContainText(CHANNEL.name);
  await expect(reasonRow).toContainText("No text on Harbor Club Seller Portal");
  await expectNoSeriousAxeViolations(page);
  await screenshot(page, "settings-reasons.png");

  // --- the channel's policies sit beside its connector; a bad webhook URL is refused at its field -----
  await page.goto("/settings/connectors");
  const policies = page.getByRole("table", { name: "Channel policies" });
  await policies.getByRole("button", { name: `Edit policies of ${CHANNEL.name}` }).click();
  const policyDialog = page.getByRole("dialog", { name: `Policies of ${CHANNEL.name}` });
  await expect(policyDialog.getByRole("radio", { name: "Whole lines only" })).toBeChecked();
  await expect(policyDialog.getByRole("checkbox", { name: /is_cargo_refund/ })).toBeChecked();
  await policyDialog
    .getByLabel("Webhook URL for cancel-request decisions")
    .fill("ftp://files.example.com/hooks");
  await policyDialog.getByRole("button", { name: "Save" }).click();
  await expect(
    policyDialog.getByLabel("Webhook URL for cancel-request decisions"),
  ).toHaveAccessibleDescription(/starts with http:\/\/ or https:\/\//);
  await expectNoSeriousAxeViolations(page);
  await page.keyboard.press("Escape");
  await expect(policyDialog).toBeHidden();

  // --- point the channel at this test's fake platform (and back afterwards) ---------------------------
  const channelRow = page
    .getByRole("table", { name: "Channels" })
    .locator(`tr[data-connector-id="${CHANNEL.id}"]`);
  const demoUrl = (await channelRow.getByRole("cell").nth(2).textContent())?.trim() ?? "";
  expect(demoUrl).toMatch(/^http/);
  await pointChannelAt(page, fake.url);
  try {
    // --- a single cancel with the new reason ----------------------------------------------------------
    await page.goto("/cancellations?tab=sub-orders&type=single");
    await page.getByLabel("Sub-order ID").fill(SUB_ORDER);
    await page.getByRole("button", { name: "Look up" }).click();
    await expect(page.getByTestId("sub-order-card").getByRole("heading", { name: SUB_ORDER })).toBeVisible();
    await page.getByRole("combobox", { name: "Reason" }).click();
    await page.getByRole("option", { name: REASON.label }).click();
    await page.getByRole("button", { name: "Submit" }).click();
    await page
      .getByRole("dialog", { name: `Cancel ${SUB_ORDER}?` })
      .getByRole("button", { name: "Cancel sub-order" })
      .click();
    await expect(page.getByTestId("single-result")).toHaveAttribute("data-result", "SUCCESS");

    // --- the platform received Northwind's code for every item, as a number ---------------------------
    const calls = () =>
      fake.requests.filter(
        (r) => r.method === "POST" && r.path === `/api/i1/orders/${CHANNEL_ORDER_ID}/cancel/`,
      );
    await expect.poll(() => calls().length, { timeout: 45_000 }).toBeGreaterThan(0);
    const open = ITEMS.filter((i) => !i.cancelled && !i.shipped).map((i) => i.id);
    expect(calls()[0]?.body).toMatchObject({
      order: CHANNEL_ORDER_ID,
      reasons: Object.fromEntries(open.map((id) => [id, CHANNEL_CODE])),
    });
    expect(
      fake.orders
        .get(CHANNEL_ORDER_ID)
        ?.items.filter((i) => i.cancelled)
        .map((i) => i.id),
    ).toEqual(open);
  } finally {
    await pointChannelAt(page, demoUrl);
  }

  // --- every change is in the audit log --------------------------------------------------------------
  await page.goto("/audit?action=settings.update");
  const audit = page.getByRole("table", { name: "Audit events" });
  await expect(audit).toContainText(`reason:${REASON.code}`);
  await expect(audit).toContainText(`channel:${CHANNEL.id}`);
});
