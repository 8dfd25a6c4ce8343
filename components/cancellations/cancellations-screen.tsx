"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useId, useRef } from "react";

import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { BatchView } from "@/lib/batches/contracts";
import type { CsvKind } from "@/lib/csv/templates";
import { BulkCancelPanel } from "./bulk-cancel-panel";
import { SingleCancelPanel } from "./single-cancel-panel";

import type { BulkCancelActions, ReasonOption, SingleCancelActions } from "./types";

export const CANCELLATION_TABS = { "sub-orders": "sub_orders", "line-items": "line_items" } as const;
export type CancellationTab = keyof typeof CANCELLATION_TABS;
export const CANCELLATION_TYPES = ["single", "multiple"] as const;
export type CancellationType = (typeof CANCELLATION_TYPES)[number];

export const isCancellationTab = (value: unknown): value is CancellationTab =>
  typeof value === "string" && value in CANCELLATION_TABS;

const tabOfKind = (kind: CsvKind): CancellationTab => (kind === "sub_orders" ? "sub-orders" : "line-items");

/** The tab and cancellation type the URL asks for; without them, the stored batch's tab, else Single Sub-Order. */
function viewOf(
  params: Pick<URLSearchParams, "get">,
  initialBatch: BatchView | null,
): { tab: CancellationTab; type: CancellationType } {
  const tabParam = params.get("tab");
  const typeParam = params.get("type");
  const tab = isCancellationTab(tabParam)
    ? tabParam
    : initialBatch
      ? tabOfKind(initialBatch.kind)
      : "sub-orders";
  const type: CancellationType =
    typeParam === "single" || typeParam === "multiple" ? typeParam : initialBatch ? "multiple" : "single";
  return { tab, type };
}

type CancellationsScreenProps = {
  reasons: readonly ReasonOption[];
  singleActions: SingleCancelActions;
  bulkActions: BulkCancelActions;
  /** The batch the URL names, loaded by the page. */
  initialBatch: BatchView | null;
  permissions: { single: boolean; bulk: boolean };
};

/**
 * The cancellation screen: two tabs whose state lives in the URL (`?tab=`, `?type=`, `?batch=`), so a
 * link opens the right tab and a reload or a reopened link shows the same run. Inactive panels stay
 * mounted (hidden), so switching tabs loses nothing.
 */
export function CancellationsScreen({
  reasons,
  singleActions,
  bulkActions,
  initialBatch,
  permissions,
}: CancellationsScreenProps) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const ids = useId();
  const view = viewOf(searchParams, initialBatch);
  // A role without bulk rights sees the single cancel only: nothing to upload, nothing to start.
  const tab = permissions.bulk ? view.tab : "sub-orders";
  const type = permissions.bulk ? view.type : "single";

  /** The batch each bulk panel shows, so the URL follows the tab. */
  const batchOf = useRef<Record<CsvKind, string | null>>({
    sub_orders: initialBatch?.kind === "sub_orders" ? initialBatch.id : null,
    line_items: initialBatch?.kind === "line_items" ? initialBatch.id : null,
  });

  const writeUrl = useCallback(
    (next: { tab: CancellationTab; type: CancellationType }) => {
      const params = new URLSearchParams();
      params.set("tab", next.tab);
      if (next.tab === "sub-orders") params.set("type", next.type);
      const showsBulk = next.tab === "line-items" || next.type === "multiple";
      const batch = showsBulk ? batchOf.current[CANCELLATION_TABS[next.tab]] : null;
      if (batch) params.set("batch", batch);
      // Next.js folds history.replaceState into its router: useSearchParams follows, nothing reloads.
      window.history.replaceState(null, "", `${pathname}?${params.toString()}`);
    },
    [pathname],
  );

  /** A panel shows another batch: remember it, and put it in the URL when that panel is in view. */
  const batchChanged = useCallback(
    (kind: CsvKind, batchId: string | null) => {
      batchOf.current[kind] = batchId;
      const view = viewOf(new URLSearchParams(window.location.search), initialBatch);
      const inView =
        CANCELLATION_TABS[view.tab] === kind && (kind === "line_items" || view.type === "multiple");
      if (inView) writeUrl(view);
    },
    [initialBatch, writeUrl],
  );
  const subOrderBatchChanged = useCallback(
    (id: string | null) => batchChanged("sub_orders", id),
    [batchChanged],
  );
  const lineItemBatchChanged = useCallback(
    (id: string | null) => batchChanged("line_items", id),
    [batchChanged],
  );

  return (
    <Tabs value={tab} onValueChange={(value) => isCancellationTab(value) && writeUrl({ tab: value, type })}>
      <TabsList aria-label="Cancellation kind" className="h-10">
        <TabsTrigger value="sub-orders" className="px-4">
          Cancel Sub-Orders
        </TabsTrigger>
        {permissions.bulk ? (
          <TabsTrigger value="line-items" className="px-4">
            Cancel Sub-Order Line Items
          </TabsTrigger>
        ) : null}
      </TabsList>

      <TabsContent value="sub-orders" forceMount className="flex flex-col gap-5 data-[state=inactive]:hidden">
        <fieldset className="flex flex-col gap-2" hidden={!permissions.bulk}>
          <legend className="mb-2 font-medium text-sm">Cancellation Type</legend>
          <RadioGroup
            aria-label="Cancellation Type"
            value={type}
            onValueChange={(value) =>
              writeUrl({ tab: "sub-orders", type: value === "single" ? "single" : "multiple" })
            }
            className="flex flex-wrap gap-6"
          >
            <div className="flex items-center gap-2">
              <RadioGroupItem id={`${ids}-single`} value="single" />
              <Label htmlFor={`${ids}-single`} className="font-normal">
                Single Sub-Order
              </Label>
            </div>
            <div className="flex items-center gap-2">
              <RadioGroupItem id={`${ids}-multiple`} value="multiple" />
              <Label htmlFor={`${ids}-multiple`} className="font-normal">
                Multiple Sub-Orders
              </Label>
            </div>
          </RadioGroup>
        </fieldset>
        <div hidden={type !== "single"}>
          <SingleCancelPanel reasons={reasons} actions={singleActions} canCancel={permissions.single} />
        </div>
        {permissions.bulk ? (
          <div hidden={type !== "multiple"}>
            <BulkCancelPanel
              kind="sub_orders"
              reasons={reasons}
              actions={bulkActions}
              initialBatch={initialBatch?.kind === "sub_orders" ? initialBatch : null}
              onBatchChange={subOrderBatchChanged}
            />
          </div>
        ) : null}
      </TabsContent>

      {permissions.bulk ? (
        <TabsContent
          value="line-items"
          forceMount
          className="flex flex-col gap-5 data-[state=inactive]:hidden"
        >
          <BulkCancelPanel
            kind="line_items"
            reasons={reasons}
            actions={bulkActions}
            initialBatch={initialBatch?.kind === "line_items" ? initialBatch : null}
            onBatchChange={lineItemBatchChanged}
          />
        </TabsContent>
      ) : null}
    </Tabs>
  );
}
