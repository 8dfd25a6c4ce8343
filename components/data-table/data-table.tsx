"use client";

import { FlexRender, type Row, type RowData, type Table as TanStackTable } from "@tanstack/react-table";
import type { ReactNode } from "react";

import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";

import type { DataTableColumnMeta, DataTableFeatures } from "./features";

type DataTableProps<TData extends RowData> = {
  table: TanStackTable<DataTableFeatures, TData>;
  /** The table's accessible name. */
  label: string;
  empty?: ReactNode;
  rowAttributes?: (row: Row<DataTableFeatures, TData>) => Record<string, string | undefined>;
  className?: string;
};

/** A plain (not virtualized) table for a page of server rows: paging lives in the URL and the query. */
export function DataTable<TData extends RowData>({
  table,
  label,
  empty,
  rowAttributes,
  className,
}: DataTableProps<TData>) {
  const rows = table.getRowModel().rows;
  const columnCount = table.getAllLeafColumns().length;
  return (
    <div className={cn("rounded-lg border bg-card", className)}>
      <Table aria-label={label}>
        <TableHeader className="bg-muted/60">
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id} className="hover:bg-transparent">
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as DataTableColumnMeta | undefined;
                return (
                  <TableHead
                    key={header.id}
                    scope="col"
                    style={meta?.width ? { width: meta.width } : undefined}
                    className={cn(
                      "px-3 font-medium text-muted-foreground text-xs uppercase tracking-wide",
                      meta?.align === "end" && "text-right",
                    )}
                  >
                    {header.isPlaceholder ? null : <FlexRender header={header} />}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {rows.length === 0 ? (
            <TableRow className="hover:bg-transparent">
              <TableCell colSpan={columnCount} className="h-24 text-center text-muted-foreground">
                {empty ?? "No rows."}
              </TableCell>
            </TableRow>
          ) : (
            rows.map((row) => (
              <TableRow key={row.id} {...rowAttributes?.(row)}>
                {row.getAllCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as DataTableColumnMeta | undefined;
                  return (
                    <TableCell
                      key={cell.id}
                      className={cn(
                        "px-3",
                        meta?.align === "end" && "text-right tabular-nums",
                        meta?.className,
                      )}
                    >
                      <FlexRender cell={cell} />
                    </TableCell>
                  );
                })}
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </div>
  );
}
