/**
 * Settings → Users in the browser: an admin invites a user, the one-time link is opened in another
 * browser, the password is set and the user signs in with the role given; the link works once; a
 * disabled user's open session is refused on its next request; the last admin cannot be demoted.
 */
import { expect, expectNoSeriousAxeViolations, test } from "./fixtures";

test.use({ role: "admin" });

const PASSWORD = "invited-user-password-1";

test("an invited user sets a password from the link, signs in with their role, and is signed out when disabled", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `invitee-${Date.now()}@example.test`;
  await page.goto("/settings");
  await page.getByRole("link", { name: /^Users/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Users");

  const invite = page.getByRole("form", { name: "Invite a user" });
  await invite.getByLabel("Name").fill("Ivy Invitee");
  await invite.getByLabel("Email").fill("not-an-email");
  await invite.getByRole("button", { name: "Invite" }).click();
  const emailInput = invite.getByLabel("Email");
  await expect(emailInput).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(`[id="${await emailInput.getAttribute("aria-describedby")}"]`)).toContainText(
    "Enter an email address",
  );
  // The refused form kept what was typed.
  await expect(invite.getByLabel("Name")).toHaveValue("Ivy Invitee");

  await emailInput.fill(email);
  await invite.getByLabel("Role").selectOption("support");
  await invite.getByRole("button", { name: "Invite" }).click();
  const link = await page.getByLabel("One-time link").inputValue();
  expect(link).toMatch(/\/invite\/[\w-]{43}$/);
  const row = page.locator(`tr[data-user-email="${email}"]`);
  await expect(row).toHaveAttribute("data-state", "invited");
  await expectNoSeriousAxeViolations(page);

  // The link, in a browser nobody is signed in to.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Welcome, set your password");
  await invitee.getByLabel("New password").fill(PASSWORD);
  await invitee.getByLabel("Repeat the password").fill(`${PASSWORD}x`);
  await invitee.getByRole("button", { name: "Set password" }).click();
  const repeat = invitee.getByLabel("Repeat the password");
  await expect(repeat).toHaveAttribute("aria-invalid", "true");
  await expect(invitee.locator(`[id="${await repeat.getAttribute("aria-describedby")}"]`)).toHaveText(
    "The two passwords differ.",
  );
  await expectNoSeriousAxeViolations(invitee);
  await invitee.getByLabel("Repeat the password").fill(PASSWORD);
  await invitee.getByLabel("Repeat the password").press("Enter");
  await expect(invitee.getByText("Your password is set")).toBeVisible();

  await invitee.getByRole("link", { name: "Go to sign-in" }).click();
  await invitee.getByLabel("Email").fill(email);
  await invitee.getByLabel("Password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee.getByTestId("user-role")).toHaveText(/Support/);

  // The link works once.
  await invitee.goto(link);
  await expect(invitee.getByTestId("link-problem")).toHaveAttribute("data-state", "used");

  // Disabled: the session the invitee holds is refused on its next request.
  await invitee.goto("/orders");
  await expect(invitee.getByRole("heading", { level: 1 })).toHaveText("Orders");
  await page.reload();
  await expect(row).toHaveAttribute("data-state", "active");
  await row.getByRole("button", { name: "Disable Ivy Invitee" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable user" }).click();
  await expect(row).toHaveAttribute("data-state", "disabled");
  await invitee.goto("/orders");
  await expect(invitee).toHaveURL(/\/sign-in/);
  await context.close();
});

test("the last admin cannot be demoted", async ({ page }) => {
  await page.goto("/settings/users");
  const row = page.locator('tr[data-user-email="admin@demo.test"]');
  const role = row.getByLabel("Role of Ada Admin");
  await role.selectOption("viewer");
  await row.getByRole("button", { name: "Save role of Ada Admin" }).click();
  await expect(row.getByRole("alert")).toContainText("last active admin");
  await expect(role).toHaveAttribute("aria-describedby", /.+/);
  await page.reload();
  await expect(row.getByLabel("Role of Ada Admin")).toHaveValue("admin");
  await expect(page.getByTestId("user-role")).toHaveText(/Admin/);
});
