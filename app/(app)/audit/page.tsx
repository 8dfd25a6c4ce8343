import { ChevronRight, Download } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { AuditEventsTable } from "@/components/audit/audit-events-table";
import { AuditFiltersForm } from "@/components/audit/audit-filters-form";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { AUDIT_PAGE_SIZE, listAuditEvents } from "@/db/queries/audit";
import {
  type AuditFilters,
  auditCursorSchema,
  auditFiltersSchema,
  auditQueryString,
  firstValues,
} from "@/lib/audit/filters";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Audit log";
const DESCRIPTION =
  "Every sign-in, cancellation attempt, batch start and settings change: who, when, from where, and how it ended.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

type AuditPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditLogPage({ searchParams }: AuditPageProps) {
  await requirePagePermission("audit:read", "/audit");
  const params = firstValues(await searchParams);
  const parsed = auditFiltersSchema.safeParse(params);
  const filters: AuditFilters = parsed.success ? parsed.data : {};
  const filterError = parsed.success
    ? undefined
    : `The filters were ignored: ${parsed.error.issues[0]?.message}.`;
  const cursor = auditCursorSchema.safeParse(params.before);
  const before = cursor.success ? cursor.data : undefined;

  const { rows, nextBefore } = await listAuditEvents(getDb(), filters, { before });

  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          <Button asChild variant="outline">
            <a href={`/api/audit/export${auditQueryString(filters)}`} download>
              <Download aria-hidden="true" />
              Export CSV
            </a>
          </Button>
        }
      />
      <AuditFiltersForm filters={filters} error={filterError} />
      <AuditEventsTable rows={rows} />
      <nav aria-label="Pagination" className="flex items-center justify-between gap-3 text-sm">
        <p className="text-muted-foreground">
          {rows.length === 0
            ? "No events."
            : `${rows.length} event${rows.length === 1 ? "" : "s"}, newest first${before ? " (older page)" : ""}. Up to ${AUDIT_PAGE_SIZE} a page.`}
        </p>
        <div className="flex items-center gap-2">
          {before ? (
            <Button asChild variant="outline" size="sm">
              <Link href={`/audit${auditQueryString(filters)}`}>Newest</Link>
            </Button>
          ) : null}
          {nextBefore ? (
            <Button asChild variant="outline" size="sm">
              <Link href={`/audit${auditQueryString(filters, nextBefore)}`} rel="next">
                Older
                <ChevronRight aria-hidden="true" />
              </Link>
            </Button>
          ) : null}
        </div>
      </nav>
    </>
  );
}
