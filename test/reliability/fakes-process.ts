/**
 * The fake WMS, dropship and commerce servers in a process of their own, as real remotes are: the
 * app's processes and the test share no event loop with them. Started by `startFakesProcess`
 * (stack.ts), steered over the IPC channel: every message is `{ id, op, fake?, ... }` and gets
 * `{ id, result }` or `{ id, error }` back.
 *
 * The channels learn the orders they are asked about from DATABASE_URL, as the demo fakes do.
 */
import { openPostgres } from "@/db/client";
import { startFakeCommerce } from "@/dev/fakes/commerce";
import { demoCommerceOrders, demoDropshipOrders } from "@/dev/fakes/demo-orders";
import { startFakeDropship } from "@/dev/fakes/dropship";
import type { FakeMode, FakeServer } from "@/dev/fakes/server";
import { type FakeWms, startFakeWms } from "@/dev/fakes/wms";

const url = process.env.DATABASE_URL;
if (!url || !process.send)
  throw new Error("fakes-process.ts runs under startFakesProcess (DATABASE_URL and IPC)");
const database = openPostgres(url, 2);
const orders = () => database.db;
const latencyMs = Number(process.env.FAKE_LATENCY_MS ?? 0);

const wms: FakeWms = await startFakeWms({ latencyMs });
const dropship = await startFakeDropship({ latencyMs, resolveUnknownOrder: demoDropshipOrders(orders) });
const fakes: Record<FakeName, FakeServer> = {
  wms,
  dropship,
  commerce: await startFakeCommerce({ latencyMs, resolveUnknownOrder: demoCommerceOrders(orders) }),
};

export type FakeName = "wms" | "dropship" | "commerce";

/** What the test reads back: every request (headers cut to the idempotency key) and the counters. */
export type FakeReport = {
  requests: { method: string; path: string; idempotencyKey: string | null; body: unknown }[];
  distinctDeliveries: number;
  replays: number;
};

export type FakesCommand =
  | { op: "urls" }
  | { op: "setMode"; fake: FakeName; mode: FakeMode }
  | { op: "setLatency"; fake: FakeName; ms: number }
  | { op: "setFaults"; fake: FakeName; failRate?: number; hangRate?: number; seed?: number }
  | { op: "report"; fake: FakeName }
  /** The WMS refuses these orders from now on (400/810, stock already allocated). */
  | { op: "wmsRefuse"; orderNos: string[] }
  /** The order numbers the WMS has cancelled (its own state, not our requests). */
  | { op: "wmsCancelled" }
  /** The dropship channel's orders as it holds them now (items cancelled, replaced, kept). */
  | { op: "dropshipOrders" };

function run(command: FakesCommand): unknown {
  switch (command.op) {
    case "urls":
      return { wms: fakes.wms.url, dropship: fakes.dropship.url, commerce: fakes.commerce.url };
    case "setMode":
      fakes[command.fake].setMode(command.mode);
      return null;
    case "setLatency":
      fakes[command.fake].setLatency(command.ms);
      return null;
    case "setFaults":
      fakes[command.fake].setFaults(command);
      return null;
    case "report": {
      const fake = fakes[command.fake];
      return {
        requests: fake.requests.map((r) => ({
          method: r.method,
          path: r.path,
          idempotencyKey: r.headers["idempotency-key"] ?? null,
          body: r.body,
        })),
        distinctDeliveries: fake.distinctDeliveries,
        replays: fake.replays,
      } satisfies FakeReport;
    }
    case "wmsRefuse":
      for (const orderNo of command.orderNos) wms.refuse(orderNo);
      return null;
    case "wmsCancelled":
      return [...wms.cancelled];
    case "dropshipOrders":
      return [...dropship.orders.values()];
  }
}

process.on("message", (message: { id: number } & FakesCommand) => {
  try {
    process.send?.({ id: message.id, result: run(message) });
  } catch (error) {
    process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
process.on("disconnect", async () => {
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
  await database.close();
  process.exit(0);
});
process.send({ ready: true });
