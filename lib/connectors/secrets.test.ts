import { describe, expect, test } from "vitest";
import { decryptCredentials, encryptCredentials, encryptionKey } from "./secrets";

describe("credentials at rest", () => {
  const key = encryptionKey("test-key");

  test("round trip, and the stored form never contains the secret", () => {
    const stored = encryptCredentials({ apiKey: "sk_live_123" }, key);
    expect(stored).not.toContain("sk_live_123");
    expect(decryptCredentials(stored, key)).toEqual({ apiKey: "sk_live_123" });
  });

  test("the same credentials encrypt differently each time", () => {
    expect(encryptCredentials({ a: "b" }, key)).not.toBe(encryptCredentials({ a: "b" }, key));
  });

  test("a wrong key or a tampered value is refused", () => {
    const stored = encryptCredentials({ token: "t" }, key);
    expect(() => decryptCredentials(stored, encryptionKey("other"))).toThrow();
    const parts = stored.split(".");
    const tampered = [...parts.slice(0, 3), `${parts[3]?.slice(0, -2)}AA`].join(".");
    expect(() => decryptCredentials(tampered, key)).toThrow();
    expect(() => decryptCredentials("plain", key)).toThrow(/known format/);
  });
});
