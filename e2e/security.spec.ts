import { expect, test } from "./fixtures";

/**
 * What every response carries, and what the REST API does with hostile addresses and bodies, as
 * seen from outside against the production build.
 */
test.use({ role: "admin" });

test("every response carries the security headers, and the screens run under the CSP without a violation", async ({
  page,
  request,
}) => {
  for (const path of ["/api/health", "/sign-in", "/samples/sub-orders.csv"]) {
    const response = await request.get(path);
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
  }

  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  for (const path of [
    "/cancellations",
    "/cancellations?tab=line-items",
    "/batches",
    "/sync",
    "/settings",
    "/audit",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test("hostile REST input gets a 4xx naming the problem, never a 500", async ({ page, request }) => {
  // An API key made in Settings, as an integrator would.
  await page.goto("/settings/api-keys");
  await page.getByLabel("Name").fill("e2e hostile input");
  await page.getByLabel("cancel", { exact: true }).check();
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = await page.getByLabel("New API key").inputValue();
  const auth = { authorization: `Bearer ${secret}` };
  const json = { ...auth, "content-type": "application/json" };

  const nul = await request.get("/api/v1/sub-orders/SO%00X", { headers: auth });
  expect(nul.status()).toBe(400);
  expect(await nul.json()).toMatchObject({ code: "INVALID_INPUT", detail: expect.stringContaining("id:") });

  const malformed = await request.post("/api/v1/sub-orders/SO%ZZ/cancel", {
    headers: json,
    data: { reasonCode: "X" },
  });
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toMatchObject({ detail: expect.stringContaining("percent-encoding") });

  const nulReason = await request.post("/api/v1/sub-orders/SO-000001-1/cancel", {
    headers: json,
    data: '{"reasonCode":"OUT\\u0000"}',
  });
  expect(nulReason.status()).toBe(400);
  expect(await nulReason.json()).toMatchObject({ detail: expect.stringContaining("reasonCode:") });

  const notJson = await request.post("/api/v1/sub-orders/SO-000001-1/cancel", {
    headers: { ...auth, "content-type": "text/plain" },
    data: "{}",
  });
  expect(notJson.status()).toBe(415);

  const huge = await request.post("/api/v1/sub-orders/SO-000001-1/cancel", {
    headers: json,
    data: `{"reasonCode":"${"x".repeat(2_000_000)}"}`,
  });
  expect(huge.status()).toBe(413);
});
