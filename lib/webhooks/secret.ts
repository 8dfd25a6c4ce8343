import { randomBytes } from "node:crypto";
import { decryptCredentials, encryptCredentials, encryptionKey } from "@/lib/connectors/secrets";
import { connectorSecret } from "@/lib/env";

/**
 * A channel's webhook secret at rest, encrypted like connector credentials (AES-256-GCM with
 * CONNECTOR_SECRET_KEY, lib/connectors/secrets.ts) as the object `{ secret }`. It never reaches
 * the browser or a log; Settings shows it once, when it is generated.
 */
export function encryptWebhookSecret(secret: string): string {
  return encryptCredentials({ secret }, encryptionKey(connectorSecret()));
}

/** The secret of a stored `channels.webhook_secret_encrypted`; throws when it cannot be read. */
export function decryptWebhookSecret(stored: string): string {
  const { secret } = decryptCredentials(stored, encryptionKey(connectorSecret()));
  if (!secret) throw new Error("the stored webhook secret is empty");
  return secret;
}

/** A new random secret (32 bytes, base64url) for a channel's webhooks. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
