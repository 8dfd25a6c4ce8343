import { Upload } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";

import { PageHeader } from "@/components/app-shell/page-header";
import type { BatchListItem } from "@/components/batches/batches-columns";
import { BatchesTable } from "@/components/batches/batches-table";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { listBatchSummaries } from "@/db/queries/batch-view";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Batches";
const DESCRIPTION =
  "Past bulk cancellation runs: who uploaded them, when, and how many rows succeeded or failed. Open one to see its rows and download its error CSV.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PAGE_SIZE = 25;
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

export default async function BatchesPage({ searchParams }: PageProps<"/batches">) {
  const user = await requirePagePermission("batches:read", "/batches");
  const page = pageSchema.parse((await searchParams).page ?? 1);
  const { rows, total } = await listBatchSummaries(getDb(), {
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const batches: BatchListItem[] = rows.map((b) => ({
    id: b.id,
    kind: b.kind,
    fileName: b.fileName,
    status: b.status,
    createdByName: b.createdByName,
    createdAt: b.createdAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
    totalItems: b.totalItems,
    totalRows: b.totalRows,
    success: b.success,
    error: b.error,
  }));
  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          can(user.role, "cancel:bulk") ? (
            <Button asChild size="sm">
              <Link href="/cancellations?tab=sub-orders&type=multiple">
                <Upload aria-hidden="true" />
                Upload a file
              </Link>
            </Button>
          ) : null
        }
      />
      <BatchesTable batches={batches} />
      <DataTablePagination
        page={page}
        pageSize={PAGE_SIZE}
        total={total}
        noun="batches"
        hrefFor={(p) => (p === 1 ? "/batches" : `/batches?page=${p}`)}
      />
    </>
  );
}
