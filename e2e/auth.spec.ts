/**
 * Nobody cancels without being known and allowed: the sign-in gate, each role's view of the app,
 * the audit of every sign-in, and server actions refusing forged and replayed requests.
 */
import type { Browser, Page, Request } from "@playwright/test";

import { DEMO_USERS, type DemoRole, expect, signInWithForm, test } from "./fixtures";

const ALL_SCREENS = [
  "Cancellations",
  "Orders",
  "Batches",
  "Cancel requests",
  "Sync",
  "Settings",
  "Audit log",
];
const SIDEBAR: Record<DemoRole, string[]> = {
  admin: ALL_SCREENS,
  ops: ["Cancellations", "Orders", "Batches", "Cancel requests", "Sync"],
  support: ["Cancellations", "Orders", "Batches", "Cancel requests", "Sync"],
  viewer: ["Orders", "Batches", "Cancel requests", "Sync"],
};

/** A fresh browser with no cookies (`browser.newContext` would otherwise inherit the test's sign-in). */
async function anonymousPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

/** The audit log filtered in the URL, as an admin would bookmark it. */
async function auditRows(page: Page, filters: Record<string, string>) {
  await page.goto(`/audit?${new URLSearchParams(filters)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
  return page.getByRole("table", { name: "Audit events" }).locator("tbody tr[data-outcome]");
}

test("a signed-out visitor is sent to sign-in, without the app's sidebar, and comes back afterwards", async ({
  page,
}) => {
  await page.goto("/cancellations");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcancellations$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  // API routes answer for themselves: 401, not a redirect.
  expect((await page.request.get("/api/audit/export")).status()).toBe(401);

  await signInWithForm(page, "ops");
  await expect(page).toHaveURL(/\/cancellations$/);
  await expect(page.getByTestId("user-role")).toHaveText(/Ops/);
});

test("each demo role signs in through the form, sees its role and only the screens it may use; every sign-in is audited", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(90_000); // four sign-ins through the form and the audit log: slow on a busy machine
  const started = new Date();
  for (const role of ["viewer", "support", "ops", "admin"] as const) {
    const page = await anonymousPage(browser, baseURL);
    await page.goto("/orders");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Forders$/);
    await signInWithForm(page, role);
    await expect(page).toHaveURL(/\/orders$/);
    const menu = page.getByRole("region", { name: "Signed-in user" });
    await expect(menu.getByTestId("user-name")).toHaveText(DEMO_USERS[role].name);
    await expect(menu.getByTestId("user-role")).toHaveText(new RegExp(DEMO_USERS[role].roleLabel));
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(SIDEBAR[role]);

    if (role === "viewer") {
      // A screen the role may not use is refused even when typed into the address bar.
      const response = await page.goto("/audit");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
      await page.goBack();
    }

    if (role !== "admin") {
      await menu.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/sign-in$/);
      await page.goto("/orders");
      await expect(page).toHaveURL(/\/sign-in\?next=%2Forders$/);
      await page.context().close();
      continue;
    }

    // The admin reads the audit log: one successful sign-in per role since the test began.
    for (const each of Object.keys(DEMO_USERS) as DemoRole[]) {
      const rows = await auditRows(page, {
        action: "auth.sign_in",
        outcome: "success",
        actor: DEMO_USERS[each].email,
        from: started.toISOString().slice(0, 10),
      });
      await expect(rows.first()).toContainText(DEMO_USERS[each].email);
      await expect(rows.first()).toContainText("127.0.0.1");
    }
    const signOuts = await auditRows(page, { action: "auth.sign_out", actor: "viewer@demo.test" });
    await expect(signOuts.first()).toContainText("viewer@demo.test");
    await page.context().close();
  }
});

test.describe("as an admin", () => {
  test.use({ role: "admin" });

  test("a wrong password shows a clear error tied to the form and is audited as a failed sign-in", async ({
    page,
    browser,
    baseURL,
  }) => {
    const visitor = await anonymousPage(browser, baseURL);
    await visitor.goto("/sign-in");
    await signInWithForm(visitor, "support", "not-the-right-password");
    const alert = visitor.getByRole("alert").filter({ hasText: "not right" });
    await expect(alert).toHaveText("The email or password is not right. Check both and try again.");
    await expect(alert).toHaveAttribute("id", /.+/);
    await expect(visitor).toHaveURL(/\/sign-in$/);
    const password = visitor.getByLabel("Password");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    const describedBy = await password.getAttribute("aria-describedby");
    expect(describedBy).toBe(await alert.getAttribute("id"));
    await visitor.context().close();

    const rows = await auditRows(page, {
      action: "auth.sign_in",
      outcome: "failure",
      actor: "support@demo.test",
    });
    await expect(rows.first()).toContainText("support@demo.test");
    await expect(rows.first()).toContainText("anonymous");
    await expect(rows.first()).toContainText("INVALID_EMAIL_OR_PASSWORD");

    // The same view as CSV, for the admin only.
    const csv = await page.request.get(
      "/api/audit/export?action=auth.sign_in&outcome=failure&actor=support%40demo.test",
    );
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("support@demo.test");
  });

  test("a server action request forged from another origin, or replayed without a live session, is refused", async ({
    page,
    browser,
    baseURL,
    playwright,
  }) => {
    // A separate admin session, so that signing it out leaves the fixture's session alone.
    const own = await anonymousPage(browser, baseURL);
    await own.goto("/sign-in?next=%2Fsettings%2Fapi-keys");
    await signInWithForm(own, "admin");
    await expect(own).toHaveURL(/\/settings\/api-keys$/);

    const name = `e2e replay ${Date.now()}`;
    const captured = own.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
    await own.getByLabel("Name").fill(name);
    await own.getByRole("button", { name: "Create key" }).click();
    const action: Request = await captured;
    await expect(own.getByRole("status").filter({ hasText: "copy it now" })).toBeVisible();

    const keyRows = async () => {
      await page.goto("/settings/api-keys");
      return page.getByRole("row").filter({ hasText: name }).count();
    };
    expect(await keyRows()).toBe(1);

    const replay = (origin: string, cookie?: string) => {
      const source = action.headers();
      const headers: Record<string, string> = {
        "next-action": source["next-action"] ?? "",
        "next-router-state-tree": source["next-router-state-tree"] ?? "",
        "content-type": source["content-type"] ?? "text/plain;charset=UTF-8",
        accept: "text/x-component",
        origin,
      };
      if (cookie !== undefined) headers.cookie = cookie;
      return { url: action.url(), headers, data: action.postData() ?? "" };
    };
    const appOrigin = new URL(baseURL ?? "").origin;
    const sessionCookie = (await own.context().cookies())
      .filter((c) => c.name.endsWith("session_token"))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    expect(sessionCookie).not.toBe("");
    const api = await playwright.request.newContext();

    // Forged: the admin's own live session, sent from another origin. The proxy compares Origin with
    // Host and refuses it as the 403 it is (Next's own check would answer 500).
    const forged = replay("https://evil.example", sessionCookie);
    const forgedResponse = await api.post(forged.url, { headers: forged.headers, data: forged.data });
    expect(forgedResponse.status()).toBe(403);
    expect(await forgedResponse.text()).not.toContain("oms_");
    expect(await keyRows()).toBe(1);

    // The control: the very same request from the app's origin goes through (a second key).
    const genuine = replay(appOrigin, sessionCookie);
    const genuineResponse = await api.post(genuine.url, { headers: genuine.headers, data: genuine.data });
    expect(genuineResponse.status()).toBe(200);
    expect(await genuineResponse.text()).toContain("oms_");
    expect(await keyRows()).toBe(2);

    // Replayed after sign-out with the old cookie, and with no cookie at all: the action refuses.
    await own
      .getByRole("region", { name: "Signed-in user" })
      .getByRole("button", { name: "Sign out" })
      .click();
    await expect(own).toHaveURL(/\/sign-in$/);
    for (const cookie of [sessionCookie, undefined]) {
      const stale = replay(appOrigin, cookie);
      const response = await api.post(stale.url, { headers: stale.headers, data: stale.data });
      const body = await response.text();
      expect(body).toContain("UNAUTHENTICATED");
      expect(body).not.toContain("oms_");
    }
    expect(await keyRows()).toBe(2);

    // Every attempt that reached the action is in the audit log: two keys made, no more.
    const created = await auditRows(page, { action: "api_key.create", actor: "admin@demo.test" });
    await expect(created.filter({ hasText: name })).toHaveCount(2);
    await api.dispose();
    await own.context().close();
  });
});
