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
  /** The locale for numbers, money and dates when neither the user nor the browser says (BCP 47, e.g. en-US). */
  APP_LOCALE: z.string().max(35).optional(),
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
  /**
   * Demo mode: demo data and demo logins in an empty database, and the fake WMS / dropship /
   * commerce servers the demo data points at. On by default only in development (`npm run dev`);
   * `next start` runs without it unless DEMO=on says so.
   */
  DEMO: z.enum(["on", "off"]).optional(),
  /**
   * Whether connectors may reach loopback, private and link-local addresses. Off by default, so an
   * admin-set base URL cannot aim a connector at the inside of the network; on in demo mode (its
   * fakes listen on 127.0.0.1) and in the tests.
   */
  CONNECTOR_ALLOW_PRIVATE_NETWORKS: z.enum(["on", "off"]).optional(),
  /** First wait before a warehouse without a definite answer is asked again (doubling up to 5 minutes). */
  WAREHOUSE_RETRY_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(2_000),
  /**
   * A cancellation whose warehouse could never be reached (every ask refused before it was sent)
   * fails after this long, its units released; one that may have reached it is never given up.
   */
  WAREHOUSE_UNREACHABLE_FAIL_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * Where invite and password-reset links are mailed from (`smtp://user:pass@host:587`,
   * `smtps://…:465`). Unset: no mail; the admin copies the link the screen shows once.
   */
  SMTP_URL: z
    .url()
    .refine((value) => /^smtps?:$/.test(new URL(value).protocol), "must start with smtp:// or smtps://")
    .optional(),
  /** The sender of those mails, e.g. `Order cancellations <oms@example.com>`. */
  MAIL_FROM: z.string().min(3).max(320).optional(),
  /** REST API requests allowed per API key per minute. */
  API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

type ParsedEnv = z.infer<typeof envSchema>;
export type Env = Omit<ParsedEnv, "DEMO" | "CONNECTOR_ALLOW_PRIVATE_NETWORKS"> & {
  DEMO: "on" | "off";
  CONNECTOR_ALLOW_PRIVATE_NETWORKS: "on" | "off";
};

/** Fills the defaults that depend on other settings. */
function resolveDefaults(parsed: ParsedEnv): Env {
  const DEMO = parsed.DEMO ?? (parsed.NODE_ENV === "development" ? "on" : "off");
  return {
    ...parsed,
    DEMO,
    CONNECTOR_ALLOW_PRIVATE_NETWORKS: parsed.CONNECTOR_ALLOW_PRIVATE_NETWORKS ?? DEMO,
  };
}

let cached: Env | undefined;

/** Configuration, read and validated once. A bad value stops the process with a readable message. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Validates configuration from `vars` (empty values count as unset) and fills its defaults. */
export function parseEnv(vars: Record<string, string | undefined>): Env {
  const values = Object.fromEntries(Object.keys(envSchema.shape).map((key) => [key, vars[key] || undefined]));
  const parsed = envSchema.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return resolveDefaults(parsed.data);
}

/**
 * The secret that signs session cookies. Production refuses to start without its own; elsewhere a
 * fixed development secret is used. Checked when auth is first used, so builds and tools that never
 * touch sessions do not need it.
 */
export function authSecret(config: Env = env()): string {
  if (config.NODE_ENV === "production" && config.BETTER_AUTH_SECRET === DEV_AUTH_SECRET) {
    throw new Error(
      "Invalid configuration: BETTER_AUTH_SECRET is the public development value; production needs its own.",
    );
  }
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
  if (config.NODE_ENV === "production" && config.CONNECTOR_SECRET_KEY === DEV_CONNECTOR_SECRET) {
    throw new Error(
      "Invalid configuration: CONNECTOR_SECRET_KEY is the public development value; production needs its own.",
    );
  }
  if (config.CONNECTOR_SECRET_KEY) return config.CONNECTOR_SECRET_KEY;
  if (config.NODE_ENV === "production") {
    throw new Error(
      "Invalid configuration: CONNECTOR_SECRET_KEY is required in production (generate one with `openssl rand -base64 32`).",
    );
  }
  return DEV_CONNECTOR_SECRET;
}
