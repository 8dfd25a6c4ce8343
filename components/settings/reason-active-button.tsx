"use client";

import { Archive, ArchiveRestore } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";

import { setReasonActiveAction } from "@/app/(app)/settings/reasons/_actions/set-reason-active";
import { Button } from "@/components/ui/button";
import type { ReasonRow } from "@/db/queries/reasons";

/** Deactivate (it leaves the selects; the ledger keeps it) or reactivate one reason. */
export function ReasonActiveButton({ reason }: { reason: ReasonRow }) {
  const [pending, startTransition] = useTransition();
  const activate = !reason.active;
  function onClick() {
    startTransition(async () => {
      const result = await setReasonActiveAction({ code: reason.code, active: activate });
      if (result.ok) {
        toast.success(
          activate
            ? `${reason.code} is active again.`
            : `${reason.code} deactivated: no longer offered; earlier cancellations keep it.`,
        );
      } else {
        toast.error(result.message);
      }
    });
  }
  return (
    <Button variant="outline" size="sm" onClick={onClick} disabled={pending}>
      {activate ? <ArchiveRestore aria-hidden="true" /> : <Archive aria-hidden="true" />}
      {activate ? "Reactivate" : "Deactivate"}
      <span className="sr-only"> {reason.code}</span>
    </Button>
  );
}
