import type { DatabaseHandle } from "@/db/client";
import { seedDemoUsers } from "@/db/seed-users";
import { configureDemoConnectors } from "./demo-connectors";
import { isDatabaseEmpty, seedDatabase } from "./seed";

/**
 * Demo mode (DEMO=on; the default of `npm run dev`): the demo data in an empty database, the demo
 * connectors pointed at the local fake servers, the demo logins of the README, and the fakes
 * themselves. Loaded only when demo mode is on; production never runs it.
 */
export async function startDemoMode(handle: DatabaseHandle): Promise<void> {
  if (await isDatabaseEmpty(handle.db)) {
    const started = Date.now();
    await seedDatabase(handle.db);
    console.log(`[demo] demo data loaded in ${Date.now() - started} ms`);
  }
  await configureDemoConnectors(handle.db);
  const added = await seedDemoUsers(handle.db);
  if (added > 0) console.log(`[demo] ${added} demo logins added (see README, "Demo logins")`);
  await startFakes();
}

/** The fake WMS, dropship and commerce servers the demo data points at. */
async function startFakes(): Promise<void> {
  const host = globalThis as unknown as { __omsFakes?: boolean };
  if (host.__omsFakes) return;
  host.__omsFakes = true;
  const { startDemoFakes } = await import("@/dev/fakes/demo");
  try {
    const fakes = await startDemoFakes();
    console.log(
      `[demo] fakes: WMS ${fakes.urls.wms}, dropship ${fakes.urls.dropship}, commerce ${fakes.urls.commerce}`,
    );
  } catch (error) {
    console.warn(`[demo] fakes not started (${(error as Error).message}); is another instance running them?`);
  }
}
