import { History } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";

import { PageHeader } from "@/components/app-shell/page-header";
import { CancellationsScreen } from "@/components/cancellations/cancellations-screen";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { getBatch } from "@/db/queries/batches";
import { listActiveReasons } from "@/db/queries/sub-orders";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import type { BatchView } from "@/lib/batches/contracts";

import { cancelSubOrderAction } from "./_actions/cancel-sub-order";
import { lookupSubOrderAction } from "./_actions/lookup-sub-order";
import { previewBatchAction } from "./_actions/preview-batch";
import { startBatchAction } from "./_actions/start-batch";
import { updateDraftAction } from "./_actions/update-draft";

const TITLE = "Cancellations";
const DESCRIPTION =
  "Cancel one sub-order, or sub-orders and line items in bulk from a CSV file, and follow every row to SUCCESS or ERROR.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const SINGLE_ACTIONS = { lookup: lookupSubOrderAction, cancel: cancelSubOrderAction };
const BULK_ACTIONS = { preview: previewBatchAction, start: startBatchAction, updateDraft: updateDraftAction };

export default async function CancellationsPage({ searchParams }: PageProps<"/cancellations">) {
  const user = await requirePagePermission("cancel:single", "/cancellations");
  const { batch: batchParam } = await searchParams;
  const db = getDb();
  const reasons = await listActiveReasons(db);
  const batchId =
    typeof batchParam === "string" && z.uuid().safeParse(batchParam).success ? batchParam : null;
  const batch = batchId && can(user.role, "batches:read") ? await getBatch(db, batchId) : null;
  const initialBatch: BatchView | null = batch
    ? {
        id: batch.id,
        kind: batch.kind,
        mode: batch.mode,
        status: batch.status,
        fileName: batch.fileName,
        reasonCode: batch.reasonCode,
        totalItems: batch.totalItems,
        totalRows: batch.totalRows,
        createdAt: batch.createdAt.toISOString(),
        createdByName: batch.createdByName,
      }
    : null;

  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link href="/batches">
              <History aria-hidden="true" />
              Past batches
            </Link>
          </Button>
        }
      />
      {batchParam && !batch ? (
        <Alert variant="warning">
          <AlertTitle>Batch not found</AlertTitle>
          <AlertDescription>
            <p>
              The link names a batch that does not exist. Upload a file below, or find the run under Past
              batches.
            </p>
          </AlertDescription>
        </Alert>
      ) : null}
      <CancellationsScreen
        key={initialBatch?.id ?? "new"}
        reasons={reasons}
        singleActions={SINGLE_ACTIONS}
        bulkActions={BULK_ACTIONS}
        initialBatch={initialBatch}
        permissions={{ single: can(user.role, "cancel:single"), bulk: can(user.role, "cancel:bulk") }}
      />
    </>
  );
}
