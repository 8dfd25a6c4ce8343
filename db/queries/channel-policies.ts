import "server-only";
import { asc, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { channels } from "@/db/schema";

/**
 * One channel's policies as Settings shows them. Whether a webhook secret is stored is all it says
 * about it: neither the secret nor its ciphertext leaves the server.
 */
export type ChannelPolicyRow = {
  id: string;
  name: string;
  connector: string;
  partialQuantities: boolean;
  fillOrKill: boolean;
  cargoRefund: boolean;
  webhookUrl: string | null;
  hasWebhookSecret: boolean;
};

/** Every channel's policies, by name. */
export async function listChannelPolicies(db: DbOrTx): Promise<ChannelPolicyRow[]> {
  return db
    .select({
      id: channels.id,
      name: channels.name,
      connector: channels.connector,
      partialQuantities: channels.partialQuantities,
      fillOrKill: channels.fillOrKill,
      cargoRefund: channels.cargoRefund,
      webhookUrl: channels.webhookUrl,
      hasWebhookSecret: sql<boolean>`${channels.webhookSecretEncrypted} IS NOT NULL`,
    })
    .from(channels)
    .orderBy(asc(channels.name));
}
