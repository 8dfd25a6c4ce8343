import { spawn } from "node:child_process";
import path from "node:path";
import { chromium } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "@/db/seed-users";
import { ensureProductionBuild } from "./harness";

const PORT = 3210;
const BASE_URL = `http://127.0.0.1:${PORT}`;

async function waitForHealth(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await fetch(`${BASE_URL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("the app did not start");
}

/**
 * CSV preview in Chromium: a 100,000-row file from the file input to a rendered, validated,
 * scrollable table, beside papaparse parsing the same text alone in the same page. Runs the
 * production build (made first if missing) on a fresh embedded database.
 */
export async function benchCsvPreview(
  rows: number,
  log: (message: string) => void,
): Promise<{ previewMs: number; parseMs: number; scrolledMs: number }> {
  ensureProductionBuild(log);
  const env: NodeJS.ProcessEnv = { ...process.env, E2E_PORT: String(PORT) };
  delete env.DATABASE_URL;
  const server = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    env,
    stdio: "ignore",
    detached: true,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  try {
    await waitForHealth(Date.now() + 120_000);
    const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1280, height: 800 } });
    const signedIn = await context.request.post("/api/auth/sign-in/email", {
      headers: { origin: BASE_URL },
      data: { email: DEMO_USERS.find((u) => u.role === "ops")?.email, password: DEMO_PASSWORD },
    });
    if (!signedIn.ok()) throw new Error(`sign-in failed: ${signedIn.status()}`);
    const page = await context.newPage();
    await page.goto("/cancellations?tab=sub-orders&type=multiple");
    const text = `Sub Order ID\n${Array.from({ length: rows }, (_, i) => `SO-${String(i + 1).padStart(6, "0")}-1`).join("\n")}\n`;
    const input = page.getByRole("region", { name: "Sub-order file" }).locator('input[type="file"]');

    const started = performance.now();
    await input.setInputFiles({ name: "bench.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
    await page
      .waitForFunction(
        (n) =>
          // The screen groups digits in its own locale (1,00,000): compare the digits only.
          document
            .querySelector('[data-testid="row-counts"]')
            ?.textContent?.split(" ")[0]
            ?.replace(/\D/g, "") === String(n) && document.querySelector('tr[data-seq="1"]') !== null,
        rows,
        { polling: "raf", timeout: 60_000 },
      )
      .catch(async (error: unknown) => {
        await page.screenshot({ path: path.join("bench", "results", "csv-preview-failure.png") });
        throw error;
      });
    const previewMs = performance.now() - started;

    // Scrollable: the last row renders when scrolled to the bottom.
    const scrollStarted = performance.now();
    await page.getByRole("region", { name: /scrollable$/ }).evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.locator(`tr[data-seq="${rows}"]`).waitFor({ timeout: 30_000 });
    const scrolledMs = performance.now() - scrollStarted;

    await page.addScriptTag({ path: path.join("node_modules", "papaparse", "papaparse.min.js") });
    const parseMs = await page.evaluate((csv) => {
      const papa = (globalThis as unknown as { Papa: { parse: (text: string, options: object) => unknown } })
        .Papa;
      const t = performance.now();
      papa.parse(csv, { skipEmptyLines: true });
      return performance.now() - t;
    }, text);
    return { previewMs, parseMs, scrolledMs };
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  }
}
