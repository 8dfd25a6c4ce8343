import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Connector credentials at rest: AES-256-GCM with a key from the environment
 * (CONNECTOR_SECRET_KEY). The stored form is `v1.<iv>.<tag>.<ciphertext>`, base64url.
 * A wrong key or a tampered value fails loudly instead of yielding garbage.
 */
export type Credentials = Record<string, string>;

/** Any passphrase becomes a 32-byte key; a random 32-byte base64 value is what production should use. */
export function encryptionKey(secret: string): Buffer {
  return createHash("sha256").update(secret).digest();
}

export function encryptCredentials(credentials: Credentials, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptCredentials(stored: string, key: Buffer): Credentials {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !body)
    throw new Error("stored credentials are not in a known format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  const text = Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
    "utf8",
  );
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== "object") throw new Error("stored credentials are not an object");
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
}
