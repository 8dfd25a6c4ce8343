import { TriangleAlert } from "lucide-react";
import Link from "next/link";

import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ReasonRow } from "@/db/queries/reasons";
import { REASON_INITIATORS } from "@/db/schema/cancellations";
import { type MappingProblem, mappingProblemMessage } from "@/lib/reasons/mapping";
import { INITIATOR_LABELS } from "@/lib/reasons/schemas";

import { ReasonActiveButton } from "./reason-active-button";
import { RenameReasonDialog } from "./rename-reason-dialog";

const HINTS: Record<(typeof REASON_INITIATORS)[number], string> = {
  seller: "We cancel: stock, pricing, our own mistakes.",
  customer: "The customer asked; customer cancel requests map to these.",
  marketplace: "The marketplace decided.",
  automatic:
    "The system uses these by itself (fill-or-kill). They are never offered to people and cannot be renamed or deactivated here; map them like any other.",
};

/** Where a reason lacks the mapping a channel needs, each a link to that channel's mapping. */
function MappingStatus({ reason, problems }: { reason: ReasonRow; problems: readonly MappingProblem[] }) {
  if (!reason.active) return <span className="text-muted-foreground text-xs">Not in use</span>;
  if (problems.length === 0)
    return <span className="text-muted-foreground text-xs">Mapped where needed</span>;
  return (
    <ul className="flex flex-col gap-1">
      {problems.map((problem) => (
        <li key={problem.channelId} className="flex items-start gap-1 text-warning text-xs">
          <TriangleAlert aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
          <Link
            href={`/settings/reasons?channel=${encodeURIComponent(problem.channelId)}#mappings`}
            className="underline-offset-2 hover:underline"
            title={mappingProblemMessage(problem, reason.label)}
          >
            {problem.problem === "missing" ? "No" : "Wrong"} {problem.need === "integer" ? "code" : "text"} on{" "}
            {problem.channelName}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Every reason, one table per initiator; automatic ones read-only. */
export function ReasonGroups({
  reasons,
  problemsOf,
}: {
  reasons: readonly ReasonRow[];
  /** The channels on which an active reason lacks a mapping its connector needs. */
  problemsOf: (code: string) => readonly MappingProblem[];
}) {
  return (
    <div className="flex flex-col gap-6">
      {REASON_INITIATORS.map((initiator) => {
        const rows = reasons.filter((r) => r.initiator === initiator);
        const headingId = `reasons-${initiator}-heading`;
        const system = initiator === "automatic";
        return (
          <section key={initiator} aria-labelledby={headingId} className="flex flex-col gap-2">
            <div className="flex flex-col gap-0.5">
              <h3 id={headingId} className="font-semibold">
                {INITIATOR_LABELS[initiator]}
              </h3>
              <p className="text-muted-foreground text-sm">{HINTS[initiator]}</p>
            </div>
            <div className="rounded-lg border bg-card">
              <Table aria-labelledby={headingId}>
                <TableHeader className="bg-muted/60">
                  <TableRow className="hover:bg-transparent">
                    <TableHead scope="col">Code</TableHead>
                    <TableHead scope="col">Label</TableHead>
                    <TableHead scope="col">State</TableHead>
                    <TableHead scope="col">Channel mappings</TableHead>
                    <TableHead scope="col">
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.length === 0 ? (
                    <TableRow className="hover:bg-transparent">
                      <TableCell colSpan={5} className="h-14 text-center text-muted-foreground">
                        None yet.
                      </TableCell>
                    </TableRow>
                  ) : (
                    rows.map((reason) => (
                      <TableRow key={reason.code} data-reason-code={reason.code}>
                        <TableCell className="font-mono text-xs">{reason.code}</TableCell>
                        <TableCell className="font-medium">{reason.label}</TableCell>
                        <TableCell>
                          {reason.active ? (
                            <Badge variant="success">Active</Badge>
                          ) : (
                            <Badge variant="outline">Inactive</Badge>
                          )}
                        </TableCell>
                        <TableCell className="whitespace-normal">
                          <MappingStatus reason={reason} problems={problemsOf(reason.code)} />
                        </TableCell>
                        <TableCell className="text-right">
                          {system ? (
                            <span className="text-muted-foreground text-xs">System only</span>
                          ) : (
                            <div className="flex justify-end gap-2">
                              <RenameReasonDialog reason={reason} />
                              <ReasonActiveButton reason={reason} />
                            </div>
                          )}
                        </TableCell>
                      </TableRow>
                    ))
                  )}
                </TableBody>
              </Table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
