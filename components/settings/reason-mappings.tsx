import { TriangleAlert } from "lucide-react";
import Link from "next/link";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReasonRow } from "@/db/queries/reasons";
import {
  type MappingChannel,
  mappingNeedOf,
  mappingProblemMessage,
  mappingProblemOf,
  unmappedReasons,
} from "@/lib/reasons/mapping";
import { cn } from "@/lib/utils";

import { ReasonMappingRow } from "./reason-mapping-row";

const CONNECTOR_NOTES: Record<string, string> = {
  commerce:
    "The commerce platform gets the channel's reason code on every cancel call (reasons): whole numbers, one for every active reason, the automatic ones included.",
  dropship:
    "The dropship API takes no reason on a cancel. These codes translate the customer reasons its cancel requests carry.",
  manual:
    "No API: people tell the channel. Once one reason has the channel's own text, every active reason needs one; without any, our codes are used as they are.",
};

/** Per channel, each reason mapped to the channel's code or text; one channel at a time (in the URL). */
export function ReasonMappings({
  channels,
  reasons,
  selectedId,
}: {
  channels: readonly MappingChannel[];
  reasons: readonly ReasonRow[];
  selectedId: string | undefined;
}) {
  const selected = channels.find((c) => c.id === selectedId) ?? channels[0];
  if (!selected) return <p className="text-muted-foreground text-sm">No channels yet.</p>;
  const need = mappingNeedOf(selected);
  const problems = unmappedReasons(selected, reasons);
  return (
    <div className="flex flex-col gap-4">
      <nav aria-label="Channels">
        <ul className="flex flex-wrap gap-2">
          {channels.map((channel) => {
            const count = unmappedReasons(channel, reasons).length;
            const current = channel.id === selected.id;
            return (
              <li key={channel.id}>
                <Link
                  href={`/settings/reasons?channel=${encodeURIComponent(channel.id)}#mappings`}
                  aria-current={current ? "page" : undefined}
                  className={cn(
                    "inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm transition-colors hover:bg-muted/50",
                    current && "border-primary bg-muted font-medium",
                  )}
                >
                  {channel.name}
                  {count > 0 ? (
                    <Badge variant="warning">
                      <TriangleAlert aria-hidden="true" />
                      {count}
                      <span className="sr-only"> {count === 1 ? "reason" : "reasons"} without a mapping</span>
                    </Badge>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <p className="max-w-3xl text-muted-foreground text-sm">{CONNECTOR_NOTES[selected.connector] ?? ""}</p>
      {problems.length > 0 ? (
        <Alert variant="warning" data-testid="mapping-warning">
          <TriangleAlert aria-hidden="true" />
          <AlertTitle>
            {problems.length} active {problems.length === 1 ? "reason needs" : "reasons need"} a{" "}
            {need === "integer" ? "code" : "text"} on {selected.name}
          </AlertTitle>
          <AlertDescription>
            <ul className="list-disc pl-4">
              {problems.map((problem) => (
                <li key={problem.reasonCode}>
                  {mappingProblemMessage(problem, reasons.find((r) => r.code === problem.reasonCode)?.label)}
                </li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      ) : null}
      <div className="rounded-lg border bg-card">
        <Table aria-label={`Reason mapping of ${selected.name}`}>
          <TableHeader className="bg-muted/60">
            <TableRow className="hover:bg-transparent">
              <TableHead scope="col">Our reason</TableHead>
              <TableHead scope="col">{selected.name}'s code or text</TableHead>
              <TableHead scope="col">Status</TableHead>
              <TableHead scope="col">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {reasons.map((reason) => {
              const problem = reason.active ? mappingProblemOf(reason.code, selected) : null;
              return (
                <ReasonMappingRow
                  key={`${selected.id}:${reason.code}`}
                  row={{
                    channelId: selected.id,
                    channelName: selected.name,
                    reasonCode: reason.code,
                    reasonLabel: reason.label,
                    active: reason.active,
                    channelCode: selected.codes[reason.code] ?? null,
                    problem: problem ? mappingProblemMessage(problem) : null,
                    integer: need === "integer",
                  }}
                />
              );
            })}
          </TableBody>
        </Table>
      </div>
    </div>
  );
}
