/**
 * Signed-in pages for the specs: `test.use({ role: "admin" })` and every page of the test starts
 * signed in as that demo user. Each worker signs in once per role (through better-auth's endpoint,
 * as the sign-in form does) and reuses the cookies.
 */
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, test as base, expect, type Page } from "@playwright/test";

export type DemoRole = "admin" | "ops" | "support" | "viewer";

export const DEMO_PASSWORD = "demo-password-1";

export const DEMO_USERS: Record<DemoRole, { email: string; name: string; roleLabel: string }> = {
  admin: { email: "admin@demo.test", name: "Ada Admin", roleLabel: "Admin" },
  ops: { email: "ops@demo.test", name: "Oscar Ops", roleLabel: "Ops" },
  support: { email: "support@demo.test", name: "Sam Support", roleLabel: "Support" },
  viewer: { email: "viewer@demo.test", name: "Vera Viewer", roleLabel: "Viewer" },
};

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;

const states = new Map<string, Promise<StorageState>>();

async function signedInState(browser: Browser, baseURL: string, role: DemoRole): Promise<StorageState> {
  const context = await browser.newContext({ baseURL });
  try {
    const response = await context.request.post("/api/auth/sign-in/email", {
      headers: { origin: new URL(baseURL).origin },
      data: { email: DEMO_USERS[role].email, password: DEMO_PASSWORD },
    });
    expect(response.status(), `signing in as ${role}`).toBe(200);
    return await context.storageState();
  } finally {
    await context.close();
  }
}

/** Signs in through the form, as a person would. */
export async function signInWithForm(page: Page, role: DemoRole, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(DEMO_USERS[role].email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export const test = base.extend<{ role: DemoRole | null }>({
  role: [null, { option: true }],
  storageState: async ({ role, storageState, browser, baseURL }, use) => {
    if (!role) {
      await use(storageState);
      return;
    }
    if (!baseURL) throw new Error("baseURL is not configured");
    const key = `${baseURL}|${role}`;
    if (!states.has(key)) states.set(key, signedInState(browser, baseURL, role));
    await use(await (states.get(key) as Promise<StorageState>));
  },
});

export { expect };

/** axe-core on the page as it stands: no serious or critical violation. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** The README's screenshots, written only when UPDATE_SCREENSHOTS=1. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== "1") return;
  await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" });
  await page.screenshot({ path: `e2e/screenshots/${name}`, fullPage: false });
}
