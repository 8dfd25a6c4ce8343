import { ArrowLeft, Download, Play, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requestFormatter } from "@/app/_lib/request-locale";
import { PageHeader } from "@/components/app-shell/page-header";
import { BatchItemsTable } from "@/components/batches/batch-items-table";
import {
  BATCH_KIND_LABELS,
  BATCH_MODE_LABELS,
  BATCH_STATUS_LABELS,
  BATCH_STATUS_VARIANT,
  batchScreenHref,
} from "@/components/batches/batch-labels";
import { BatchLiveProgress } from "@/components/batches/batch-live-progress";
import { RetryFailedButton } from "@/components/batches/retry-failed-button";
import { BatchProgress } from "@/components/cancellations/batch-progress";
import { DataTableFacetLinks } from "@/components/data-table/data-table-facet-links";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { ITEM_STATUS_FILTERS, type ItemStatusFilter, listBatchItemSummaries } from "@/db/queries/batch-view";
import { getBatch, getBatchProgress, getBatchRetries, progressJson } from "@/db/queries/batches";
import { listActiveReasons } from "@/db/queries/sub-orders";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import type { Progress as ProgressView } from "@/lib/batches/contracts";

import { retryFailedRowsAction } from "../_actions/retry-failed-rows";

export const metadata: Metadata = { title: "Batch" };

function BatchLink({ id }: { id: string }) {
  return (
    <Link href={`/batches/${id}`} className="font-mono text-xs underline underline-offset-4">
      {id.slice(0, 8)}
    </Link>
  );
}

const PAGE_SIZE = 100;
const querySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  status: z.enum(ITEM_STATUS_FILTERS).catch("all"),
});

const STATUS_FACETS: Record<ItemStatusFilter, string> = {
  all: "All",
  PENDING: "Pending",
  WAITING: "Waiting for warehouse",
  SUCCESS: "Succeeded",
  ERROR: "Failed",
};

