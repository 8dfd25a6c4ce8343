"use client";

import { TriangleAlert } from "lucide-react";
import { useEffect, useState } from "react";

import { getReasonMappingWarningAction } from "@/app/(app)/_actions/reason-mapping-warning";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import type { ReasonMappingWarning } from "@/db/queries/reasons";
import { mappingProblemMessage } from "@/lib/reasons/mapping";

type Props = {
  /** The channel of the order (or sub-order) being cancelled. */
  channelId: string;
  /** The reason chosen in the form; "" (nothing chosen yet) shows nothing. */
  reasonCode: string;
};

/**
 * A warning beside a cancel form when the chosen reason has no mapping on the order's channel
 * although its connector needs one (lib/reasons/mapping.ts): the commerce platform would refuse the
 * notification, the seller portal would see only our label. It asks the server each time the reason
 * changes and shows nothing while it does not know, or when nothing is missing; it never blocks the
 * cancel. The live region is always there, so a warning that appears is announced.
 */
export function UnmappedReasonWarning({ channelId, reasonCode }: Props) {
  const key = `${channelId}\u0000${reasonCode}`;
  const [answer, setAnswer] = useState<{ key: string; warning: ReasonMappingWarning | null } | null>(null);

  useEffect(() => {
    if (!channelId || !reasonCode) return;
    let current = true;
    getReasonMappingWarningAction({ channelId, reasonCode })
      .then((result) => {
        if (current)
          setAnswer({ key: `${channelId}\u0000${reasonCode}`, warning: result.ok ? result.data : null });
      })
      // Only a warning: when it cannot be checked, the form goes on without it.
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [channelId, reasonCode]);

  const warning = reasonCode && answer?.key === key ? answer.warning : null;
  return (
    <div aria-live="polite" data-testid="unmapped-reason-warning">
      {warning ? (
        <Alert variant="warning">
          <TriangleAlert aria-hidden="true" />
          <AlertTitle>
            {warning.channelName} {warning.problem === "missing" ? "has no" : "cannot take the"}{" "}
            {warning.need === "integer" ? "code" : "text"} for this reason
          </AlertTitle>
          <AlertDescription>
            <p>
              {mappingProblemMessage(warning, warning.reasonLabel)} An admin can map it in Settings → Reasons.
            </p>
          </AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}
