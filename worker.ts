// `npm run worker`: the batch runner (and later the outbox dispatcher) as its own process.
// Several workers and web instances share the work through PostgreSQL.
import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { BatchRunner } from "@/lib/batches/runner";
import { env } from "@/lib/env";

if (!env().DATABASE_URL) {
  console.error(
    "The separate worker needs PostgreSQL (set DATABASE_URL). The embedded database belongs to the web\n" +
      "process, which already runs the worker itself; a second process must not open it.",
  );
  process.exit(1);
}

const handle = getDatabase();
await migrateDatabase(handle);
const runner = new BatchRunner(handle.db, { workers: Number(process.env.WORKER_LOOPS ?? 2) });
runner.start();
console.log("[worker] batch runner started");

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    console.log(`[worker] ${signal}: finishing the current chunk`);
    await runner.stop();
    await handle.close();
    process.exit(0);
  });
}
