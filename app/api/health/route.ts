import { sql } from "drizzle-orm";
import { getDatabase } from "@/db/client";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the e2e server wait. */
export async function GET() {
  const { db, driver } = getDatabase();
  try {
    await db.execute(sql`SELECT 1`);
    return Response.json({ ok: true, driver });
  } catch (error) {
    console.error("[health] database check failed", error);
    return Response.json({ ok: false, driver }, { status: 503 });
  }
}
