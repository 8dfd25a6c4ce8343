"use client";

import { FlexRender, type Row, type RowData, type Table } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { type ReactNode, useCallback, useRef } from "react";

import { cn } from "@/lib/utils";

import type { DataTableColumnMeta, DataTableFeatures } from "./features";

type VirtualDataTableProps<TData extends RowData> = {
  table: Table<DataTableFeatures, TData>;
  /** Names the table and its scrollable region for assistive technology. */
  label: string;
  /** Height of the scrolling body in pixels. */
  height?: number;
  /** Every row has this height: fixed rows keep 100,000 rows scrolling smoothly. */
  rowHeight?: number;
  /** Shown when there are no rows. */
  empty?: ReactNode;
  /** Extra attributes for a row, e.g. `data-status` for styling and tests. */
  rowAttributes?: (row: Row<DataTableFeatures, TData>) => Record<string, string | undefined>;
  className?: string;
};

const alignClass = (meta: DataTableColumnMeta | undefined) =>
  meta?.align === "end" ? "justify-end text-right" : "";

/**
 * A virtualized table: only the rows in view (and a few around them) are in the DOM, so a file of
 * 100,000 rows scrolls as smoothly as one of ten. It keeps table semantics with ARIA roles
 * (table / rowgroup / row / columnheader / cell, with aria-rowcount and aria-rowindex, since most
 * rows are not rendered), a sticky header, and a focusable scroll region that the keyboard scrolls
 * with the arrow and page keys. Columns are CSS grid tracks taken from each column's `meta.width`.
 */
export function VirtualDataTable<TData extends RowData>({
  table,
  label,
  height = 480,
  rowHeight = 40,
  empty,
  rowAttributes,
  className,
}: VirtualDataTableProps<TData>) {
  const scrollRef = useRef<HTMLElement>(null);
  const rows = table.getRowModel().rows;
  const columns = table.getAllLeafColumns();
  const template = columns
    .map((c) => (c.columnDef.meta as DataTableColumnMeta | undefined)?.width ?? "minmax(8rem, 1fr)")
    .join(" ");

  // Stable callbacks: the virtualizer recomputes every row's position (100,000 of them) when they change.
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const estimateSize = useCallback(() => rowHeight, [rowHeight]);
  const getItemKey = useCallback((index: number) => rows[index]?.id ?? index, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();

  return (
    <section
      ref={scrollRef}
      aria-label={`${label}, scrollable`}
      // A region that scrolls must be reachable by keyboard (arrow and page keys scroll it).
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is focusable so keyboard users can scroll it
      tabIndex={0}
      data-slot="virtual-table-scroller"
      className={cn("relative overflow-auto rounded-lg border bg-card", className)}
      style={{ maxHeight: height + rowHeight + 2 }}
    >
      {/*
        Real table elements laid out as CSS grid (rows are absolutely positioned by the virtualizer).
        Changing `display` makes some browsers drop the implicit table roles, so they are stated.
      */}
      <table
        // biome-ignore lint/a11y/noRedundantRoles: display:grid drops the implicit role in some browsers
        role="table"
        aria-label={label}
        aria-rowcount={rows.length + 1}
        className="grid min-w-[44rem] text-sm"
      >
        {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
        <thead role="rowgroup" className="sticky top-0 z-10 grid border-b bg-muted/95 backdrop-blur">
          {table.getHeaderGroups().map((group) => (
            <tr
              key={group.id}
              // biome-ignore lint/a11y/noRedundantRoles: see above
              role="row"
              aria-rowindex={1}
              className="grid"
              style={{ gridTemplateColumns: template, height: rowHeight }}
            >
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta as DataTableColumnMeta | undefined;
                return (
                  <th
                    key={header.id}
                    // biome-ignore lint/a11y/noRedundantRoles: see above
                    role="columnheader"
                    scope="col"
                    className={cn(
                      "flex items-center px-3 text-left font-medium text-muted-foreground text-xs uppercase tracking-wide",
                      alignClass(meta),
                    )}
                  >
                    {header.isPlaceholder ? null : <FlexRender header={header} />}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        {rows.length === 0 ? (
          // biome-ignore lint/a11y/noRedundantRoles: see above
          <tbody role="rowgroup" className="grid">
            {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
            <tr role="row" aria-rowindex={2} className="grid">
              {/* biome-ignore lint/a11y/noRedundantRoles: see above */}
              <td role="cell" className="px-3 py-8 text-center text-muted-foreground">
                {empty ?? "No rows."}
              </td>
            </tr>
          </tbody>
        ) : (
          // biome-ignore lint/a11y/noRedundantRoles: see above
          <tbody role="rowgroup" className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <tr
                  key={item.key}
                  // biome-ignore lint/a11y/noRedundantRoles: see above
                  role="row"
                  aria-rowindex={item.index + 2}
                  data-index={item.index}
                  {...rowAttributes?.(row)}
                  className="absolute inset-x-0 top-0 grid border-b transition-colors hover:bg-muted/50"
                  style={{
                    gridTemplateColumns: template,
                    height: rowHeight,
                    transform: `translateY(${item.start}px)`,
                  }}
                >
                  {row.getAllCells().map((cell) => {
                    const meta = cell.column.columnDef.meta as DataTableColumnMeta | undefined;
                    return (
                      <td
                        key={cell.id}
                        // biome-ignore lint/a11y/noRedundantRoles: see above
                        role="cell"
                        className={cn("flex min-w-0 items-center px-3", alignClass(meta), meta?.className)}
                      >
                        <FlexRender cell={cell} />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        )}
      </table>
    </section>
  );
}