export default async function BatchPage({ params, searchParams }: PageProps<"/batches/[id]">) {
  const { id } = await params;
  const user = await requirePagePermission("batches:read", `/batches/${id}`);
  if (!z.uuid().safeParse(id).success) notFound();
  const db = getDb();
  const f = await requestFormatter();
  const batch = await getBatch(db, id);
  if (!batch) notFound();
  const raw = await searchParams;
  const { page, status } = querySchema.parse({ page: raw.page ?? 1, status: raw.status ?? "all" });
  const [progress, { items, total }, reasons, family] = await Promise.all([
    getBatchProgress(db, id, new Date()),
    listBatchItemSummaries(db, id, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, status }),
    listActiveReasons(db),
    getBatchRetries(db, batch),
  ]);
  if (!progress) notFound();
  const view: ProgressView = { ...progressJson(progress), status: batch.status };
  const noun = "Sub-order";
  const reasonLabel = reasons.find((r) => r.code === batch.reasonCode)?.label ?? batch.reasonCode;
  const hrefFor = (next: { page?: number; status?: ItemStatusFilter }) => {
    const query = new URLSearchParams();
    const s = next.status ?? status;
    const p = next.page ?? 1;
    if (s !== "all") query.set("status", s);
    if (p > 1) query.set("page", String(p));
    const qs = query.toString();
    return qs ? `/batches/${id}?${qs}` : `/batches/${id}`;
  };
  const counts: Record<ItemStatusFilter, number> = {
    all: progress.total,
    PENDING: progress.pending,
    WAITING: progress.waiting,
    SUCCESS: progress.success,
    ERROR: progress.error,
  };
  const facts = [
    { label: "Kind", value: `${BATCH_KIND_LABELS[batch.kind]} · ${BATCH_MODE_LABELS[batch.mode]}` },
    { label: "Reason (default)", value: reasonLabel },
    { label: "Uploaded by", value: batch.createdByName },
    { label: "Uploaded", value: f.dateTime(batch.createdAt) },
    {
      label: "Started",
      value: batch.startedAt
        ? `${f.dateTime(batch.startedAt)}${batch.startedByName ? ` by ${batch.startedByName}` : ""}`
        : "—",
    },
    { label: "Finished", value: batch.finishedAt ? f.dateTime(batch.finishedAt) : "—" },
    { label: "Rows in file", value: f.count(batch.totalRows) },
    { label: "Units cancelled", value: f.count(progress.units) },
    ...(family.parentBatchId ? [{ label: "Retry of", value: <BatchLink id={family.parentBatchId} /> }] : []),
    ...(family.retries.length > 0
      ? [
          {
            label: family.retries.length === 1 ? "Retried as" : "Retried as (latest last)",
            value: (
              <span className="flex flex-wrap gap-x-2">
                {family.retries.map((r) => (
                  <BatchLink key={r.id} id={r.id} />
                ))}
              </span>
            ),
          },
        ]
      : []),
  ];
  const canRetry =
    batch.status === "completed" &&
    family.retryable > 0 &&
    can(user.role, "cancel:bulk") &&
    !family.retries.some((r) => r.status === "queued" || r.status === "running");

  return (
    <>
      <div>
        <Button asChild variant="ghost" size="sm" className="-ml-3">
          <Link href="/batches">
            <ArrowLeft aria-hidden="true" />
            All batches
          </Link>
        </Button>
      </div>
      <PageHeader
        title={batch.fileName}
        description={<span className="font-mono text-xs">Batch {batch.id}</span>}
        actions={
          <>
            <Badge variant={BATCH_STATUS_VARIANT[batch.status] ?? "outline"} className="h-8 px-3 text-sm">
              {BATCH_STATUS_LABELS[batch.status]}
            </Badge>
            {canRetry ? (
              <RetryFailedButton batchId={batch.id} count={family.retryable} retry={retryFailedRowsAction} />
            ) : null}
            {progress.error > 0 ? (
              <Button asChild variant="outline" size="sm">
                <a href={`/api/batches/${batch.id}/errors.csv`} download>
                  <Download aria-hidden="true" />
                  Download Error CSV
                </a>
              </Button>
            ) : null}
          </>
        }
      />
      <dl className="grid grid-cols-2 gap-x-8 gap-y-3 rounded-xl border bg-card p-5 text-sm shadow-xs md:grid-cols-4">
        {facts.map((fact) => (
          <div key={fact.label} className="flex flex-col gap-0.5">
            <dt className="text-muted-foreground text-xs">{fact.label}</dt>
            <dd className="font-medium">{fact.value}</dd>
          </div>
        ))}
      </dl>
      {batch.status === "draft" ? (
        <Alert>
          <Play aria-hidden="true" />
          <AlertTitle>Not started</AlertTitle>
          <AlertDescription>
            <p>
              Nothing in this file has been cancelled.{" "}
              {can(user.role, "cancel:bulk") ? (
                <Link
                  href={batchScreenHref(batch)}
                  className="font-medium text-foreground underline underline-offset-4"
                >
                  Review its dry run and start it
                </Link>
              ) : null}
            </p>
          </AlertDescription>
        </Alert>
      ) : batch.status === "completed" && progress.waiting === 0 ? (
        <BatchProgress progress={view} noun={noun} />
      ) : (
        <BatchLiveProgress batchId={batch.id} initial={view} noun={noun} />
      )}
      {batch.status === "completed" && progress.error > 0 ? (
        <Alert variant="warning">
          <TriangleAlert aria-hidden="true" />
          <AlertTitle>
            {f.count(progress.error)} of {f.count(progress.total)} could not be cancelled
          </AlertTitle>
          <AlertDescription>
            <p>
              The error CSV holds the failed rows as uploaded with the error of each: fix them and upload it
              again.
              {family.retryable > 0
                ? ` ${f.count(family.retryable)} failed for a reason that can pass later (the warehouse could not be reached, another cancellation was in flight): Retry failed rows runs just those again as a new batch.`
                : ""}
            </p>
          </AlertDescription>
        </Alert>
      ) : null}
      <section aria-label="Rows" className="flex flex-col gap-3">
        <DataTableFacetLinks
          label="Filter rows by status"
          current={status}
          hrefFor={(value) => hrefFor({ status: value as ItemStatusFilter, page: 1 })}
          facets={ITEM_STATUS_FILTERS.map((s) => ({ value: s, label: STATUS_FACETS[s], count: counts[s] }))}
        />
        <BatchItemsTable
          batchId={batch.id}
          kind={batch.kind}
          started={batch.status !== "draft"}
          items={items}
        />
        <DataTablePagination
          page={page}
          pageSize={PAGE_SIZE}
          total={total}
          noun={batch.kind === "line_items" ? "sub-orders" : "rows"}
          hrefFor={(p) => hrefFor({ page: p })}
        />
      </section>
    </>
  );
}
