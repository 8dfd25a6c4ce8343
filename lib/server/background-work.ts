import "server-only";
import type { Db } from "@/db/client";
import { BatchRunner } from "@/lib/batches/runner";
import { recoverStalePendingCancellations } from "@/lib/cancellation/service/recover-pending";
import { dispatchDueNotifications } from "@/lib/outbox/dispatcher";
import { PollingLoop } from "./polling-loop";

/** A cancellation still PENDING after this long lost its process; the sweep finishes it. */
const STALE_PENDING_MS = 2 * 60_000;

export type BackgroundWork = { runner: BatchRunner; stop: () => Promise<void> };

/**
 * Everything that runs without a request: the batch runner, the outbox dispatcher and the
 * crash-recovery sweep. The web process hosts it by default; `npm run worker` hosts it alone.
 * Any number of hosts may run it against one PostgreSQL database.
 */
export function startBackgroundWork(db: Db, options: { loops: number }): BackgroundWork {
  const runner = new BatchRunner(db, { workers: options.loops });
  const dispatcher = new PollingLoop(
    "outbox-dispatcher",
    async () => (await dispatchDueNotifications(db)) > 0,
    {
      idleMs: 1_000,
    },
  );
  const sweeper = new PollingLoop(
    "pending-recovery",
    async () => (await recoverStalePendingCancellations(db, { olderThanMs: STALE_PENDING_MS })) > 0,
    { idleMs: 30_000 },
  );
  for (const loop of [runner, dispatcher, sweeper]) loop.start();
  return {
    runner,
    stop: async () => {
      await Promise.all([runner.stop(), dispatcher.stop(), sweeper.stop()]);
    },
  };
}
