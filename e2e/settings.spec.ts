/**
 * Every settings page an admin uses, as it stands on the demo data: it opens, axe finds nothing
 * serious, and (with UPDATE_SCREENSHOTS=1) the README's screenshot is taken.
 */
import { expect, expectNoSeriousAxeViolations, screenshot, test } from "./fixtures";

test.use({ role: "admin" });

for (const { path, heading, file } of [
  { path: "/settings/users", heading: "Users", file: "settings-users.png" },
  { path: "/settings/connectors", heading: "Connectors", file: "settings-connectors.png" },
  { path: "/settings/system", heading: "System", file: "settings-system.png" },
  { path: "/settings/api-keys", heading: "API keys", file: "settings-api-keys.png" },
]) {
  test(`${path} opens and passes axe`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await screenshot(page, file);
  });
}

test("the API reference page renders the generated document from this server", async ({ page }) => {
  await page.goto("/settings/api-keys");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/api\/docs$/);
  await expect(page.getByText("Order cancellation panel API").first()).toBeVisible({ timeout: 20_000 });
});
