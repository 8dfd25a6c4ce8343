import "server-only";
import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDatabase } from "@/db/seed";
import { startProcessRunner } from "@/lib/batches/runner";
import { env } from "@/lib/env";

/**
 * Runs once when the server process starts (instrumentation.ts): bring the schema up to
 * date, load the demo data into an empty embedded database, and start the background work
 * in this process unless separate workers do it.
 */
export async function startServer(): Promise<void> {
  const handle = getDatabase();
  await migrateDatabase(handle);
  if (handle.driver === "pglite" && (await isDatabaseEmpty(handle.db))) {
    const started = Date.now();
    await seedDatabase(handle.db);
    console.log(`[startup] demo data loaded into the embedded database in ${Date.now() - started} ms`);
  }
  console.log(`[startup] database ready (${handle.driver})`);
  if (env().WEB_RUNS_WORKER === "on" || handle.driver === "pglite") {
    // PGlite has a single connection: one loop. PostgreSQL: two, to overlap round trips.
    startProcessRunner(handle.db, { workers: handle.driver === "pglite" ? 1 : 2 });
    console.log("[startup] batch runner started in the web process");
  }
}
