import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers every webhook carries. */
export const WEBHOOK_HEADERS = {
  /** `sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the channel's webhook secret>` */
  signature: "X-Webhook-Signature",
  /** The delivery's id: the same on every retry of one delivery, so a receiver can drop duplicates. */
  id: "X-Webhook-Id",
  /** `cancel_request.approved`, `cancel_request.rejected`. */
  event: "X-Webhook-Event",
} as const;

/** The `X-Webhook-Signature` value of a body: `sha256=` and the hex HMAC-SHA256 of its bytes. */
export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Whether a signature header matches the body, compared in constant time: what a receiver does
 * (and what the tests' receiver does) before it trusts a webhook.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string | Uint8Array,
  header: string | null | undefined,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
