// Starts the production build for the Playwright run on a fresh database:
// a new PostgreSQL database on the DATABASE_URL server when it is set, otherwise a new
// embedded PGlite directory. Either way the demo data and the demo logins are loaded before the
// server listens.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";

let dropDatabase = async () => {};

const PORT = process.env.E2E_PORT ?? "3100";
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  // Production refuses to start without these. A fixed secret is fine for a throwaway database.
  BETTER_AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz",
  BETTER_AUTH_URL: `http://127.0.0.1:${PORT}`,
  CONNECTOR_SECRET_KEY: "e2e-only-connector-key-0123456789abcdefghijklmnop",
  // Demo mode, explicitly (production does not run it by default): the demo data and logins, and
  // the local fakes its 3PL warehouse and channels point at (so connectors may reach 127.0.0.1).
  DEMO: "on",
  // A warehouse that cannot be reached gives up within seconds here (minutes in production).
  WAREHOUSE_RETRY_BASE_MS: "300",
  WAREHOUSE_UNREACHABLE_FAIL_AFTER_SECONDS: "3",
  // Every browser of the run signs in from 127.0.0.1: the per-IP limit would otherwise refuse the suite.
  SIGN_IN_RATE_LIMIT_PER_MINUTE: "1000",
};

if (process.env.DATABASE_URL) {
  const server = new URL(process.env.DATABASE_URL);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(server.hostname)) {
    console.error(`Refusing to run e2e tests against a non-local database (${server.hostname}).`);
    process.exit(1);
  }
  const name = `oms_e2e_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
  server.pathname = `/${name}`;
  env.DATABASE_URL = server.toString();
  const seeded = spawnSync("npx", ["tsx", "--conditions=react-server", "dev/seed-cli.ts", "--demo-users"], {
    env,
    stdio: "inherit",
  });
  if (seeded.status !== 0) process.exit(seeded.status ?? 1);
} else {
  env.PGLITE_DIR = ".data/e2e-pglite";
  fs.rmSync(env.PGLITE_DIR, { recursive: true, force: true });
  fs.rmSync(`${env.PGLITE_DIR}.lock`, { force: true });
}

// node itself, not npx, so the signals Playwright sends reach the server.
const child = spawn(
  process.execPath,
  ["node_modules/next/dist/bin/next", "start", "--port", PORT, "--hostname", "127.0.0.1"],
  {
    env,
    stdio: "inherit",
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", async (code) => {
  await dropDatabase().catch((error) => console.error("could not drop the e2e database:", error.message));
  process.exit(code ?? 0);
});
