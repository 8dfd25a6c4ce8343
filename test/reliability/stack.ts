/**
 * Real processes for the reliability suite: a fresh PostgreSQL database, the web server from
 * `next start` (the production build), `npm run worker` processes, and the fakes in a process of
 * their own. Every line any of them prints is kept (`capturedOutput`), so a case can look for
 * secrets in the logs of the whole run.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { DropshipOrder } from "@/dev/fakes/dropship";
import type { FakeMode } from "@/dev/fakes/server";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import type { FakeName, FakeReport, FakesCommand } from "./fakes-process";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The secrets of the run: set in vitest.reliability.config.ts, so the test process encrypts alike. */
export const RUN_SECRETS = {
  BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? "",
  CONNECTOR_SECRET_KEY: process.env.CONNECTOR_SECRET_KEY ?? "",
};

/** Every line printed by every process this run started, prefixed with the process's name. */
export const capturedOutput: string[] = [];

/** A PostgreSQL database of its own for one case. The suite needs the real server: no PGlite. */
export async function createReliabilityDatabase(poolSize = 20): Promise<TestDatabase & { url: string }> {
  if (!process.env.DATABASE_URL) {
    throw new Error(
      "The reliability suite runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).",
    );
  }
  const database = await createTestDatabase({ poolSize });
  if (!database.url) throw new Error("expected a PostgreSQL database");
  return { ...database, url: database.url };
}

/** The environment of a production process of the app on `databaseUrl`. */
export function productionEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    ...RUN_SECRETS,
    DEMO: "off",
    // The fakes listen on 127.0.0.1.
    CONNECTOR_ALLOW_PRIVATE_NETWORKS: "on",
    WAREHOUSE_RETRY_BASE_MS: "200",
    ...extra,
  };
}

export class ManagedProcess {
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line) capturedOutput.push(`[${name}] ${line}`);
      if (process.env.RELIABILITY_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) =>
      child.once("exit", (code) => {
        this.exitCode = code;
        resolve(code);
      }),
    );
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGKILL by default: the process gets no chance to finish anything. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }
}

/** `node --import tsx` with the server's conditions, as `npm run worker` runs. */
function spawnTsx(name: string, script: string, env: NodeJS.ProcessEnv, ipc = false): ManagedProcess {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", script], {
    cwd: ROOT,
    env,
    stdio: ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  return new ManagedProcess(name, child);
}

/** A separate background worker (`npm run worker`): batch runner, outbox dispatcher, recovery sweep. */
export function startWorker(
  databaseUrl: string,
  name = "worker",
  extra: Record<string, string> = {},
): ManagedProcess {
  return spawnTsx(name, "worker.ts", productionEnv(databaseUrl, extra));
}

export type WebProcess = ManagedProcess & { url: string };

/**
 * `next start` on `port` (the build must exist: scripts/reliability.mjs builds when it does not).
 * Resolves once /api/health answers. WEB_RUNS_WORKER defaults to off: workers are separate here.
 */
export async function startWeb(
  databaseUrl: string,
  port: number,
  extra: Record<string, string> = {},
): Promise<WebProcess> {
  if (!fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npx next build` first (npm run test:reliability does).");
  }
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: ROOT,
      env: productionEnv(databaseUrl, {
        BETTER_AUTH_URL: url,
        WEB_RUNS_WORKER: "off",
        API_KEY_RATE_LIMIT_PER_MINUTE: "1000000",
        SIGN_IN_RATE_LIMIT_PER_MINUTE: "100000",
        ...extra,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const web = Object.assign(new ManagedProcess(`web:${port}`, child), { url });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (!web.running) throw new Error(`next start on ${port} exited:\n${tail(web.name)}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status < 500) return web;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await web.kill();
      throw new Error(`next start on ${port} did not answer /api/health within 90 s:\n${tail(web.name)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function tail(name: string): string {
  return capturedOutput
    .filter((line) => line.startsWith(`[${name}]`))
    .slice(-30)
    .join("\n");
}

export type FakesProcess = {
  process: ManagedProcess;
  urls: Record<FakeName, string>;
  setMode(fake: FakeName, mode: FakeMode): Promise<void>;
  setLatency(fake: FakeName, ms: number): Promise<void>;
  setFaults(fake: FakeName, faults: { failRate?: number; hangRate?: number; seed?: number }): Promise<void>;
  report(fake: FakeName): Promise<FakeReport>;
  /** The fake WMS refuses these orders from now on (400/810: stock already allocated). */
  wmsRefuse(orderNos: string[]): Promise<void>;
  /** The order numbers the fake WMS has cancelled: its own state, whatever answers were lost. */
  wmsCancelled(): Promise<string[]>;
  /** The fake dropship channel's orders as it holds them now. */
  dropshipOrders(): Promise<DropshipOrder[]>;
  close(): Promise<void>;
};

/** The three fakes in their own process (fakes-process.ts), on free ports, reading orders from `databaseUrl`. */
export async function startFakesProcess(
  databaseUrl: string,
  options: { latencyMs?: number } = {},
): Promise<FakesProcess> {
  const managed = spawnTsx(
    "fakes",
    "test/reliability/fakes-process.ts",
    { ...productionEnv(databaseUrl), FAKE_LATENCY_MS: String(options.latencyMs ?? 0) },
    true,
  );
  const child = managed.child;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (message: { ready?: true; id?: number; result?: unknown; error?: string }) => {
      if (message.ready) return resolve();
      const pending = message.id === undefined ? undefined : waiting.get(message.id);
      if (!pending || message.id === undefined) return;
      waiting.delete(message.id);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
    });
    managed.exited.then((code) => {
      const error = new Error(`the fakes process exited (${code}):\n${tail("fakes")}`);
      reject(error);
      for (const pending of waiting.values()) pending.reject(error);
    });
  });
  await ready;
  const ask = <T>(command: FakesCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...command });
    });
  return {
    process: managed,
    urls: await ask<Record<FakeName, string>>({ op: "urls" }),
    setMode: (fake, mode) => ask({ op: "setMode", fake, mode }),
    setLatency: (fake, ms) => ask({ op: "setLatency", fake, ms }),
    setFaults: (fake, faults) => ask({ op: "setFaults", fake, ...faults }),
    report: (fake) => ask<FakeReport>({ op: "report", fake }),
    wmsRefuse: (orderNos) => ask({ op: "wmsRefuse", orderNos }),
    wmsCancelled: () => ask<string[]>({ op: "wmsCancelled" }),
    dropshipOrders: () => ask<DropshipOrder[]>({ op: "dropshipOrders" }),
    close: async () => {
      if (!managed.running) return;
      child.disconnect();
      const timer = setTimeout(() => managed.child.kill("SIGKILL"), 5_000);
      await managed.exited;
      clearTimeout(timer);
    },
  };
}
