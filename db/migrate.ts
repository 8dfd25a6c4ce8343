import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { type DatabaseHandle, MIGRATIONS_FOLDER } from "./client";

// Any constant shared by every instance; serialises migrations when several start at once.
const MIGRATION_LOCK_ID = 727_001;

/** Applies every committed SQL migration not yet applied. Safe to call on every start. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, config);
    return;
  }
  if (!handle.url) throw new Error("a PostgreSQL handle must carry its connection string");
  // Session-level advisory locks need one connection, so migrate on a dedicated client.
  const client = new pg.Client({ connectionString: handle.url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await migratePg(drizzle(client), config);
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end();
  }
}
