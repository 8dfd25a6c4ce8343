import { getDatabase } from "./client";
import { migrateDatabase } from "./migrate";

const handle = getDatabase();
await migrateDatabase(handle);
console.log(`Migrations applied (${handle.driver}).`);
await handle.close();
