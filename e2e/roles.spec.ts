/**
 * What each role may do on the cancellation screen, as the browser shows it: support cancels one
 * sub-order but sees no bulk upload, a viewer cannot reach the screen at all, and every cancel
 * lands in the audit log with who did it.
 */
import type { Browser, Page } from "@playwright/test";

import { pool } from "./demo-data";
import { DEMO_PASSWORD, DEMO_USERS, type DemoRole, expect, test } from "./fixtures";

// The open pool's tail: the other specs take theirs from the front.
const SUPPORT_OPEN = pool("open").at(-12) as string;

async function pageAs(browser: Browser, baseURL: string | undefined, role: DemoRole): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const signedIn = await page.request.post("/api/auth/sign-in/email", {
    headers: { origin: new URL(baseURL ?? "").origin },
    data: { email: DEMO_USERS[role].email, password: DEMO_PASSWORD },
  });
  expect(signedIn.status()).toBe(200);
  return page;
}

test("support cancels a single sub-order but sees no bulk upload, even through the URL", async ({
  browser,
  baseURL,
}) => {
  const page = await pageAs(browser, baseURL, "support");
  await page.goto("/cancellations?tab=line-items&type=multiple");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cancellations");
  await expect(page.getByRole("tab", { name: "Cancel Sub-Order Line Items" })).toHaveCount(0);
  await expect(page.getByRole("radio", { name: "Multiple Sub-Orders" })).toHaveCount(0);
  await expect(page.locator('input[type="file"]')).toHaveCount(0);
  await expect(page.getByLabel("Sub-order ID")).toBeVisible();

  // And the upload action itself refuses support, whatever the page shows.
  await page.getByLabel("Sub-order ID").fill(SUPPORT_OPEN);
  await page.getByRole("button", { name: "Look up" }).click();
  await page.getByRole("combobox", { name: "Reason" }).click();
  await page.getByRole("option", { name: "Out of stock" }).click();
  await page.getByRole("button", { name: "Submit" }).click();
  await page
    .getByRole("dialog", { name: `Cancel ${SUPPORT_OPEN}?` })
    .getByRole("button", { name: "Cancel sub-order" })
    .click();
  await expect(page.getByTestId("single-result")).toHaveAttribute("data-result", "SUCCESS");

  // The admin finds the cancel in the audit log, with its actor and outcome.
  const admin = await pageAs(browser, baseURL, "admin");
  await admin.goto(
    `/audit?${new URLSearchParams({ action: "cancellation.cancel", actor: "support@demo.test" })}`,
  );
  const rows = admin.getByRole("table", { name: "Audit events" }).locator("tbody tr[data-outcome]");
  await expect(rows.filter({ hasText: SUPPORT_OPEN })).toHaveCount(1);
  await expect(rows.filter({ hasText: SUPPORT_OPEN })).toHaveAttribute("data-outcome", "success");
});

test("a viewer cannot reach the cancellation screen, and its cancel requests are refused", async ({
  browser,
  baseURL,
}) => {
  const page = await pageAs(browser, baseURL, "viewer");
  const response = await page.goto("/cancellations");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cancellations" }),
  ).toHaveCount(0);
  // The REST API wants an API key, not a session: a viewer's cookie cancels nothing there either.
  const api = await page.request.post(`/api/v1/sub-orders/${SUPPORT_OPEN}/cancel`, {
    data: { reasonCode: "OUT_OF_STOCK" },
  });
  expect(api.status()).toBe(401);
});
