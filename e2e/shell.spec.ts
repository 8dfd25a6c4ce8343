import { expect, test } from "./fixtures";

// The shell as an admin sees it: every sidebar entry (e2e/auth.spec.ts covers the other roles).
test.use({ role: "admin" });

/** The sidebar in order: link text, URL path and the page's h1. */
const SCREENS = [
  { label: "Cancellations", path: "/cancellations", heading: "Cancellations" },
  { label: "Orders", path: "/orders", heading: "Orders" },
  { label: "Batches", path: "/batches", heading: "Batches" },
  { label: "Cancel requests", path: "/cancel-requests", heading: "Cancel requests" },
  { label: "Sync", path: "/sync", heading: "Sync" },
  { label: "Settings", path: "/settings", heading: "Settings" },
  { label: "Audit log", path: "/audit", heading: "Audit log" },
] as const;

function urlEndingWith(path: string): RegExp {
  return new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
}

test("the root redirects to Cancellations", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(urlEndingWith("/cancellations"));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cancellations");
});

test("every sidebar entry opens its screen and is marked as the current page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(urlEndingWith("/cancellations"));

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(SCREENS.map((s) => s.label));

  for (const screen of SCREENS) {
    const link = nav.getByRole("link", { name: screen.label, exact: true });
    await link.click();

    await expect(page).toHaveURL(urlEndingWith(screen.path));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(screen.heading);
    await expect(link).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  }
});

test("a keyboard user reaches the skip link, then the first nav link, and can skip to the content", async ({
  page,
}) => {
  await page.goto("/cancellations");
  const skipLink = page.getByRole("link", { name: "Skip to content" });
  const firstNavLink = page.getByRole("navigation", { name: "Main" }).getByRole("link").first();

  await page.keyboard.press("Tab");
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeInViewport();

  await page.keyboard.press("Tab");
  await expect(firstNavLink).toBeFocused();
  await expect(firstNavLink).toHaveText("Cancellations");

  await page.keyboard.press("Shift+Tab");
  await expect(skipLink).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main-content")).toBeFocused();
});

test("an unknown address shows the not-found page inside the shell", async ({ page }) => {
  const response = await page.goto("/no-such-screen");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
});
