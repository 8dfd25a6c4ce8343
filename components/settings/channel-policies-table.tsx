"use client";

import { KeyRound, Pencil } from "lucide-react";
import { useState } from "react";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ChannelPolicyRow } from "@/db/queries/channel-policies";
import { LINE_POLICIES } from "@/lib/settings/channel-policy-schema";

import { ChannelPolicyForm } from "./channel-policy-form";

function EditChannelPolicyDialog({ row }: { row: ChannelPolicyRow }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Pencil aria-hidden="true" />
          Edit policies<span className="sr-only"> of {row.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Policies of {row.name}</DialogTitle>
          <DialogDescription>
            The rules read these on every cancellation and shipment, so a change applies to the next one.
          </DialogDescription>
        </DialogHeader>
        <ChannelPolicyForm row={row} onSaved={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

const none = <span className="text-muted-foreground">—</span>;

/** Every channel's policies (a handful of rows), each edited in a dialog. */
export function ChannelPoliciesTable({ rows, labelledBy }: { rows: ChannelPolicyRow[]; labelledBy: string }) {
  return (
    <div className="rounded-lg border bg-card">
      <Table aria-labelledby={labelledBy}>
        <TableHeader className="bg-muted/60">
          <TableRow className="hover:bg-transparent">
            <TableHead scope="col">Channel</TableHead>
            <TableHead scope="col">Lines</TableHead>
            <TableHead scope="col">Fill-or-kill</TableHead>
            <TableHead scope="col">Cancel-request webhook</TableHead>
            <TableHead scope="col">Shipping refund</TableHead>
            <TableHead scope="col">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow className="hover:bg-transparent">
              <TableCell colSpan={6} className="h-14 text-center text-muted-foreground">
                No channels yet.
              </TableCell>
            </TableRow>
          ) : (
            rows.map((row) => (
              <TableRow key={row.id} data-channel-id={row.id}>
                <TableCell>
                  <div className="flex min-w-0 flex-col">
                    <span className="font-medium">{row.name}</span>
                    <span className="font-mono text-muted-foreground text-xs">{row.id}</span>
                  </div>
                </TableCell>
                <TableCell>{LINE_POLICIES[row.partialQuantities ? "partial" : "whole"]}</TableCell>
                <TableCell>
                  {row.fillOrKill ? (
                    <Badge variant="success">On</Badge>
                  ) : (
                    <Badge variant="outline">Off</Badge>
                  )}
                </TableCell>
                <TableCell className="min-w-[12rem] max-w-[20rem] whitespace-normal">
                  {row.webhookUrl ? (
                    <div className="flex flex-col items-start gap-1">
                      <span className="font-mono text-xs [overflow-wrap:anywhere]">{row.webhookUrl}</span>
                      {row.hasWebhookSecret ? (
                        <Badge variant="outline">
                          <KeyRound aria-hidden="true" />
                          Secret set
                        </Badge>
                      ) : (
                        <Badge variant="warning">No secret</Badge>
                      )}
                    </div>
                  ) : (
                    <span className="text-muted-foreground text-xs">
                      None: the channel reads decisions by API
                    </span>
                  )}
                </TableCell>
                <TableCell>
                  {row.connector === "commerce" ? (row.cargoRefund ? "Refunded" : "Not refunded") : none}
                </TableCell>
                <TableCell className="text-right">
                  <EditChannelPolicyDialog row={row} />
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </div>
  );
}
