import Link from "next/link";

import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CallRecord, ConnectorHealth } from "@/db/queries/system-health";

function When({ value, empty }: { value: Date | null; empty: string }) {
  return value ? (
    <FormattedDate value={value} seconds />
  ) : (
    <span className="text-muted-foreground">{empty}</span>
  );
}

function LastError({ record }: { record: CallRecord }) {
  if (!record.lastErrorAt) return <span className="text-muted-foreground">none on record</span>;
  return (
    <div className="flex max-w-md flex-col gap-0.5 whitespace-normal">
      <FormattedDate value={record.lastErrorAt} seconds />
      {record.lastError ? (
        <span className="line-clamp-2 break-words text-muted-foreground text-xs" title={record.lastError}>
          {record.lastError}
        </span>
      ) : null}
    </div>
  );
}

function Calls({ connector }: { connector: ConnectorHealth }) {
  if (connector.target === "warehouse" && connector.connector === "manual") {
    return (
      <>
        <TableCell colSpan={2} className="text-muted-foreground text-xs">
          Manual: never asked, no calls to report
        </TableCell>
        <TableCell />
      </>
    );
  }
  return (
    <>
      <TableCell>
        <div className="flex flex-col gap-1">
          <When value={connector.lastSuccessAt} empty="none yet" />
          {connector.webhooks ? (
            <span className="text-muted-foreground text-xs">
              webhooks: <When value={connector.webhooks.lastSuccessAt} empty="none yet" />
            </span>
          ) : null}
        </div>
      </TableCell>
      <TableCell>
        <div className="flex flex-col gap-1">
          <LastError record={connector} />
          {connector.webhooks ? (
            <span className="text-muted-foreground text-xs">
              webhooks: <LastError record={connector.webhooks} />
            </span>
          ) : null}
        </div>
      </TableCell>
      <TableCell className="text-right tabular-nums">
        {connector.target === "warehouse" ? <FormattedCount value={connector.waiting} /> : null}
      </TableCell>
    </>
  );
}

/**
 * What each channel's and warehouse's calls last did, read from what the outbox and the ledger keep:
 * a channel's last delivered notification and the newest error on one not yet delivered; a WMS
 * warehouse's last confirmed cancellation, the newest ask it did not answer, and the asks waiting.
 */
export function ConnectorsStatus({ connectors }: { connectors: ConnectorHealth[] }) {
  return (
    <section aria-labelledby="connectors-heading" className="flex flex-col gap-3">
      <h2 id="connectors-heading" className="font-semibold text-lg">
        Connectors
      </h2>
      <p className="text-muted-foreground text-sm">
        A channel's success is its last delivered notification; a warehouse's, its last confirmed
        cancellation. Errors are kept only on work still undone (a notification delivered in the end clears
        its error). Configure them in{" "}
        <Link href="/settings/connectors" className="underline underline-offset-4">
          Channels and warehouses
        </Link>
        .
      </p>
      <div className="overflow-x-auto rounded-lg border bg-card">
        <Table aria-labelledby="connectors-heading">
          <TableHeader className="bg-muted/60">
            <TableRow className="hover:bg-transparent">
              <TableHead scope="col">Channel or warehouse</TableHead>
              <TableHead scope="col">Last success</TableHead>
              <TableHead scope="col">Last error</TableHead>
              <TableHead scope="col" className="text-right">
                Waiting for an answer
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {connectors.map((c) => (
              <TableRow key={`${c.target}:${c.id}`} data-connector={`${c.target}:${c.id}`}>
                <TableHead scope="row" className="font-normal">
                  <div className="flex flex-col gap-1">
                    <span className="font-medium">{c.name}</span>
                    <span className="flex flex-wrap items-center gap-1 text-muted-foreground text-xs">
                      {c.target} · {c.connector}
                      {c.enabled ? null : <Badge variant="secondary">disabled</Badge>}
                      {c.credentialsRejectedAt ? (
                        <Badge variant="destructive">
                          credentials refused <FormattedDate value={c.credentialsRejectedAt} />
                        </Badge>
                      ) : null}
                    </span>
                  </div>
                </TableHead>
                <Calls connector={c} />
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </section>
  );
}
