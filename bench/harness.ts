import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** One measured figure beside its reference, both from the same run. */
export type Figure = {
  name: string;
  value: number;
  unit: string;
  reference: { name: string; value: number; unit: string };
  /**
   * value / reference, whichever way is better: 12.06 ms against 6.15 ms reads 1.96x (the figure is
   * twice its reference), and the target says which way it must go (">= 0.4x", "<= 5x").
   */
  ratio: number;
  target: string;
  met: boolean;
  note?: string;
};

export function figure(f: Omit<Figure, "ratio">): Figure {
  return { ...f, ratio: f.value / f.reference.value };
}

/** Builds the app when there is no production build yet (the figures that run `next start` need one). */
export function ensureProductionBuild(log: (message: string) => void): void {
  if (fs.existsSync(path.join(".next", "BUILD_ID"))) return;
  log("no production build yet: building it first (npx next build)");
  const built = spawnSync("npx", ["next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (built.status !== 0) throw new Error("next build failed");
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en") : n.toFixed(2));

export function printFigures(figures: Figure[]): void {
  const rows = figures.map((f) => ({
    figure: f.name,
    value: `${fmt(f.value)} ${f.unit}`,
    reference: `${f.reference.name}: ${fmt(f.reference.value)} ${f.reference.unit}`,
    ratio: `${f.ratio.toFixed(2)}x`,
    target: f.target,
    met: f.met ? "yes" : "NO",
  }));
  console.table(rows);
  for (const f of figures) if (f.note) console.log(`- ${f.name}: ${f.note}`);
}

export function writeResults(figures: Figure[], meta: Record<string, unknown>): string {
  const file = path.join("bench", "results", "latest.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...meta, figures }, null, 2)}\n`);
  return file;
}
