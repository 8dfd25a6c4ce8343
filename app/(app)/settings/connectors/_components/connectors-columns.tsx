"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { KeyRound, ShieldAlert } from "lucide-react";

import type { DataTableFeatures } from "@/components/data-table/features";
import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";

import { CONNECTOR_LABELS, type ConnectorKind } from "../_lib/connector-fields";
import { EditConnectorDialog } from "./edit-connector-dialog";

/** One channel or warehouse as the settings list shows it: whether credentials are set, never them. */
export type ConnectorRowView = {
  target: "channel" | "warehouse";
  id: string;
  name: string;
  connector: string;
  baseUrl: string | null;
  hasCredentials: boolean;
  timeoutMs: number;
  maxAttempts: number;
  enabled: boolean;
  credentialsRejectedAt: string | null;
};

const helper = createColumnHelper<DataTableFeatures, ConnectorRowView>();
const none = <span className="text-muted-foreground">—</span>;

export const connectorsColumns = [
  helper.display({
    id: "name",
    header: "Name",
    cell: ({ row }) => (
      <div className="flex min-w-0 flex-col">
        <span className="font-medium">{row.original.name}</span>
        <span className="font-mono text-muted-foreground text-xs">{row.original.id}</span>
      </div>
    ),
  }),
  helper.display({
    id: "connector",
    header: "Connector",
    cell: ({ row }) => CONNECTOR_LABELS[row.original.connector as ConnectorKind] ?? row.original.connector,
  }),
  helper.display({
    id: "baseUrl",
    header: "Base URL",
    meta: { className: "min-w-[12rem] whitespace-normal" },
    cell: ({ row }) =>
      row.original.baseUrl ? (
        <span className="font-mono text-xs [overflow-wrap:anywhere]">{row.original.baseUrl}</span>
      ) : (
        none
      ),
  }),
  helper.display({
    id: "credentials",
    header: "Credentials",
    meta: { className: "min-w-[12rem] max-w-[16rem] whitespace-normal" },
    cell: ({ row }) => {
      const { connector, hasCredentials, credentialsRejectedAt } = row.original;
      return (
        <div className="flex flex-col items-start gap-1">
          {hasCredentials ? (
            <Badge variant="outline">
              <KeyRound aria-hidden="true" />
              Set
            </Badge>
          ) : connector === "manual" ? (
            <span className="text-muted-foreground text-xs">Not needed</span>
          ) : (
            <Badge variant="warning">Not set</Badge>
          )}
          {credentialsRejectedAt ? (
            <span
              className="flex items-start gap-1 text-destructive text-xs"
              data-testid="credentials-rejected"
            >
              <ShieldAlert aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
              The remote refused our credentials on <FormattedDate value={credentialsRejectedAt} />
            </span>
          ) : null}
        </div>
      );
    },
  }),
  helper.display({
    id: "timeoutMs",
    header: "Timeout",
    meta: { align: "end" },
    cell: ({ row }) => (
      <>
        <FormattedCount value={row.original.timeoutMs} /> ms
      </>
    ),
  }),
  helper.display({
    id: "maxAttempts",
    header: "Max attempts",
    meta: { align: "end" },
    cell: ({ row }) => row.original.maxAttempts,
  }),
  helper.display({
    id: "enabled",
    header: "Enabled",
    cell: ({ row }) =>
      row.original.enabled ? (
        <Badge variant="success">Enabled</Badge>
      ) : (
        <Badge variant="outline">Disabled</Badge>
      ),
  }),
  helper.display({
    id: "actions",
    header: () => <span className="sr-only">Actions</span>,
    meta: { align: "end" },
    cell: ({ row }) => <EditConnectorDialog row={row.original} />,
  }),
];
