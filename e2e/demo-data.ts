/**
 * The demo data as the seed generates it, for picking sub-orders in a known state. Every spec
 * takes its own slice of a pool, so the specs do not depend on each other or on their order.
 */
import fs from "node:fs";
import path from "node:path";

import { generateSeedData, type SeedLine } from "@/dev/seed";
import { demoCancelRequests } from "@/dev/seed/cancel-requests";
import { SEED_CHANNELS } from "@/dev/seed/reference-data";
import type { ChannelPolicy, PlannedLine } from "@/lib/cancellation/rules";

export const seed = generateSeedData();
export const SAMPLES_DIR = path.join(process.cwd(), "public", "samples");
const sampleText = fs
  .readdirSync(SAMPLES_DIR)
  .filter((f) => f.endsWith(".csv"))
  .map((f) => fs.readFileSync(path.join(SAMPLES_DIR, f), "utf8"))
  .join("\n");
const usedBySamples = new Set(sampleText.match(/SO-\d{6}-\d+/g) ?? []);
export const MANUAL_WAREHOUSES = new Set(["WH-BLR-01", "WH-DEL-02"]);
export const warehouseOf = new Map(seed.subOrders.map((s) => [s.id as string, s.warehouseId as string]));

const channelOfOrder = new Map(seed.orders.map((o) => [o.id as string, o.channelId as string]));
const orderOf = new Map(seed.subOrders.map((s) => [s.id as string, s.orderId as string]));
const partialChannels = new Set(SEED_CHANNELS.filter((c) => c.partialQuantities).map((c) => c.id));
/** The sub-order's channel lets a line lose part of its quantity (not whole lines only). */
export const allowsPartialQuantities = (subOrderId: string): boolean =>
  partialChannels.has(channelOfOrder.get(orderOf.get(subOrderId) ?? "") ?? "");

const currencyOfOrder = new Map(seed.orders.map((o) => [o.id as string, o.currency as string]));
/** The currency of a demo sub-order's order (its amounts are in it). */
export const currencyOf = (subOrderId: string): string =>
  currencyOfOrder.get(orderOf.get(subOrderId) ?? "") ?? "";

/** The channel policy the rules apply to a demo sub-order. */
export const policyOf = (subOrderId: string): ChannelPolicy => ({
  channelName: "The channel",
  partialQuantities: allowsPartialQuantities(subOrderId),
});

export const linesOf = new Map<string, SeedLine[]>();
for (const line of seed.lineItems)
  linesOf.set(line.subOrderId, [...(linesOf.get(line.subOrderId) ?? []), line]);
export const plannedLines = (subOrderId: string): PlannedLine[] =>
  (linesOf.get(subOrderId) ?? []).map((l, i) => ({ ...l, id: i + 1 }));

/** The demo's open customer cancel requests; their orders are in no pool. */
export const cancelRequests = demoCancelRequests(seed);
const requestOrders = new Set(cancelRequests.map((r) => r.orderId));
const inRequest = (subOrderId: string) => requestOrders.has(orderOf.get(subOrderId) ?? "");

/** Sub-orders of a status in the demo's manual warehouses, not fixtures, not in any sample file or cancel request. */
export function pool(status: string): string[] {
  return seed.subOrders
    .filter(
      (s) =>
        s.status === status &&
        MANUAL_WAREHOUSES.has(s.warehouseId as string) &&
        !usedBySamples.has(s.id as string) &&
        !inRequest(s.id as string) &&
        !/^SO-00000\d-/.test(s.id as string),
    )
    .map((s) => s.id as string);
}

/**
 * Open sub-orders in the demo's 3PL warehouse (its WMS fake refuses orders whose number ends in 7,
 * so those are left out), not fixtures, not in any sample file.
 */
export function wmsPool(): string[] {
  return seed.subOrders
    .filter(
      (s) =>
        s.status === "open" &&
        s.warehouseId === "WH-3PL-TGR04" &&
        !usedBySamples.has(s.id as string) &&
        !inRequest(s.id as string) &&
        !/^SO-00000\d-/.test(s.id as string) &&
        !/^SO-\d*7-/.test(s.id as string),
    )
    .map((s) => s.id as string);
}
