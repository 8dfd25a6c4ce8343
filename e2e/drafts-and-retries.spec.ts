/**
 * A loaded file whose reason changes stays one draft (no second upload), and "Retry failed rows"
 * after a run the warehouse could not take: the failed rows run again as a new, linked batch.
 */
import type { Page } from "@playwright/test";

import { pool, wmsPool } from "./demo-data";
import { expect, test } from "./fixtures";

const DRAFT_ROWS = pool("open").slice(520, 523);
const OUTAGE_ROWS = wmsPool().slice(40, 44);

async function chooseReason(page: Page, label: string) {
  await page.getByRole("combobox", { name: "Reason" }).click();
  await page.getByRole("option", { name: label }).click();
}

const csvFile = (name: string, text: string) => ({
  name,
  mimeType: "text/csv",
  buffer: Buffer.from(text, "utf8"),
});

test.use({ viewport: { width: 1280, height: 800 } });

test.describe("as ops", () => {
  test.use({ role: "ops" });

  test("changing the reason of a loaded file changes its draft in place: one batch, a fresh dry run", async ({
    page,
  }) => {
    expect(DRAFT_ROWS).toHaveLength(3);
    const fileName = `draft-edit-${Date.now()}.csv`;
    await page.goto("/cancellations?tab=sub-orders&type=multiple");
    await chooseReason(page, "Out of stock");
    await page
      .getByLabel("Upload sub-order CSV")
      .setInputFiles(csvFile(fileName, `Sub Order ID\n${DRAFT_ROWS.join("\n")}\n`));
    await expect(page.getByText("3 will cancel")).toBeVisible({ timeout: 30_000 });
    const batchId = new URL(page.url()).searchParams.get("batch");
    expect(batchId).toMatch(/^[0-9a-f-]{36}$/);

    await chooseReason(page, "Pricing error on the listing");
    await expect(page.getByText("3 will cancel")).toBeVisible({ timeout: 30_000 });
    await page.getByRole("radio", { name: "Unfulfilled units only" }).check();
    await expect(page.getByText("3 will cancel")).toBeVisible({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get("batch")).toBe(batchId);

    await page.goto("/batches");
    await expect(page.getByRole("link", { name: fileName })).toHaveCount(1);
    await page.getByRole("link", { name: fileName }).click();
    await expect(page.getByText("Pricing error on the listing")).toBeVisible();
    await expect(page.getByText(/Unfulfilled/i).first()).toBeVisible();
  });
});

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("Retry failed rows after a run the warehouse could not take", async ({ page }) => {
    test.setTimeout(120_000);
    expect(OUTAGE_ROWS).toHaveLength(4);
    const warehouse = page
      .getByRole("table", { name: "Warehouses" })
      .locator('tr[data-connector-id="WH-3PL-TGR04"]');
    const setEnabled = async (enabled: boolean) => {
      await page.goto("/settings/connectors");
      await warehouse.getByRole("button", { name: /^Edit / }).click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("checkbox", { name: "Enabled" }).setChecked(enabled);
      await dialog.getByRole("button", { name: "Save" }).click();
      await expect(dialog).toBeHidden();
    };

    // The 3PL warehouse's connector is switched off: nothing can reach its WMS.
    await setEnabled(false);
    try {
      await page.goto("/cancellations?tab=sub-orders&type=multiple");
      await chooseReason(page, "Out of stock");
      await page
        .getByLabel("Upload sub-order CSV")
        .setInputFiles(csvFile(`outage-${Date.now()}.csv`, `Sub Order ID\n${OUTAGE_ROWS.join("\n")}\n`));
      const start = page.getByRole("button", { name: "Start Cancellation" });
      await expect(start).toBeEnabled({ timeout: 30_000 });
      await start.click();
      // Never sent anywhere, the rows fail once the warehouse has been unreachable long enough
      // (WAREHOUSE_UNREACHABLE_FAIL_AFTER_SECONDS in the e2e server), their units released.
      await expect(page.getByText(/could not be cancelled/)).toBeVisible({ timeout: 60_000 });
    } finally {
      await setEnabled(true);
    }

    await page.goto("/batches");
    await page
      .getByRole("link", { name: /^outage-/ })
      .first()
      .click();
    await expect(page.getByText("could not be reached").first()).toBeVisible();
    await page.getByRole("button", { name: "Retry failed rows (4)" }).click();
    // The retry is a new batch, linked to its parent, run at once with the warehouse back.
    await expect(page.getByText("Retry of")).toBeVisible({ timeout: 15_000 });
    await expect(
      page.getByRole("region", { name: "Progress" }).getByText("Finished", { exact: true }),
    ).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByRole("link", { name: /Succeeded/ })).toContainText("4");
    await expect(page.getByRole("link", { name: /Failed/ })).toContainText("0");
  });
});
