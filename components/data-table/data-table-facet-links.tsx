import Link from "next/link";

import { FormattedCount } from "@/components/format/formatted";
import { cn } from "@/lib/utils";

type Facet = { value: string; label: string; count?: number };

type DataTableFacetLinksProps = {
  /** Names the group, e.g. "Filter by status". */
  label: string;
  facets: readonly Facet[];
  current: string;
  hrefFor: (value: string) => string;
};

/** A server table's filter as links: the filter lives in the URL, so a filtered view can be shared. */
export function DataTableFacetLinks({ label, facets, current, hrefFor }: DataTableFacetLinksProps) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-1.5">
      {facets.map((facet) => {
        const active = facet.value === current;
        return (
          <Link
            key={facet.value}
            href={hrefFor(facet.value)}
            aria-current={active ? "page" : undefined}
            className={cn(
              "inline-flex h-8 items-center gap-1.5 rounded-md border px-3 text-sm transition-colors",
              active ? "border-primary bg-primary text-primary-foreground" : "bg-background hover:bg-accent",
            )}
          >
            {facet.label}
            {facet.count !== undefined ? (
              <span className={cn("tabular-nums", active ? "opacity-80" : "text-muted-foreground")}>
                <FormattedCount value={facet.count} />
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
