// `npm test`: every suite, in the order that fails fastest. Stops at the first failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  console.error(`\nChromium is missing (${chromium}); the browser tests need it. Install it with:\n`);
  console.error("    sudo apt-get update && sudo apt-get install -y chromium\n");
  process.exit(1);
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const withoutDatabaseUrl = { ...env };
delete withoutDatabaseUrl.DATABASE_URL;

const steps = [
  ["lint", ["npx", "biome", "check", "."], env],
  ["typecheck", ["npm", "run", "typecheck"], env],
  ["OpenAPI document and client up to date", ["npm", "run", "api:check"], env],
  ["OpenAPI lint (Redocly)", ["npm", "run", "api:lint"], env],
  ["unit + integration (PGlite)", ["npx", "vitest", "run"], withoutDatabaseUrl],
  ...(env.DATABASE_URL ? [["unit + integration (PostgreSQL)", ["npx", "vitest", "run"], env]] : []),
  ["build", ["npx", "next", "build"], env],
  ["e2e (Chromium)", ["npx", "playwright", "test"], env],
  // Real processes on PostgreSQL; without DATABASE_URL only its fast cases ran, inside vitest above.
  ...(env.DATABASE_URL ? [["reliability (real processes)", ["node", "scripts/reliability.mjs"], env]] : []),
];

for (const [name, [command, ...args], stepEnv] of steps) {
  console.log(`\n=== ${name}: ${[command, ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: stepEnv });
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
if (!env.DATABASE_URL) {
  console.log("\nThe reliability suite's process cases need PostgreSQL: set DATABASE_URL to run them too.");
}
console.log("\nAll suites passed.");
