import { Search, Settings, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { requestFormatter } from "@/app/_lib/request-locale";
import { PageHeader } from "@/components/app-shell/page-header";
import { DataTableFacetLinks } from "@/components/data-table/data-table-facet-links";
import { DataTablePagination } from "@/components/data-table/data-table-pagination";
import { AutoRefresh } from "@/components/sync/auto-refresh";
import type { OutboxEntryView } from "@/components/sync/outbox-columns";
import { OutboxTable } from "@/components/sync/outbox-table";
import { RetryDeadButton } from "@/components/sync/retry-dead-button";
import { SYNC_STATE_LABELS } from "@/components/sync/sync-format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { getDb } from "@/db/client";
import {
  countOutboxStates,
  listOutboxChannels,
  listOutboxEntries,
  OUTBOX_STATE_FILTERS,
  type OutboxStateFilter,
} from "@/db/queries/outbox";
import { firstValues } from "@/lib/audit/filters";
import { can } from "@/lib/auth/permissions";
import { requirePagePermission } from "@/lib/auth/session";

import { retryDeadNotificationsAction } from "./_actions/retry-dead-notifications";
import { retryNotificationAction } from "./_actions/retry-notification";

const TITLE = "Sync";
const DESCRIPTION =
  "The outbox that tells channels about confirmed cancellations: what is waiting, what was delivered, what gave up, and retry it.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PAGE_SIZE = 50;
const optionalText = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
  z.string().max(100).optional(),
);
const querySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  state: z.enum(OUTBOX_STATE_FILTERS).catch("all"),
  channel: optionalText.catch(undefined),
  q: optionalText.catch(undefined),
});

type Query = z.infer<typeof querySchema>;

const EMPTY: Partial<Record<OutboxStateFilter, string>> = {
  pending: "Nothing is waiting for its first delivery.",
  retrying: "Nothing is being retried.",
  dead: "Nothing is dead-lettered: every notification got through or is still being tried.",
};

function hrefFor(query: Query): string {
  const params = new URLSearchParams();
  if (query.state !== "all") params.set("state", query.state);
  if (query.channel) params.set("channel", query.channel);
  if (query.q) params.set("q", query.q);
  if (query.page > 1) params.set("page", String(query.page));
  const qs = params.toString();
  return qs ? `/sync?${qs}` : "/sync";
}

export default async function SyncPage({ searchParams }: PageProps<"/sync">) {
  const user = await requirePagePermission("orders:read", "/sync");
  const db = getDb();
  const f = await requestFormatter();
  const channels = await listOutboxChannels(db);
  const raw = querySchema.parse(firstValues(await searchParams));
  // An unknown channel in the URL is ignored rather than showing an empty table.
  const channel = channels.find((c) => c.id === raw.channel);
  const query: Query = { ...raw, channel: channel?.id };
  const filters = { state: query.state, channelId: query.channel, q: query.q };
  const [counts, { rows, total }] = await Promise.all([
    countOutboxStates(db, filters),
    listOutboxEntries(db, filters, { offset: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
  ]);
  const now = new Date();
  const canRetry = can(user.role, "sync:retry");

  const entries: OutboxEntryView[] = rows.map((r) => ({
    cancellationId: r.cancellationId,
    subOrderId: r.subOrderId,
    channelId: r.channelId,
    channelName: r.channelName,
    channelOrderNo: r.channelOrderNo,
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.maxAttempts,
    lastError: r.lastError,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
  }));
  // Channels whose notifications cannot get through until someone changes their settings.
  const blocked = channels.filter(
    (c) => c.connector !== "manual" && (!c.enabled || c.credentialsRejectedAt) && (!channel || c === channel),
  );

  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          <>
            <AutoRefresh />
            {can(user.role, "settings:manage") ? (
              <Button asChild variant="outline" size="sm">
                <Link href="/settings/connectors">
                  <Settings aria-hidden="true" />
                  Connector settings
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      {blocked.map((c) => (
        <Alert key={c.id} variant="warning">
          <TriangleAlert aria-hidden="true" />
          <AlertTitle>{c.name} cannot be told about cancellations</AlertTitle>
          <AlertDescription>
            <p>
              {c.credentialsRejectedAt
                ? `The channel refused our credentials on ${f.dateTimeSeconds(c.credentialsRejectedAt)}.`
                : "Its connector is disabled in Settings."}{" "}
              Notifications fail until an admin updates its connector settings; then retry them here.
            </p>
          </AlertDescription>
        </Alert>
      ))}
      <section aria-label="Outbox" className="flex flex-col gap-3">
        <div className="flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
          <DataTableFacetLinks
            label="Filter by state"
            current={query.state}
            hrefFor={(value) => hrefFor({ ...query, state: value as OutboxStateFilter, page: 1 })}
            facets={OUTBOX_STATE_FILTERS.map((s) => ({
              value: s,
              label: s === "all" ? "All" : (SYNC_STATE_LABELS[s] ?? s),
              count: counts[s],
            }))}
          />
          <form method="get" action="/sync" aria-label="Find a sub-order" className="flex items-center gap-2">
            {query.state !== "all" ? <input type="hidden" name="state" value={query.state} /> : null}
            {query.channel ? <input type="hidden" name="channel" value={query.channel} /> : null}
            <label htmlFor="sync-q" className="sr-only">
              Sub-order or channel order number
            </label>
            <Input
              id="sync-q"
              name="q"
              defaultValue={query.q ?? ""}
              placeholder="Sub-order or channel order no"
              className="h-8 w-72 font-mono"
              autoComplete="off"
              spellCheck={false}
            />
            <Button type="submit" variant="secondary" size="sm">
              <Search aria-hidden="true" />
              Find
            </Button>
            {query.q ? (
              <Button asChild variant="ghost" size="sm">
                <Link href={hrefFor({ ...query, q: undefined, page: 1 })}>Clear</Link>
              </Button>
            ) : null}
          </form>
        </div>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <DataTableFacetLinks
            label="Filter by channel"
            current={query.channel ?? ""}
            hrefFor={(value) => hrefFor({ ...query, channel: value || undefined, page: 1 })}
            facets={[
              { value: "", label: "All channels" },
              ...channels.map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          {channel && canRetry && counts.dead > 0 ? (
            <RetryDeadButton
              channelId={channel.id}
              channelName={channel.name}
              dead={counts.dead}
              retryDead={retryDeadNotificationsAction}
            />
          ) : null}
        </div>
        <OutboxTable
          rows={entries}
          now={now.toISOString()}
          canRetry={canRetry}
          retry={retryNotificationAction}
          empty={
            counts.all === 0 && !query.q && !query.channel
              ? "Nothing has been sent to a channel yet. Confirmed cancellations on channels with an API appear here."
              : (!query.q && EMPTY[query.state]) || "No channel notifications match these filters."
          }
        />
        <DataTablePagination
          page={query.page}
          pageSize={PAGE_SIZE}
          total={total}
          noun="notifications"
          hrefFor={(p) => hrefFor({ ...query, page: p })}
        />
      </section>
    </>
  );
}
