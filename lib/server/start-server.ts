import "server-only";
import { getDatabase } from "@/db/client";
import { configureDemoConnectors } from "@/db/demo-connectors";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDatabase } from "@/db/seed";
import { seedDemoUsers } from "@/db/seed-users";
import { registerProcessRunner } from "@/lib/batches/runner";
import { authSecret, env } from "@/lib/env";
import { type BackgroundWork, startBackgroundWork } from "./background-work";

/**
 * Runs once when the server process starts (instrumentation.ts): check the configuration, bring
 * the schema up to date, load the demo data and demo logins into the embedded database, and start
 * the background work in this process unless separate workers do it.
 */
export async function startServer(): Promise<void> {
  // Fail at boot, not at the first sign-in, when production lacks its secret or public address.
  authSecret();
  if (env().NODE_ENV === "production" && !env().BETTER_AUTH_URL) {
    throw new Error(
      "Invalid configuration: BETTER_AUTH_URL is required in production (the app's public address).",
    );
  }
  const handle = getDatabase();
  await migrateDatabase(handle);
  if (handle.driver === "pglite") {
    if (await isDatabaseEmpty(handle.db)) {
      const started = Date.now();
      await seedDatabase(handle.db);
      console.log(`[startup] demo data loaded into the embedded database in ${Date.now() - started} ms`);
    }
    await configureDemoConnectors(handle.db);
    // The embedded database is the demo: its logins are in the README.
    const added = await seedDemoUsers(handle.db);
    if (added > 0) console.log(`[startup] ${added} demo logins added (see README, "Demo logins")`);
  }
  console.log(`[startup] database ready (${handle.driver})`);
  if ((env().DEMO_FAKES ?? (env().NODE_ENV === "development" ? "on" : "off")) === "on") await startFakes();
  if (env().WEB_RUNS_WORKER === "on" || handle.driver === "pglite") {
    // Once per process, even if the instrumentation hook is loaded twice in dev.
    const host = globalThis as unknown as { __omsBackground?: BackgroundWork };
    // PGlite has a single connection: one loop. PostgreSQL: two, to overlap round trips.
    host.__omsBackground ??= startBackgroundWork(handle.db, { loops: handle.driver === "pglite" ? 1 : 2 });
    registerProcessRunner(host.__omsBackground.runner);
    console.log("[startup] batch runner, outbox dispatcher and recovery sweep started in the web process");
  }
}

/** The fake WMS, dropship and commerce servers the demo data points at (lib/connectors/fakes). */
async function startFakes(): Promise<void> {
  const host = globalThis as unknown as { __omsFakes?: boolean };
  if (host.__omsFakes) return;
  host.__omsFakes = true;
  const { startDemoFakes } = await import("@/lib/connectors/fakes/demo");
  try {
    const fakes = await startDemoFakes();
    console.log(
      `[startup] demo fakes: WMS ${fakes.urls.wms}, dropship ${fakes.urls.dropship}, commerce ${fakes.urls.commerce}`,
    );
  } catch (error) {
    console.warn(
      `[startup] demo fakes not started (${(error as Error).message}); is another instance running them?`,
    );
  }
}
