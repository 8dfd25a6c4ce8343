import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { channels } from "@/db/schema";
import { connectorConfigOf } from "@/lib/connectors/config";
import { type ChannelNotifier, channelNotifierFor } from "@/lib/connectors/notification";
import { cachedSetting } from "@/lib/server/settings-cache";

export type ChannelDelivery = {
  notifier: ChannelNotifier;
  maxAttempts: number;
  enabled: boolean;
  name: string;
};

/** How to tell one channel about a cancellation, from its stored settings. Retries are the outbox's business. */
export function resolveChannelNotifier(db: Db, channelId: string): Promise<ChannelDelivery> {
  return cachedSetting(`channel:${channelId}`, async () => {
    const [row] = await db.select().from(channels).where(eq(channels.id, channelId));
    if (!row) throw new Error(`channel ${channelId} does not exist`);
    const notifier =
      row.connector === "manual"
        ? channelNotifierFor("manual")
        : channelNotifierFor(row.connector, connectorConfigOf(row));
    return { notifier, maxAttempts: row.maxAttempts, enabled: row.enabled, name: row.name };
  });
}
