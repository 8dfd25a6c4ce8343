import "server-only";
import { type DatabaseHandle, getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { removeDemoUsers } from "@/db/seed-users";
import { registerProcessRunner } from "@/lib/batches/runner";
import { authSecret, connectorSecret, type Env, env } from "@/lib/env";
import { type BackgroundWork, startBackgroundWork } from "./background-work";

/**
 * Runs once when the server process starts (instrumentation.ts): check the configuration, bring
 * the schema up to date, enter demo mode if it is on (or make sure no demo login is left if it is
 * off), and start the background work in this process unless separate workers do it.
 */
export async function startServer(): Promise<void> {
  checkConfiguration(env());
  const handle = getDatabase();
  await prepareDatabase(handle, env());
  console.log(`[startup] database ready (${handle.driver})${env().DEMO === "on" ? ", demo mode" : ""}`);
  if (env().WEB_RUNS_WORKER === "on" || handle.driver === "pglite") {
    // Once per process, even if the instrumentation hook is loaded twice in dev.
    const host = globalThis as unknown as { __omsBackground?: BackgroundWork };
    // PGlite has a single connection: one loop. PostgreSQL: two, to overlap round trips.
    host.__omsBackground ??= startBackgroundWork(handle.db, { loops: handle.driver === "pglite" ? 1 : 2 });
    registerProcessRunner(host.__omsBackground.runner);
    console.log("[startup] batch runner, warehouse asker and outbox dispatcher started in the web process");
  }
}

/** Fails at boot, not at the first sign-in, when production lacks a secret or carries a dev one. */
export function checkConfiguration(config: Env): void {
  authSecret(config);
  connectorSecret(config);
  if (config.NODE_ENV !== "production") return;
  if (!config.BETTER_AUTH_URL) {
    throw new Error(
      "Invalid configuration: BETTER_AUTH_URL is required in production (the app's public address).",
    );
  }
  if (config.TRUSTED_PROXIES.length === 0) {
    console.warn(
      "[startup] TRUSTED_PROXIES is not set: the client IP (sign-in limits, audit log) is the connection's address. " +
        "Behind a reverse proxy or load balancer, list its addresses in TRUSTED_PROXIES.",
    );
  }
}

/**
 * Migrations, then demo mode when it is on. When it is off, demo logins found in the database
 * (left by a demo run) are removed and the log says so: production never signs anyone in with them.
 */
export async function prepareDatabase(handle: DatabaseHandle, config: Env): Promise<void> {
  await migrateDatabase(handle);
  if (config.DEMO === "on") {
    const { startDemoMode } = await import("@/dev/demo-mode");
    await startDemoMode(handle);
    return;
  }
  const removed = await removeDemoUsers(handle.db);
  if (removed.length > 0) {
    console.warn(
      `[startup] demo mode is off: removed the demo logins ${removed.join(", ")} (and any API key they made). ` +
        "Start with DEMO=on for a demo.",
    );
  }
}
