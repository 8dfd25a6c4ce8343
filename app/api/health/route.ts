import { sql } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { getMigrationStatus, getSystemHealth, publicHealthOf } from "@/db/queries/system-health";

export const dynamic = "force-dynamic";

/** The snapshot's queries run at most once per this many ms per process, however hard a load balancer polls. */
const SNAPSHOT_TTL_MS = 5_000;
let cached: { at: number; snapshot: ReturnType<typeof publicHealthOf> } | undefined;

/**
 * Liveness and database reachability, for load balancers and the e2e server wait, with the System
 * settings' snapshot minus anything secret (counts, timestamps, the driver, the migration state).
 * 503 only when the database does not answer or migrations are pending (both checked on every
 * call); the snapshot of counts and heartbeats is at most 5 seconds old.
 */
export async function GET() {
  const { db, driver } = getDatabase();
  try {
    await db.execute(sql`SELECT 1`);
  } catch (error) {
    console.error("[health] database check failed", error);
    return Response.json({ ok: false, driver }, { status: 503 });
  }
  try {
    const migrations = await getMigrationStatus(db);
    if (!migrations.upToDate) {
      return Response.json(
        { ok: false, driver, migrations: { ...migrations, latest: migrations.latest?.tag ?? null } },
        { status: 503 },
      );
    }
    if (!cached || Date.now() - cached.at >= SNAPSHOT_TTL_MS) {
      cached = { at: Date.now(), snapshot: publicHealthOf(await getSystemHealth(db, driver)) };
    }
    return Response.json({ ok: true, driver, ...cached.snapshot });
  } catch (error) {
    // The database answered but the snapshot failed: still serving, say so without details.
    console.error("[health] system snapshot failed", error);
    return Response.json({ ok: true, driver, snapshot: "unavailable" });
  }
}
