import { Skeleton } from "@/components/ui/skeleton";

/** A placeholder the size of a table while its rows load. */
export function DataTableSkeleton({ rows = 8, label = "Loading rows" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="flex flex-col gap-2 rounded-lg border bg-card p-3">
      <Skeleton className="h-6 w-full" />
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <Skeleton key={i} className="h-8 w-full opacity-70" />
      ))}
    </div>
  );
}
