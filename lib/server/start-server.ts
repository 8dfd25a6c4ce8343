import "server-only";
import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDatabase } from "@/db/seed";

/**
 * Runs once when the server process starts (instrumentation.ts): bring the schema up to
 * date and, for the embedded demo database, load the demo data on first start.
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
}
