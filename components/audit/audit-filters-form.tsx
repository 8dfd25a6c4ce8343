import Link from "next/link";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from "@/db/schema/audit";
import type { AuditFilters } from "@/lib/audit/filters";

const selectClass =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs focus-visible:border-ring";

/**
 * A plain GET form: applying the filters changes the URL, so a filtered view can be bookmarked,
 * shared and exported, and it works without JavaScript.
 */
export function AuditFiltersForm({ filters, error }: { filters: AuditFilters; error?: string }) {
  const errorId = "audit-filters-error";
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit log"
      aria-describedby={error ? errorId : undefined}
      className="grid gap-3 rounded-lg border bg-card p-4 sm:grid-cols-2 lg:grid-cols-[1.5fr_1fr_1fr_1fr_1fr_auto]"
    >
      <div className="flex flex-col gap-1.5">
        <label htmlFor="audit-actor" className="font-medium text-sm">
          Actor
        </label>
        <Input
          id="audit-actor"
          name="actor"
          defaultValue={filters.actor ?? ""}
          placeholder="email or key name"
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="audit-action" className="font-medium text-sm">
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={selectClass}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="audit-outcome" className="font-medium text-sm">
          Outcome
        </label>
        <select
          id="audit-outcome"
          name="outcome"
          defaultValue={filters.outcome ?? ""}
          className={selectClass}
        >
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((outcome) => (
            <option key={outcome} value={outcome}>
              {outcome}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="audit-from" className="font-medium text-sm">
          From (UTC)
        </label>
        <Input id="audit-from" name="from" type="date" defaultValue={filters.from ?? ""} />
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="audit-to" className="font-medium text-sm">
          To (UTC)
        </label>
        <Input
          id="audit-to"
          name="to"
          type="date"
          defaultValue={filters.to ?? ""}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">Apply</Button>
        <Button asChild variant="ghost">
          <Link href="/audit">Clear</Link>
        </Button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-destructive text-sm sm:col-span-2 lg:col-span-6">
          {error}
        </p>
      ) : null}
    </form>
  );
}
