"use client";

import { useFormatter } from "@/components/format/locale-provider";
import type { PreviewTotals } from "@/lib/batches/contracts";

type PreviewSummaryProps = {
  totals: PreviewTotals;
  kind: "sub_orders" | "line_items";
};

/** The dry run's totals: what Start would do, before anything is cancelled. */
export function PreviewSummary({ totals, kind }: PreviewSummaryProps) {
  const f = useFormatter();
  const items = kind === "sub_orders" ? "Rows" : "Sub-orders";
  const cards = [
    { label: "Rows in file", value: f.count(totals.rows) },
    { label: "Sub-orders", value: f.count(totals.subOrders) },
    { label: `${items} that will cancel`, value: f.count(totals.willCancel), tone: "text-success" },
    {
      label: `${items} that will fail`,
      value: f.count(totals.willFail + totals.invalid),
      tone: totals.willFail + totals.invalid > 0 ? "text-destructive" : undefined,
    },
    { label: "Units to cancel", value: f.count(totals.units) },
    {
      label: "Order value",
      // One amount per currency: orders in rupees and in dollars are never added up.
      value:
        totals.values.length === 0
          ? f.count(0)
          : totals.values.map((v) => f.money(v.valueMinor, v.currency)).join(" + "),
    },
  ];
  return (
    <section
      aria-labelledby="preview-summary-title"
      className="flex flex-col gap-3 rounded-xl border bg-card p-4"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="preview-summary-title" className="font-semibold text-sm">
          Dry run: what Start Cancellation will do
        </h3>
        <p className="text-muted-foreground text-xs">
          Checked against the current state; nothing has been cancelled.
        </p>
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
        {cards.map((c) => (
          <div key={c.label} className="flex flex-col gap-0.5">
            <dt className="text-muted-foreground text-xs">{c.label}</dt>
            <dd className={`font-semibold text-lg tabular-nums ${c.tone ?? ""}`}>{c.value}</dd>
          </div>
        ))}
      </dl>
      {totals.inOtherBatches > 0 ? (
        <p className="text-sm text-warning">
          {f.count(totals.inOtherBatches)} {totals.inOtherBatches === 1 ? "sub-order is" : "sub-orders are"}{" "}
          also in another unfinished batch; their rows are flagged in the table.
        </p>
      ) : null}
    </section>
  );
}
