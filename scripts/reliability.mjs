// `npm run test:reliability`: the reliability suite (test/reliability) on real PostgreSQL and real
// processes, then one table of what it proved. Any non-zero in a must-be-zero column fails the run,
// as does a failing case. Needs DATABASE_URL; builds the app first when there is no build.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

if (!process.env.DATABASE_URL) {
  console.error("The reliability suite needs PostgreSQL: set DATABASE_URL, e.g.\n");
  console.error("    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run test:reliability\n");
  process.exit(1);
}
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  RELIABILITY_RESULTS: ".reliability/results.jsonl",
};
fs.rmSync(env.RELIABILITY_RESULTS, { force: true });

if (!fs.existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: building (the suite runs `next start`).");
  const built = spawnSync("npx", ["next", "build"], { stdio: "inherit", env });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const started = Date.now();
const run = spawnSync(
  "npx",
  ["vitest", "run", "--config", "vitest.reliability.config.ts", ...process.argv.slice(2)],
  {
    stdio: "inherit",
    env,
  },
);

const results = fs.existsSync(env.RELIABILITY_RESULTS)
  ? fs
      .readFileSync(env.RELIABILITY_RESULTS, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];

const MUST_BE_ZERO = [
  ["rowsLost", "rows lost"],
  ["doubleCancellations", "double cancellations"],
  ["stuckReservations", "stuck reservations"],
  ["disagreements", "panel ≠ warehouse"],
  ["unsafeCells", "unsafe cells"],
  ["serverErrors", "5xx"],
];
const sum = (key) => results.reduce((total, r) => total + (r[key] ?? 0), 0);
const p99 = Math.max(0, ...results.map((r) => r.p99Ms ?? 0));
const p50 = Math.max(0, ...results.map((r) => r.p50Ms ?? 0));
const format = (n) => n.toLocaleString("en-US");

const table = [
  ["cases run", format(results.length)],
  ["faults injected", format(sum("faultsInjected"))],
  ["rows processed", format(sum("rowsProcessed"))],
  ...MUST_BE_ZERO.map(([key, label]) => [`${label} (must be 0)`, format(sum(key))]),
  ["p50 / p99 under load", p99 ? `${format(p50)} ms / ${format(p99)} ms` : "not measured"],
];
const width = Math.max(...table.map(([label]) => label.length));
const lines = [
  `Reliability suite, ${new Date().toISOString().slice(0, 10)}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  "",
  ...table.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
];
const offenders = results.filter((r) => MUST_BE_ZERO.some(([key]) => (r[key] ?? 0) !== 0));
console.log(`\n${lines.join("\n")}\n`);
for (const r of offenders) {
  const bad = MUST_BE_ZERO.filter(([key]) => (r[key] ?? 0) !== 0).map(([key, label]) => `${label} ${r[key]}`);
  console.error(`✗ ${r.case}: ${bad.join(", ")}`);
}
fs.mkdirSync(".reliability", { recursive: true });
fs.writeFileSync(".reliability/summary.txt", `${lines.join("\n")}\n`);

if (run.status !== 0) {
  console.error(`✗ the suite failed (exit ${run.status ?? run.signal}).`);
  process.exit(run.status || 1);
}
if (results.length === 0) {
  console.error("✗ no case recorded a result.");
  process.exit(1);
}
if (offenders.length > 0) process.exit(1);
console.log("✓ every must-be-zero column is zero.");
