"use client";

import { useFormatter } from "@/components/format/locale-provider";
import type { Progress as ProgressView } from "@/lib/batches/contracts";
import { formatDuration } from "./format";

type BatchProgressProps = {
  progress: ProgressView;
  /** What one item is, capitalised: "Row", "Sub-order". */
  noun: string;
  /** One line (the finished state, under the result banner). */
  compact?: boolean;
};

/** Live progress of a run: a progress bar and its numbers. The live region speaks in steps of 10 %. */
export function BatchProgress({ progress, noun, compact = false }: BatchProgressProps) {
  const f = useFormatter();
  const processed = progress.success + progress.error + progress.waiting;
  const total = Math.max(progress.total, 1);
  const percent = Math.floor((processed / total) * 100);
  const done = progress.status === "completed";
  const stats = [
    { label: "Processed", value: `${f.count(processed)} / ${f.count(progress.total)}` },
    { label: "Succeeded", value: f.count(progress.success), tone: "text-success" },
    {
      label: "Failed",
      value: f.count(progress.error),
      tone: progress.error > 0 ? "text-destructive" : undefined,
    },
    ...(progress.waiting > 0
      ? [{ label: "Waiting for warehouse", value: f.count(progress.waiting), tone: "text-warning" }]
      : []),
    { label: `${noun}s per second`, value: progress.rate ? f.rate(progress.rate) : "—" },
    {
      label: "Time left",
      value: done ? "Done" : progress.etaSeconds !== null ? formatDuration(progress.etaSeconds) : "—",
    },
  ];
  const bar = (
    <div
      role="progressbar"
      aria-label="Rows processed"
      aria-valuemin={0}
      aria-valuemax={progress.total}
      aria-valuenow={processed}
      aria-valuetext={`${f.count(processed)} of ${f.count(progress.total)} processed`}
      className="h-2.5 w-full overflow-hidden rounded-full bg-muted"
    >
      <div
        className="flex h-full transition-[width] duration-500 ease-out"
        style={{ width: `${(processed / total) * 100}%` }}
      >
        <div className="h-full bg-success" style={{ flexGrow: progress.success }} />
        <div className="h-full bg-warning" style={{ flexGrow: progress.waiting }} />
        <div className="h-full bg-destructive" style={{ flexGrow: progress.error }} />
      </div>
    </div>
  );
  if (compact) {
    return (
      <section
        aria-label="Progress"
        className="flex flex-col gap-2 rounded-xl border bg-card px-4 py-3 sm:flex-row sm:items-center sm:gap-4"
      >
        <div className="sm:w-64">{bar}</div>
        <p className="text-muted-foreground text-sm tabular-nums">
          {f.count(processed)} / {f.count(progress.total)} processed ·{" "}
          <span className="text-success">{f.count(progress.success)} succeeded</span> ·{" "}
          <span className={progress.error > 0 ? "text-destructive" : undefined}>
            {f.count(progress.error)} failed
          </span>
          {progress.waiting > 0 ? (
            <span className="text-warning"> · {f.count(progress.waiting)} waiting for the warehouse</span>
          ) : null}
          {progress.rate ? ` · ${f.rate(progress.rate)} ${noun.toLowerCase()}s per second` : ""}
          {done ? "" : " · running"}
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Progress" className="flex flex-col gap-3 rounded-xl border bg-card p-4">
      <div className="flex items-center justify-between gap-4 text-sm">
        <span className="font-medium">
          {done
            ? "Finished"
            : progress.status === "queued"
              ? "Queued: waiting for the runner"
              : "Cancelling…"}
        </span>
        <span className="text-muted-foreground tabular-nums">{percent}%</span>
      </div>
      {bar}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-6">
        {stats.map((s) => (
          <div key={s.label} className="flex flex-col gap-0.5">
            <dt className="text-muted-foreground text-xs">{s.label}</dt>
            <dd className={`font-medium tabular-nums ${s.tone ?? ""}`}>{s.value}</dd>
          </div>
        ))}
      </dl>
      <p className="sr-only" aria-live="polite">
        {done ? "Run finished." : `${Math.floor(percent / 10) * 10} percent processed.`}
      </p>
    </section>
  );
}
