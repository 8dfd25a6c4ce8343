import { getDatabase } from "./client";
import { migrateDatabase } from "./migrate";
import { seedDatabase } from "./seed";

const handle = getDatabase();
try {
  await migrateDatabase(handle);
  const started = performance.now();
  const summary = await seedDatabase(handle.db);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`${summary.message} (${handle.driver}, ${seconds} s)`);
  if (summary.seeded) {
    console.table(summary.counts);
    console.table(summary.statuses);
  }
} finally {
  await handle.close();
}
