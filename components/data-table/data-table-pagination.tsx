import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { FormattedCount } from "@/components/format/formatted";

import { Button } from "@/components/ui/button";

type DataTablePaginationProps = {
  /** 1-based current page. */
  page: number;
  pageSize: number;
  total: number;
  /** The address of a page: keeps the other URL parameters (filters) as they are. */
  hrefFor: (page: number) => string;
  /** What is being counted, plural: "batches", "rows". */
  noun: string;
};

/** Server paging: previous / next links that change `?page=` in the URL, with "1–50 of 1,234". */
export function DataTablePagination({ page, pageSize, total, hrefFor, noun }: DataTablePaginationProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const format = (n: number) => <FormattedCount value={n} />;
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {total === 0 ? (
          `No ${noun}`
        ) : (
          <>
            {format(from)}–{format(to)} of {format(total)} {noun}
          </>
        )}
      </p>
      <div className="flex items-center gap-2">
        <span className="text-muted-foreground">
          Page {format(page)} of {format(pages)}
        </span>
        {page > 1 ? (
          <Button asChild variant="outline" size="sm">
            <Link href={hrefFor(page - 1)} rel="prev">
              <ChevronLeft aria-hidden="true" />
              Previous
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            <ChevronLeft aria-hidden="true" />
            Previous
          </Button>
        )}
        {page < pages ? (
          <Button asChild variant="outline" size="sm">
            <Link href={hrefFor(page + 1)} rel="next">
              Next
              <ChevronRight aria-hidden="true" />
            </Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Next
            <ChevronRight aria-hidden="true" />
          </Button>
        )}
      </div>
    </nav>
  );
}
