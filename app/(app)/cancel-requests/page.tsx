import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { CancelRequestsTable } from "@/components/cancel-requests/cancel-requests-table";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { loadApprovableLines } from "@/db/queries/cancel-request-lines";
import { CANCEL_REQUEST_STATES } from "@/db/schema";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";
import { isCancelRequestCursor, listCancelRequests } from "@/lib/orders/cancel-request-decisions";
import { cn } from "@/lib/utils";

import { approveCancelRequestAction, rejectCancelRequestAction } from "./_actions/decide";

const TITLE = "Cancel requests";
const DESCRIPTION =
  "Approve or reject cancellations that customers asked for through a channel, with their reason already filled in. The longest-waiting customer is on top.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const ACTIONS = { approve: approveCancelRequestAction, reject: rejectCancelRequestAction };
const TABS = [
  { state: "open", label: "Open" },
  { state: "approved", label: "Approved" },
  { state: "rejected", label: "Rejected" },
  { state: "expired", label: "Expired" },
  { state: "all", label: "All" },
] as const;

export default async function CancelRequestsPage({ searchParams }: PageProps<"/cancel-requests">) {
  const user = await requirePagePermission("orders:read", "/cancel-requests");
  const params = await searchParams;
  const stateParam = typeof params.state === "string" ? params.state : "open";
  const state = (CANCEL_REQUEST_STATES as readonly string[]).includes(stateParam)
    ? (stateParam as (typeof CANCEL_REQUEST_STATES)[number])
    : undefined;
  const tab = state ?? "all";
  const cursor =
    typeof params.cursor === "string" && isCancelRequestCursor(params.cursor) ? params.cursor : undefined;
  const db = getDb();
  const page = await listCancelRequests(db, { state, cursor });
  const linesByOrder = await loadApprovableLines(
    db,
    page.rows.filter((r) => r.state === "open").map((r) => r.orderId),
  );

  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <nav aria-label="Request states" className="flex flex-wrap gap-1">
        {TABS.map((t) => (
          <Link
            key={t.state}
            href={t.state === "open" ? "/cancel-requests" : `/cancel-requests?state=${t.state}`}
            aria-current={t.state === tab ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 font-medium text-sm",
              t.state === tab
                ? "bg-secondary text-secondary-foreground"
                : "text-muted-foreground hover:bg-muted",
            )}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <CancelRequestsTable
        rows={page.rows}
        linesByOrder={linesByOrder}
        canDecide={can(user.role, "requests:decide")}
        actions={ACTIONS}
      />
      {page.nextCursor ? (
        <div className="flex justify-end">
          <Button asChild variant="outline" size="sm">
            <Link
              href={`/cancel-requests?state=${tab}&cursor=${encodeURIComponent(page.nextCursor)}`}
              rel="next"
            >
              Next
            </Link>
          </Button>
        </div>
      ) : null}
    </>
  );
}
