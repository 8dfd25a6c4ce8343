import { getDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { DEMO_USERS, seedDemoUsers } from "@/db/seed-users";
import { env } from "@/lib/env";
import { configureDemoConnectors } from "./demo-connectors";
import { seedDatabase } from "./seed";

// `npm run db:seed` loads the demo data; `-- --demo-users` adds the demo logins too. Demo mode only.
const withDemoUsers = process.argv.includes("--demo-users");

if (env().DEMO !== "on") {
  console.error(
    "npm run db:seed loads demo data, which runs only in demo mode: DEMO=on (the default outside production).",
  );
  process.exit(1);
}

const handle = getDatabase();
try {
  await migrateDatabase(handle);
  const started = performance.now();
  const summary = await seedDatabase(handle.db);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`${summary.message} (${handle.driver}, ${seconds} s)`);
  if (summary.seeded) {
    await configureDemoConnectors(handle.db);
    console.table(summary.counts);
    console.table(summary.statuses);
  }
  if (withDemoUsers) {
    const added = await seedDemoUsers(handle.db);
    console.log(`Demo logins: ${added} added (${DEMO_USERS.map((u) => u.email).join(", ")}).`);
  }
} finally {
  await handle.close();
}
