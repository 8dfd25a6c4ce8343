/**
 * Starts the three demo fakes on fixed ports and prints their URLs:
 *
 *   npx tsx dev/fakes/serve.ts
 *
 * Ports can be moved with FAKE_WMS_PORT, FAKE_DROPSHIP_PORT, FAKE_COMMERCE_PORT. Ctrl-C stops them.
 *
 * The dropship and commerce fakes refuse order ids they do not know, as real channels do; in the
 * app (dev/demo-mode.ts) they learn demo orders from the app's database on first sight. Here, in a
 * process of their own, they can read the demo orders only from a shared PostgreSQL database
 * (DATABASE_URL, opened like the rest of dev/ does). The embedded PGlite database belongs to
 * exactly one process, the app (db/client.ts refuses a second opener, and opening it here would
 * lock the app out), so without DATABASE_URL these fakes start knowing no orders and answer 404 to
 * every dropship and commerce cancel: use the fakes the app starts itself instead.
 */
import { DEMO_PORTS, type DemoFakes, startDemoFakes } from "./demo";
import type { DemoDatabase } from "./demo-orders";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

/** The shared PostgreSQL database when DATABASE_URL is set; nothing with PGlite (see above). */
async function demoOrders(): Promise<{ orders: DemoDatabase | null; close: () => Promise<void> }> {
  const { env } = await import("@/lib/env");
  if (!env().DATABASE_URL) return { orders: null, close: async () => {} };
  const { getDatabase } = await import("@/db/client");
  const handle = getDatabase();
  return { orders: () => handle.db, close: handle.close };
}

async function main() {
  const database = await demoOrders();
  let fakes: DemoFakes;
  try {
    fakes = await startDemoFakes({
      wmsPort: port("FAKE_WMS_PORT", DEMO_PORTS.wms),
      dropshipPort: port("FAKE_DROPSHIP_PORT", DEMO_PORTS.dropship),
      commercePort: port("FAKE_COMMERCE_PORT", DEMO_PORTS.commerce),
      orders: database.orders,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  console.log(`fake WMS            ${fakes.urls.wms}  (refuses orders whose first number ends in 7)`);
  console.log(`fake dropship API   ${fakes.urls.dropship}`);
  console.log(`fake commerce API   ${fakes.urls.commerce}`);
  console.log("credentials: DEMO_CREDENTIALS in dev/fakes/demo.ts");
  console.log(
    database.orders === null
      ? "orders: none known. Without DATABASE_URL the demo database is PGlite, which only the app may open; " +
          "the dropship and commerce fakes answer 404 to every order (the app's own fakes know the demo orders)"
      : "orders: demo orders are read from DATABASE_URL on first sight",
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fakes.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
