/**
 * Starts the three demo fakes on fixed ports and prints their URLs:
 *
 *   npx tsx dev/fakes/serve.ts
 *
 * Ports can be moved with FAKE_WMS_PORT, FAKE_DROPSHIP_PORT, FAKE_COMMERCE_PORT. Ctrl-C stops them.
 */
import { DEMO_PORTS, startDemoFakes } from "./demo";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

async function main() {
  const fakes = await startDemoFakes({
    wmsPort: port("FAKE_WMS_PORT", DEMO_PORTS.wms),
    dropshipPort: port("FAKE_DROPSHIP_PORT", DEMO_PORTS.dropship),
    commercePort: port("FAKE_COMMERCE_PORT", DEMO_PORTS.commerce),
  });
  console.log(`fake WMS            ${fakes.urls.wms}  (refuses orders whose first number ends in 7)`);
  console.log(`fake dropship API   ${fakes.urls.dropship}`);
  console.log(`fake commerce API   ${fakes.urls.commerce}`);
  console.log("credentials: DEMO_CREDENTIALS in dev/fakes/demo.ts");
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await fakes.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
