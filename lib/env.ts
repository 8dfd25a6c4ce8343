import { z } from "zod";

const envSchema = z.object({
  DATABASE_URL: z.url().optional(),
  PGLITE_DIR: z.string().min(1).default(".data/pglite"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** "off" when separate `npm run worker` processes do the background work (PostgreSQL only). */
  WEB_RUNS_WORKER: z.enum(["on", "off"]).default("on"),
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
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}
