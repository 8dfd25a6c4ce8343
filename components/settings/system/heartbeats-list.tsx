import Link from "next/link";

import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { Heartbeat } from "@/db/queries/system-health";
import type { HeartbeatName } from "@/db/schema";

/** A dispatcher beats every few seconds while it runs; this long without a beat means no process runs it. */
const STALE_AFTER_MS = 60_000;

const LABELS: Record<HeartbeatName, { title: string; what: string; always: boolean }> = {
  "batch-chunk": {
    title: "Last batch chunk",
    what: "The batch runner after a chunk of a started CSV batch; quiet while no batch runs.",
    always: false,
  },
  "outbox-dispatch": {
    title: "Last outbox dispatch",
    what: "The dispatcher's last pass over channel notifications (every second while it runs).",
    always: true,
  },
  "webhook-delivery": {
    title: "Last webhook delivery pass",
    what: "The dispatcher's last pass over cancel-request decision webhooks.",
    always: true,
  },
};

function Detail({ beat }: { beat: Heartbeat }) {
  const { batchId, claimed } = beat.detail;
  if (typeof batchId === "string") {
    return (
      <Link href={`/batches/${batchId}`} className="underline underline-offset-4">
        the batch
      </Link>
    );
  }
  if (typeof claimed === "number") {
    return (
      <span>
        <FormattedCount value={claimed} /> taken in that pass
      </span>
    );
  }
  return null;
}

/**
 * The background loops' heartbeats, from whichever process (web or `npm run worker`) ran them, written
 * at most every few seconds.
 */
export function HeartbeatsList({ heartbeats, now }: { heartbeats: Heartbeat[]; now: Date }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Background worker</h2>
        </CardTitle>
        <CardDescription>
          Recorded by the loops as they run (at most every 5 seconds each), in the web process or{" "}
          <code>npm run worker</code>.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-[max-content_1fr]">
          {heartbeats.map((beat) => {
            const label = LABELS[beat.name];
            const stale = label.always && (!beat.at || now.getTime() - beat.at.getTime() > STALE_AFTER_MS);
            return (
              <div key={beat.name} className="contents" data-heartbeat={beat.name}>
                <dt className="text-muted-foreground">{label.title}</dt>
                <dd className="flex flex-col gap-1">
                  <span className="flex flex-wrap items-center gap-2">
                    {beat.at ? <FormattedDate value={beat.at} seconds /> : <span>never recorded</span>}
                    {stale ? <Badge variant="warning">no beat in the last minute</Badge> : null}
                    {beat.at ? (
                      <span className="text-muted-foreground text-xs">
                        <Detail beat={beat} />
                      </span>
                    ) : null}
                  </span>
                  <span className="text-muted-foreground text-xs">{label.what}</span>
                </dd>
              </div>
            );
          })}
        </dl>
      </CardContent>
    </Card>
  );
}
