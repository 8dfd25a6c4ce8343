"use client";

import { parseAsString, parseAsStringLiteral, useQueryStates } from "nuqs";

import type { CsvKind } from "@/lib/csv/templates";

export const CANCELLATION_TABS = { "sub-orders": "sub_orders", "line-items": "line_items" } as const;
export type CancellationTab = keyof typeof CANCELLATION_TABS;
export const CANCELLATION_TYPES = ["single", "multiple"] as const;
export type CancellationType = (typeof CANCELLATION_TYPES)[number];

const TAB_VALUES = Object.keys(CANCELLATION_TABS) as CancellationTab[];

export const tabOfKind = (kind: CsvKind): CancellationTab =>
  kind === "sub_orders" ? "sub-orders" : "line-items";

/**
 * The cancellation screen's state in the URL, read and written in this one place: the tab
 * (`?tab=`), the cancellation type (`?type=`) and the batch the visible bulk panel shows
 * (`?batch=`). Without tab and type, `defaults` (the linked batch's tab, else Single Sub-Order).
 */
export function useCancellationsUrl(defaults: { tab: CancellationTab; type: CancellationType }) {
  const [url, setUrl] = useQueryStates(
    {
      tab: parseAsStringLiteral(TAB_VALUES).withDefault(defaults.tab),
      type: parseAsStringLiteral(CANCELLATION_TYPES).withDefault(defaults.type),
      batch: parseAsString,
    },
    { history: "replace" },
  );
  return {
    tab: url.tab,
    type: url.type,
    batchId: url.batch,
    /** Another view: the batch of the one left behind leaves the URL (it stays under Batches). */
    showView: (tab: CancellationTab, type: CancellationType) => void setUrl({ tab, type, batch: null }),
    /** The visible bulk panel shows another batch (or none). */
    showBatch: (batchId: string | null) => void setUrl({ batch: batchId }),
  };
}
