// `npm run worker`: the batch runner, the outbox dispatcher and the recovery sweep as their own process.
// Several workers and web instances share the work through PostgreSQL.
import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";
import { startBackgroundWork } from "@/lib/server/background-work";

if (!env().DATABASE_URL) {
  console.error(
    "The separate worker needs PostgreSQL (set DATABASE_URL). The embedded database belongs to the web\n" +
      "process, which already runs the worker itself; a second process must not open it.",
  );
  process.exit(1);
}

const handle = getDatabase();
await migrateDatabase(handle);
const work = startBackgroundWork(handle.db, { loops: Number(process.env.WORKER_LOOPS ?? 2) });
console.log("[worker] batch runner, outbox dispatcher and recovery sweep started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    console.log(`[worker] ${signal}: finishing the current chunk`);
    await work.stop();
    await handle.close();
    process.exit(0);
  });
}
