import Link from "next/link";

import { FormattedCount } from "@/components/format/formatted";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ChannelOutbox } from "@/db/queries/system-health";

function Count({ value, tone }: { value: number; tone?: "warning" | "destructive" }) {
  const color =
    value > 0 && tone === "destructive" ? "text-destructive" : value > 0 && tone ? "text-warning" : "";
  return (
    <span className={`tabular-nums ${color}`}>
      <FormattedCount value={value} />
    </span>
  );
}

/** Each channel's outbox: notifications and request-decision webhooks by state, dead letters marked. */
export function OutboxByChannel({ outbox }: { outbox: ChannelOutbox[] }) {
  return (
    <section aria-labelledby="outbox-heading" className="flex flex-col gap-3">
      <h2 id="outbox-heading" className="font-semibold text-lg">
        Outbox by channel
      </h2>
      <p className="text-muted-foreground text-sm">
        Backlog is pending plus retrying; dead letters gave up after the channel's tries and wait for a retry
        on the{" "}
        <Link href="/sync?state=dead" className="underline underline-offset-4">
          Sync
        </Link>{" "}
        screen.
      </p>
      {outbox.length === 0 ? (
        <p className="text-muted-foreground text-sm">No channels yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border bg-card">
          <Table aria-labelledby="outbox-heading">
            <TableHeader className="bg-muted/60">
              <TableRow className="hover:bg-transparent">
                <TableHead scope="col" rowSpan={2}>
                  Channel
                </TableHead>
                <TableHead scope="colgroup" colSpan={4}>
                  Cancellation notifications
                </TableHead>
                <TableHead scope="colgroup" colSpan={4}>
                  Decision webhooks
                </TableHead>
              </TableRow>
              <TableRow className="hover:bg-transparent">
                {["notifications", "webhooks"].flatMap((group) =>
                  ["Pending", "Retrying", "Dead", "Delivered"].map((state) => (
                    <TableHead key={`${group}-${state}`} scope="col" className="text-right">
                      {state}
                    </TableHead>
                  )),
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {outbox.map((row) => (
                <TableRow key={row.channelId} data-channel-id={row.channelId}>
                  <TableHead scope="row" className="font-medium">
                    <Link
                      href={`/sync?channel=${encodeURIComponent(row.channelId)}`}
                      className="underline-offset-4 hover:underline"
                    >
                      {row.channelName}
                    </Link>
                  </TableHead>
                  {[row.notifications, row.webhooks].map((counts, i) => (
                    <CountCells key={i === 0 ? "notifications" : "webhooks"} counts={counts} />
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}

function CountCells({ counts }: { counts: ChannelOutbox["notifications"] }) {
  return (
    <>
      <TableCell className="text-right">
        <Count value={counts.pending} />
      </TableCell>
      <TableCell className="text-right">
        <Count value={counts.retrying} tone="warning" />
      </TableCell>
      <TableCell className="text-right" data-state="dead">
        <Count value={counts.dead} tone="destructive" />
      </TableCell>
      <TableCell className="text-right">
        <Count value={counts.delivered} />
      </TableCell>
    </>
  );
}
