import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { Pool } from "pg";
import { env } from "@/lib/env";
import * as schema from "./schema";

/**
 * Both drivers speak the same drizzle API and both return `{ rows }` from execute(); the
 * node-postgres type is used for both so raw SQL results are typed.
 */
export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or a transaction on it: queries accept both. */
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  driver: "pglite" | "pg";
  /** The connection string, for PostgreSQL. */
  url?: string;
  close: () => Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

/**
 * Planner settings of every connection, on both drivers.
 * - JIT off: every statement here touches a few thousand rows at most, and a planner estimate
 *   inflated by missing statistics (right after a large batch) made PostgreSQL spend 700 ms
 *   compiling a query that runs in 1 ms.
 * - random_page_cost 1.1: what a chunk touches (its sub-orders, lines and batch rows) is in memory
 *   or on SSD, where a random read costs about what a sequential one does. At the default of 4
 *   (spinning disks) the planner read all 100,000 orders and 200,000 lines of the bench's database
 *   for every 1,000-row chunk rather than probe their indexes a thousand times: 246 ms per chunk
 *   against 193 ms with 1.1. A DBA's own setting for a role or database is overridden here.
 */
export const SESSION_SETTINGS = { jit: "off", random_page_cost: "1.1" } as const;

/** SESSION_SETTINGS as server flags: PGlite's start parameters. */
const SESSION_FLAGS = Object.entries(SESSION_SETTINGS).flatMap(([name, value]) => ["-c", `${name}=${value}`]);

/** SESSION_SETTINGS as a PostgreSQL connection's `options` (any client: the bench's plain one too). */
export const POSTGRES_OPTIONS = SESSION_FLAGS.join(" ");

export function openPostgres(connectionString: string, max = 10): DatabaseHandle {
  const pool = new Pool({ connectionString, max, options: POSTGRES_OPTIONS });
  // An idle connection the server closes (restart, failover, DROP DATABASE) must not crash the
  // process: the pool drops it and opens a new one on the next query.
  pool.on("error", (error) => console.error(`[db] idle PostgreSQL connection lost: ${error.message}`));
  return {
    db: drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db,
    driver: "pg",
    url: connectionString,
    close: () => pool.end(),
  };
}

const embedded = new WeakSet<object>();

/**
 * Whether row locks mean anything on this database. PGlite has a single connection and runs
 * one transaction at a time, so `FOR UPDATE` there only costs writes; on PostgreSQL it is
 * what keeps concurrent cancellations apart.
 */
export function needsRowLocks(db: Db): boolean {
  return !embedded.has(db);
}

/**
 * PGlite runs PostgreSQL in single-user mode, without autovacuum, so nothing gathers statistics
 * after a large write and the planner keeps the estimates it had: a 100,000-row batch's completion
 * check, planned for a table of pending items, read every item the run had already finished, so
 * each chunk took longer than the last (45 ms per chunk 20,000 rows in). On PostgreSQL autovacuum
 * does this; on PGlite the writer asks.
 */
export async function analyzeIfEmbedded(db: Db, tables: readonly string[]): Promise<void> {
  if (!embedded.has(db)) return;
  await db.execute(sql.raw(`ANALYZE ${tables.map((t) => `"${t.replaceAll('"', '""')}"`).join(", ")}`));
}

/** An embedded database in `dir`, or in memory when `dir` is undefined (tests). */
export function openPglite(dir?: string): DatabaseHandle {
  let release = () => {};
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    release = lockPgliteDir(dir);
  }
  const startParams = [...PGlite.defaultStartParams, ...SESSION_FLAGS];
  const client = dir ? new PGlite(dir, { startParams }) : new PGlite({ startParams });
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  embedded.add(db);
  return {
    db,
    driver: "pglite",
    close: async () => {
      await client.close();
      release();
    },
  };
}

/**
 * A PGlite directory belongs to exactly one process: a second opener would silently lose
 * writes. The lock file holds the owner's pid; a live owner other than us is refused.
 */
function lockPgliteDir(dir: string): () => void {
  const lockFile = path.join(dir, "..", `${path.basename(dir)}.lock`);
  const owner = Number.parseInt(readIfExists(lockFile) ?? "", 10);
  if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new Error(
      `The embedded database in ${dir} is already open in process ${owner}. ` +
        "Only one process may open it: stop that process, or set DATABASE_URL to share a PostgreSQL database.",
    );
  }
  fs.writeFileSync(lockFile, String(process.pid));
  const release = () => {
    if (readIfExists(lockFile) === String(process.pid)) fs.rmSync(lockFile, { force: true });
  };
  process.once("exit", release);
  return release;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// One handle per process, kept on globalThis so hot reload in dev does not open a second one.
const globalForDb = globalThis as unknown as { __omsDatabase?: DatabaseHandle };

export function getDatabase(): DatabaseHandle {
  if (!globalForDb.__omsDatabase) {
    const { DATABASE_URL, PGLITE_DIR } = env();
    globalForDb.__omsDatabase = DATABASE_URL
      ? openPostgres(DATABASE_URL)
      : openPglite(path.resolve(PGLITE_DIR));
  }
  return globalForDb.__omsDatabase;
}

export function getDb(): Db {
  return getDatabase().db;
}
