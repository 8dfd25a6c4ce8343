"use client";

import { useId } from "react";

import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { BatchView } from "@/lib/batches/contracts";

import { BulkCancelPanel } from "./bulk-cancel-panel";
import { SingleCancelPanel } from "./single-cancel-panel";
import type { BulkCancelActions, ReasonOption, SingleCancelActions } from "./types";
import {
  CANCELLATION_TABS,
  type CancellationTab,
  tabOfKind,
  useCancellationsUrl,
} from "./use-cancellations-url";

const isCancellationTab = (value: unknown): value is CancellationTab =>
  typeof value === "string" && value in CANCELLATION_TABS;

type CancellationsScreenProps = {
  reasons: readonly ReasonOption[];
  singleActions: SingleCancelActions;
  bulkActions: BulkCancelActions;
  /** The batch the URL named when the page was loaded. */
  initialBatch: BatchView | null;
  permissions: { single: boolean; bulk: boolean };
};

/**
 * The cancellation screen: two tabs whose state lives in the URL (`?tab=`, `?type=`, `?batch=`,
 * through one hook), so a link opens the right tab and a reload or a reopened link shows the same
 * run. Only the view in sight is mounted; a run goes on on the server whatever the screen shows.
 */
export function CancellationsScreen({
  reasons,
  singleActions,
  bulkActions,
  initialBatch,
  permissions,
}: CancellationsScreenProps) {
  const ids = useId();
  const url = useCancellationsUrl({
    tab: initialBatch ? tabOfKind(initialBatch.kind) : "sub-orders",
    type: initialBatch ? "multiple" : "single",
  });
  // A role without bulk rights sees the single cancel only: nothing to upload, nothing to start.
  const tab = permissions.bulk ? url.tab : "sub-orders";
  const type = permissions.bulk ? url.type : "single";
  const kind = CANCELLATION_TABS[tab];
  const showsBulk = permissions.bulk && (tab === "line-items" || type === "multiple");
  // The batch the page was loaded with, while the URL still names it.
  const linked =
    initialBatch && initialBatch.id === url.batchId && initialBatch.kind === kind ? initialBatch : null;

  const bulkPanel = showsBulk ? (
    <BulkCancelPanel
      key={kind}
      kind={kind}
      reasons={reasons}
      actions={bulkActions}
      initialBatch={linked}
      onBatchChange={url.showBatch}
    />
  ) : null;

  return (
    <Tabs value={tab} onValueChange={(value) => isCancellationTab(value) && url.showView(value, type)}>
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

      <TabsContent value="sub-orders" className="flex flex-col gap-5">
        <fieldset className="flex flex-col gap-2" hidden={!permissions.bulk}>
          <legend className="mb-2 font-medium text-sm">Cancellation Type</legend>
          <RadioGroup
            aria-label="Cancellation Type"
            value={type}
            onValueChange={(value) => url.showView("sub-orders", value === "single" ? "single" : "multiple")}
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
        {type === "single" ? (
          <SingleCancelPanel reasons={reasons} actions={singleActions} canCancel={permissions.single} />
        ) : (
          bulkPanel
        )}
      </TabsContent>

      {permissions.bulk ? (
        <TabsContent value="line-items" className="flex flex-col gap-5">
          {bulkPanel}
        </TabsContent>
      ) : null}
    </Tabs>
  );
}
