/**
 * The Sync screen and the connector settings end to end, against a production build on a fresh
 * demo database: an admin points the DROP-ACME channel at a fake dropship server that this test
 * process runs and controls; ops cancel one of its sub-orders while the fake is down, see the
 * notification dead-lettered with the connection error, bring the fake back, press Retry now, and
 * see it delivered, exactly once for its ledger id.
 */

import type { Browser, Page } from "@playwright/test";

import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "@/dev/fakes/dropship";

import { pool, seed } from "./demo-data";
import { DEMO_PASSWORD, DEMO_USERS, type DemoRole, expect, test } from "./fixtures";

// --- demo data ----------------------------------------------------------------------------------

const openPool = new Set(pool("open"));
const channelOf = new Map(seed.orders.map((o) => [o.id, o.channelId]));
const channelOrderNoOf = new Map(seed.orders.map((o) => [o.id, o.channelOrderNo]));
const subOrdersPerOrder = new Map<string, number>();
for (const s of seed.subOrders) subOrdersPerOrder.set(s.orderId, (subOrdersPerOrder.get(s.orderId) ?? 0) + 1);

/**
 * An open DROP-ACME sub-order in a manual warehouse (no WMS to ask first), alone in its order (so
 * the channel is told with one order-level call keyed by the ledger id), not a fixture, not in a
 * sample file. The last one: other specs take theirs from the front of the open pool.
 */
const candidates = seed.subOrders.filter(
  (s) =>
    openPool.has(s.id) && channelOf.get(s.orderId) === "DROP-ACME" && subOrdersPerOrder.get(s.orderId) === 1,
);
const target = candidates.at(-1);
if (!target) throw new Error("the demo data has no open DROP-ACME sub-order in a manual warehouse");
const SUB_ORDER = target.id;
const CHANNEL_ORDER_NO = channelOrderNoOf.get(target.orderId) as string;
/** The dropship API's own id of the order: what the channel is called with. */
const CHANNEL_ORDER_ID = seed.orders.find((o) => o.id === target.orderId)?.channelOrderId as string;

// --- helpers ------------------------------------------------------------------------------------

const VIEWPORT = { width: 1400, height: 900 };

/** A page of its own, signed in as `role` (this test plays several people). */
async function signedInPage(browser: Browser, baseURL: string, role: DemoRole): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
  const response = await context.request.post("/api/auth/sign-in/email", {
    headers: { origin: new URL(baseURL).origin },
    data: { email: DEMO_USERS[role].email, password: DEMO_PASSWORD },
  });
  expect(response.status(), `signing in as ${role}`).toBe(200);
  return context.newPage();
}

/** The Sync screen's row of our sub-order, reloaded until it is in `state` (the dispatcher is in the background). */
async function waitForState(page: Page, state: string) {
  const row = page.locator(`tr[data-sub-order="${SUB_ORDER}"]`);
  await expect(async () => {
    await page.goto(`/sync?q=${SUB_ORDER}`);
    await expect(row).toHaveAttribute("data-state", state, { timeout: 1_000 });
  }).toPass({ timeout: 45_000 });
  return row;
}

// --- the test -----------------------------------------------------------------------------------

let fake: FakeDropship;

test.beforeAll(async () => {
  fake = await startFakeDropship();
  // The channel knows the order it sent us, with its items as the seed has them.
  fake.seedOrder(
    CHANNEL_ORDER_ID,
    seed.lineItems
      .filter((l) => l.subOrderId === SUB_ORDER)
      .map((l) => ({
        _id: l.channelItemId,
        quantity: l.ordered - l.cancelled,
        fulfilledQuantity: l.fulfilled,
      })),
  );
});

test.afterAll(async () => {
  await fake?.close();
});

test.use({ role: "admin", viewport: VIEWPORT });

