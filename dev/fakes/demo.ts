import type { ConnectorConfig } from "@/lib/connectors/types";
import { FAKE_COMMERCE_TOKEN, type FakeCommerce, startFakeCommerce } from "./commerce";
import { type DemoDatabase, demoCommerceOrders, demoDropshipOrders } from "./demo-orders";
import { FAKE_DROPSHIP_TOKEN, type FakeDropship, startFakeDropship } from "./dropship";
import { FAKE_WMS_API_KEY, type FakeWms, startFakeWms } from "./wms";

/** Fixed ports of the demo fakes (`npx tsx dev/fakes/serve.ts`). */
export const DEMO_PORTS = { wms: 4101, dropship: 4102, commerce: 4103 } as const;

/** Credentials the demo fakes accept. Fake values for a local demo, not secrets. */
export const DEMO_CREDENTIALS = {
  wms: { apiKey: FAKE_WMS_API_KEY },
  dropship: { token: FAKE_DROPSHIP_TOKEN },
  commerce: { token: FAKE_COMMERCE_TOKEN },
} as const;

/**
 * The demo WMS refuses an order when the first number in its order number ends in 7
 * ("SO-000007-1", "SO-000017-2", ...): a deterministic tenth of orders, so the demo shows refusals
 * and anyone can predict which rows will fail.
 */
export function demoRefuses(orderNo: string): boolean {
  const digits = /\d+/.exec(orderNo)?.[0];
  return digits?.endsWith("7") ?? false;
}

export type DemoFakes = {
  wms: FakeWms;
  dropship: FakeDropship;
  commerce: FakeCommerce;
  urls: { wms: string; dropship: string; commerce: string };
  close(): Promise<void>;
};

export type DemoFakeOptions = {
  wmsPort?: number;
  dropshipPort?: number;
  commercePort?: number;
  /** Delay before every answer (default 150 ms), so the panel's pending states are visible. */
  latencyMs?: number;
  /**
   * Where the dropship and commerce fakes learn a demo order they have not seen yet (they refuse
   * unknown ids, as real channels do). Default: the app's database, through `getDb()` of this
   * process, reached only when such an order first arrives. `null`: nowhere; the fakes then know
   * only the orders seeded into them (`seedOrder`) and answer 404 to every other.
   */
  orders?: DemoDatabase | null;
};

/** The app's one database client (db/client.ts), loaded only when a fake first needs it. */
const appDatabase: DemoDatabase = async () => (await import("@/db/client")).getDb();

export async function startDemoFakes(options: DemoFakeOptions = {}): Promise<DemoFakes> {
  const latencyMs = options.latencyMs ?? 150;
  const orders = options.orders === undefined ? appDatabase : options.orders;
  const started: { close(): Promise<void> }[] = [];
  try {
    const wms = await startFakeWms({
      port: options.wmsPort ?? DEMO_PORTS.wms,
      latencyMs,
      refuseWhen: demoRefuses,
    });
    started.push(wms);
    const dropship = await startFakeDropship({
      port: options.dropshipPort ?? DEMO_PORTS.dropship,
      latencyMs,
      resolveUnknownOrder: orders === null ? undefined : demoDropshipOrders(orders),
    });
    started.push(dropship);
    const commerce = await startFakeCommerce({
      port: options.commercePort ?? DEMO_PORTS.commerce,
      latencyMs,
      resolveUnknownOrder: orders === null ? undefined : demoCommerceOrders(orders),
    });
    started.push(commerce);
    return {
      wms,
      dropship,
      commerce,
      urls: { wms: wms.url, dropship: dropship.url, commerce: commerce.url },
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((s) => s.close()));
    throw error;
  }
}

/** Connector configs pointing at running demo fakes. */
export function demoConnectorConfigs(
  urls: DemoFakes["urls"],
  timeoutMs = 5000,
): { wms: ConnectorConfig; dropship: ConnectorConfig; commerce: ConnectorConfig } {
  return {
    wms: { baseUrl: urls.wms, credentials: { ...DEMO_CREDENTIALS.wms }, timeoutMs },
    dropship: { baseUrl: urls.dropship, credentials: { ...DEMO_CREDENTIALS.dropship }, timeoutMs },
    commerce: { baseUrl: urls.commerce, credentials: { ...DEMO_CREDENTIALS.commerce }, timeoutMs },
  };
}
