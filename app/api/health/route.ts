import { sql } from "drizzle-orm";
import { getDatabase } from "@/db/client";
import { getMigrationStatus, getSystemHealth, publicHealthOf } from "@/db/queries/system-health";

export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability, for load balancers and the e2e server wait, with the System
 * settings' snapshot minus anything secret (counts, timestamps, the driver, the migration state).
 * 503 only when the database does not answer or migrations are pending.
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
    return Response.json({ ok: true, driver, ...publicHealthOf(await getSystemHealth(db, driver)) });
  } catch (error) {
    // The database answered but the snapshot failed: still serving, say so without details.
    console.error("[health] system snapshot failed", error);
    return Response.json({ ok: true, driver, snapshot: "unavailable" });
  }
}