test("a dead-lettered notification is shown on Sync and Retry now delivers it once the channel is back", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  if (!baseURL) throw new Error("baseURL is not configured");

  // --- admin: point DROP-ACME at the fake, one try only -----------------------------------------
  await page.goto("/settings/connectors");
  await expect(page.getByRole("heading", { name: "Connectors", level: 1 })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Settings", exact: true })).toHaveAttribute(
    "href",
    "/settings",
  );
  const channelRow = page
    .getByRole("table", { name: "Channels" })
    .locator('tr[data-connector-id="DROP-ACME"]');
  await expect(channelRow).toContainText("Dropship API");
  await channelRow.getByRole("button", { name: "Edit Acme Dropship" }).click();
  const dialog = page.getByRole("dialog", { name: "Connector of Acme Dropship" });
  await expect(dialog.getByLabel("Connector type")).toHaveValue("dropship");
  // The stored token is never sent back: the field is empty and says one is stored.
  await expect(dialog.getByLabel("API token")).toHaveValue("");

  // Refused values: errors tied to their inputs, what was typed kept.
  await dialog.getByLabel("Base URL").fill("ftp://files.example.com");
  await dialog.getByLabel("Max attempts").fill("0");
  await dialog.getByRole("button", { name: "Save" }).click();
  const baseUrl = dialog.getByLabel("Base URL");
  await expect(baseUrl).toHaveAttribute("aria-invalid", "true");
  await expect(baseUrl).toHaveAccessibleDescription(/starts with http:\/\/ or https:\/\//);
  await expect(baseUrl).toHaveValue("ftp://files.example.com");
  await expect(dialog.getByLabel("Max attempts")).toHaveAccessibleDescription(/between 1 and 50/);

  await baseUrl.fill(fake.url);
  await dialog.getByLabel("API token").fill(FAKE_DROPSHIP_TOKEN);
  await dialog.getByLabel("Timeout (ms)").fill("2000");
  await dialog.getByLabel("Max attempts").fill("1");
  await expect(dialog.getByRole("checkbox", { name: "Enabled" })).toBeChecked();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(channelRow).toContainText(fake.url);
  await expect(channelRow).toContainText("2,000 ms");
  await expect(channelRow.getByRole("cell").nth(5)).toHaveText("1");
  await expect(channelRow).toContainText("Set");
  expect(await page.content()).not.toContain(FAKE_DROPSHIP_TOKEN);

  // --- ops: cancel one DROP-ACME sub-order while the channel is down ------------------------------
  fake.setMode("down");
  const ops = await signedInPage(browser, baseURL, "ops");
  await ops.goto("/cancellations?tab=sub-orders&type=single");
  await ops.getByLabel("Sub-order ID").fill(SUB_ORDER);
  await ops.getByRole("button", { name: "Look up" }).click();
  await expect(ops.getByTestId("sub-order-card").getByRole("heading", { name: SUB_ORDER })).toBeVisible();
  await ops.getByRole("combobox", { name: "Reason" }).click();
  await ops.getByRole("option", { name: "Customer changed their mind" }).click();
  await ops.getByRole("button", { name: "Submit" }).click();
  await ops
    .getByRole("dialog", { name: `Cancel ${SUB_ORDER}?` })
    .getByRole("button", { name: "Cancel sub-order" })
    .click();
  await expect(ops.getByTestId("single-result")).toHaveAttribute("data-result", "SUCCESS");

  // --- ops: Sync shows it dead with the connection error -----------------------------------------
  const row = await waitForState(ops, "dead");
  await expect(row.getByRole("cell").nth(0)).toContainText(SUB_ORDER);
  await expect(row.getByRole("cell").nth(0)).toContainText(CHANNEL_ORDER_NO);
  await expect(row.getByRole("cell").nth(1)).toHaveText("Acme Dropship");
  await expect(row.getByRole("cell").nth(2)).toHaveText("Dead");
  await expect(row.getByRole("cell").nth(3)).toHaveText("1 of 1");
  await expect(row.getByRole("cell").nth(4)).toContainText(/Dropship API did not answer: connection/);
  await expect(
    ops.getByRole("navigation", { name: "Filter by state" }).getByRole("link", { name: /Dead/ }),
  ).toContainText("1");
  const ledgerId = await row.getAttribute("data-cancellation-id");
  if (!ledgerId) throw new Error("the row names no ledger entry");
  const keyed = () => fake.requests.filter((r) => r.headers["idempotency-key"] === ledgerId);
  expect(keyed().length, "the channel was tried while it was down").toBeGreaterThanOrEqual(1);

  // A viewer sees the same entry but may not retry it.
  const viewer = await signedInPage(browser, baseURL, "viewer");
  await viewer.goto(`/sync?q=${SUB_ORDER}`);
  await expect(viewer.locator(`tr[data-sub-order="${SUB_ORDER}"]`)).toHaveAttribute("data-state", "dead");
  await expect(viewer.getByRole("button", { name: /Retry now/ })).toHaveCount(0);
  await viewer.context().close();

  // --- the channel is back: Retry now delivers it ------------------------------------------------
  fake.setMode("ok");
  const sentBefore = keyed().length;
  await row.getByRole("button", { name: `Retry now for ${SUB_ORDER}` }).click();
  await expect(ops.getByText(`Retrying ${SUB_ORDER} now.`)).toBeVisible();
  const delivered = await waitForState(ops, "delivered");
  await expect(delivered.getByRole("cell").nth(2)).toHaveText("Delivered");
  await expect(delivered.getByRole("cell").nth(4)).toHaveText("—");
  await expect(delivered.getByRole("cell").nth(7)).toContainText("UTC");
  await expect(delivered.getByRole("button", { name: /Retry now/ })).toHaveCount(0);

  // Exactly one delivery for this ledger id once the channel was back, and the channel has it.
  const afterRecovery = keyed().slice(sentBefore);
  expect(afterRecovery.map((r) => [r.method, r.path])).toEqual([
    ["POST", `/orders/${encodeURIComponent(CHANNEL_ORDER_ID)}/cancel`],
  ]);
  expect(fake.orders.get(CHANNEL_ORDER_ID)?.hasCancellations).toBe(true);
  await ops.context().close();

  // --- admin: both changes are in the audit log, without the token -------------------------------
  await page.goto("/audit?action=sync.retry");
  await expect(page.getByRole("table", { name: "Audit events" })).toContainText(ledgerId);
  await page.goto("/audit?action=settings.connector.updated");
  const audit = page.getByRole("table", { name: "Audit events" });
  await expect(audit).toContainText("channel:DROP-ACME");
  await expect(audit).not.toContainText(FAKE_DROPSHIP_TOKEN);
});
