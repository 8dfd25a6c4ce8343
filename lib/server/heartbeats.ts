import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type HeartbeatName, workerHeartbeats } from "@/db/schema";

/** Beats of one loop closer together than this are not written (each process keeps its own clock). */
export const HEARTBEAT_INTERVAL_MS = 5_000;

// When this process last wrote each loop's beat, per database.
const lastWritten = new WeakMap<Db, Map<HeartbeatName, number>>();

/**
 * Records that a background loop ran: an UPSERT of its row in worker_heartbeats, at most every
 * HEARTBEAT_INTERVAL_MS per loop and process (beats in between are dropped). Called between units of
 * work, never inside a cancellation's transaction. Never throws: a heartbeat that cannot be written
 * is logged and the work goes on.
 */
export async function recordHeartbeat(
  db: Db,
  name: HeartbeatName,
  detail: Record<string, string | number> = {},
  now: Date = new Date(),
): Promise<void> {
  let written = lastWritten.get(db);
  if (!written) {
    written = new Map();
    lastWritten.set(db, written);
  }
  const last = written.get(name);
  if (last !== undefined && now.getTime() - last < HEARTBEAT_INTERVAL_MS && now.getTime() >= last) return;
  written.set(name, now.getTime());
  try {
    await db
      .insert(workerHeartbeats)
      .values({ name, at: now, detail })
      .onConflictDoUpdate({
        target: workerHeartbeats.name,
        set: { at: now, detail },
        // Another process may have beaten later: keep the newest.
        setWhere: sql`${workerHeartbeats.at} <= excluded.at`,
      });
  } catch (error) {
    console.error(`[heartbeat] could not record ${name}`, error);
  }
}
