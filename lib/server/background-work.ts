import "server-only";
import type { Db } from "@/db/client";
import { deleteExpiredIdempotencyKeys } from "@/lib/api/idempotency";
import { BatchRunner } from "@/lib/batches/runner";
import { deleteExpiredDrafts } from "@/lib/batches/update-draft";
import { dispatchDueNotifications } from "@/lib/outbox/dispatcher";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver";
import { recordHeartbeat } from "./heartbeats";
import { PollingLoop } from "./polling-loop";

export type BackgroundWork = { runner: BatchRunner; stop: () => Promise<void> };

/**
 * Everything that runs without a request: the batch runner with its warehouse asker (which also
 * asks again about every cancellation still waiting for its warehouse, and takes over what a dead
 * process was asking), the outbox dispatcher, and housekeeping. The web process hosts it by
 * default; `npm run worker` hosts it alone. Any number of hosts may run it against one PostgreSQL
 * database.
 */
export function startBackgroundWork(db: Db, options: { loops: number }): BackgroundWork {
  const runner = new BatchRunner(db, { workers: options.loops });
  // The channel outbox: cancellation notifications, and the signed webhooks of cancel request decisions.
  const dispatcher = new PollingLoop(
    "outbox-dispatcher",
    async () => {
      const [notifications, webhooks] = await Promise.all([
        dispatchDueNotifications(db),
        deliverDueWebhooks(db),
      ]);
      await recordHeartbeat(db, "outbox-dispatch", { claimed: notifications });
      await recordHeartbeat(db, "webhook-delivery", { claimed: webhooks });
      return notifications + webhooks > 0;
    },
    { idleMs: 1_000 },
  );
  const housekeeping = new PollingLoop(
    "housekeeping",
    async () => {
      await deleteExpiredIdempotencyKeys(db);
      await deleteExpiredDrafts(db);
      return false;
    },
    { idleMs: 10 * 60_000 },
  );
  runner.start();
  dispatcher.start();
  housekeeping.start();
  return {
    runner,
    stop: async () => {
      await Promise.all([runner.stop(), dispatcher.stop(), housekeeping.stop()]);
    },
  };
}
