import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { users } from "@/db/schema";
import { DEMO_USERS, seedDemoUsers } from "@/db/seed-users";
import { createApiKey } from "@/lib/auth/api-keys";
import { DEV_AUTH_SECRET, DEV_CONNECTOR_SECRET, parseEnv } from "@/lib/env";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { checkConfiguration, prepareDatabase } from "./start-server";

const PRODUCTION = {
  NODE_ENV: "production",
  BETTER_AUTH_SECRET: "a-production-secret-of-at-least-32-characters",
  BETTER_AUTH_URL: "https://oms.example.com",
  CONNECTOR_SECRET_KEY: "a-production-connector-key-of-32-characters!",
  TRUSTED_PROXIES: "10.0.0.0/24",
};

describe("configuration at start", () => {
  test("demo mode is on in development only, unless DEMO says otherwise; private networks follow it", () => {
    expect(parseEnv({ NODE_ENV: "development" })).toMatchObject({
      DEMO: "on",
      CONNECTOR_ALLOW_PRIVATE_NETWORKS: "on",
    });
    expect(parseEnv({ NODE_ENV: "production" })).toMatchObject({
      DEMO: "off",
      CONNECTOR_ALLOW_PRIVATE_NETWORKS: "off",
    });
    expect(parseEnv({ NODE_ENV: "production", DEMO: "on" })).toMatchObject({ DEMO: "on" });
    expect(parseEnv({ NODE_ENV: "test" })).toMatchObject({
      DEMO: "off",
      CONNECTOR_ALLOW_PRIVATE_NETWORKS: "off",
    });
  });

  test("production refuses missing secrets and the public development ones", () => {
    expect(() => checkConfiguration(parseEnv(PRODUCTION))).not.toThrow();
    expect(() => checkConfiguration(parseEnv({ ...PRODUCTION, CONNECTOR_SECRET_KEY: "" }))).toThrow(
      /CONNECTOR_SECRET_KEY is required/,
    );
    expect(() =>
      checkConfiguration(parseEnv({ ...PRODUCTION, CONNECTOR_SECRET_KEY: DEV_CONNECTOR_SECRET })),
    ).toThrow(/CONNECTOR_SECRET_KEY is the public development value/);
    expect(() =>
      checkConfiguration(parseEnv({ ...PRODUCTION, BETTER_AUTH_SECRET: DEV_AUTH_SECRET })),
    ).toThrow(/BETTER_AUTH_SECRET is the public development value/);
    expect(() => checkConfiguration(parseEnv({ ...PRODUCTION, BETTER_AUTH_URL: "" }))).toThrow(
      /BETTER_AUTH_URL/,
    );
  });

  test("production without TRUSTED_PROXIES says how the client IP is read", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      checkConfiguration(parseEnv({ ...PRODUCTION, TRUSTED_PROXIES: "" }));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("TRUSTED_PROXIES is not set"));
    } finally {
      warn.mockRestore();
    }
  });
});

describe("demo logins", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  test("a start without demo mode removes demo logins left in the database, and says so", async () => {
    await seedDemoUsers(database.db);
    await createApiKey({ name: "demo key", scopes: ["read"], createdBy: "demo-admin" }, database.db);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      await prepareDatabase(database, parseEnv(PRODUCTION));
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("removed the demo logins admin@demo.test"));
    } finally {
      warn.mockRestore();
    }
    for (const demo of DEMO_USERS) {
      expect(await database.db.select().from(users).where(eq(users.email, demo.email))).toEqual([]);
    }
    // A second start finds nothing to remove and says nothing.
    const quiet = vi.spyOn(console, "warn").mockImplementation(() => {});
    await prepareDatabase(database, parseEnv(PRODUCTION));
    expect(quiet).not.toHaveBeenCalled();
    quiet.mockRestore();
  });
});
