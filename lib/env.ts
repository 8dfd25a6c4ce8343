import { z } from "zod";

/** Used only outside production, so `npm run dev` works on a bare machine. Never in production. */
export const DEV_AUTH_SECRET = "dev-only-secret-order-cancellations-not-for-production";

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)));

const envSchema = z.object({
  DATABASE_URL: z.url().optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** "off" when separate `npm run worker` processes do the background work (PostgreSQL only). */
  WEB_RUNS_WORKER: z.enum(["on", "off"]).default("on"),
  /** Signs session cookies and tokens. Required in production: `openssl rand -base64 32`. */
  BETTER_AUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  /** The public address of the app (scheme, host, port): cookies, redirects and origin checks use it. */
  BETTER_AUTH_URL: z.url().optional(),
  /** Reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For entries are trusted for the client IP. */
  TRUSTED_PROXIES: commaList.default([]),
  /** Sign-in attempts allowed per client IP per minute (every attempt counts). */
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  /** Failed sign-ins allowed per account (email) per 15 minutes before it is locked for the rest of the window. */
  SIGN_IN_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  /** Encrypts connector credentials at rest. Required in production: `openssl rand -base64 32`. */
  CONNECTOR_SECRET_KEY: z
    .string()
    .min(32, "must be at least 32 characters (openssl rand -base64 32)")
    .optional(),
  /** "on": start the fake WMS / dropship / commerce servers the demo data points at (dev default). */
  DEMO_FAKES: z.enum(["on", "off"]).optional(),
  /** REST API requests allowed per API key per minute. */
  API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Configuration, read and validated once. A bad value stops the process with a readable message. */
export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse({
    DATABASE_URL: process.env.DATABASE_URL || undefined,
    PGLITE_DIR: process.env.PGLITE_DIR || undefined,
    NODE_ENV: process.env.NODE_ENV || undefined,
    WEB_RUNS_WORKER: process.env.WEB_RUNS_WORKER || undefined,
    BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET || undefined,
    BETTER_AUTH_URL: process.env.BETTER_AUTH_URL || undefined,
    TRUSTED_PROXIES: process.env.TRUSTED_PROXIES || undefined,
    SIGN_IN_RATE_LIMIT_PER_MINUTE: process.env.SIGN_IN_RATE_LIMIT_PER_MINUTE || undefined,
    SIGN_IN_FAILURES_PER_ACCOUNT: process.env.SIGN_IN_FAILURES_PER_ACCOUNT || undefined,
    API_KEY_RATE_LIMIT_PER_MINUTE: process.env.API_KEY_RATE_LIMIT_PER_MINUTE || undefined,
    CONNECTOR_SECRET_KEY: process.env.CONNECTOR_SECRET_KEY || undefined,
    DEMO_FAKES: process.env.DEMO_FAKES || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * The secret that signs session cookies. Production refuses to start without its own; elsewhere a
 * fixed development secret is used. Checked when auth is first used, so builds and tools that never
 * touch sessions do not need it.
 */
export function authSecret(config: Env = env()): string {
  if (config.BETTER_AUTH_SECRET) return config.BETTER_AUTH_SECRET;
  if (config.NODE_ENV === "production") {
    throw new Error(
      "Invalid configuration: BETTER_AUTH_SECRET is required in production (generate one with `openssl rand -base64 32`).",
    );
  }
  return DEV_AUTH_SECRET;
}

/** Used only outside production, like DEV_AUTH_SECRET. */
export const DEV_CONNECTOR_SECRET = "dev-only-connector-key-order-cancellations-not-for-production";

/** The key that encrypts connector credentials; production must bring its own. */
export function connectorSecret(config: Env = env()): string {
  if (config.CONNECTOR_SECRET_KEY) return config.CONNECTOR_SECRET_KEY;
  if (config.NODE_ENV === "production") {
    throw new Error(
      "Invalid configuration: CONNECTOR_SECRET_KEY is required in production (generate one with `openssl rand -base64 32`).",
    );
  }
  return DEV_CONNECTOR_SECRET;
}
