import { tableFeatures } from "@tanstack/react-table";

/** How a column lays out in the kit's tables. Declared once, through TanStack Table v9's `columnMeta` slot. */
export type DataTableColumnMeta = {
  /** A CSS grid track for the virtual table (`"5rem"`, `"minmax(12rem, 1fr)"`); a width for the plain one. */
  width?: string;
  /** Numbers read best right-aligned. */
  align?: "start" | "end";
  className?: string;
};

/**
 * The feature set every table of the app uses. The tables here show rows as given (sorting and
 * paging of server tables happen in the database, through the URL), so no row-processing feature
 * is registered; add one here, with its row model, when a client table needs it.
 */
export const dataTableFeatures = tableFeatures({ columnMeta: {} as DataTableColumnMeta });

export type DataTableFeatures = typeof dataTableFeatures;
