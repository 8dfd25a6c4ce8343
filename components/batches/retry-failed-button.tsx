"use client";

import { Loader2, RotateCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action-result";

type RetryFailedButtonProps = {
  batchId: string;
  /** Failures a retry would take (retryable ones). */
  count: number;
  retry: (input: { batchId: string }) => Promise<ActionResult<{ batchId: string; items: number }>>;
};

/** "Retry failed rows": runs the retryable failures again as a new batch and opens it. */
export function RetryFailedButton({ batchId, count, retry }: RetryFailedButtonProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      size="sm"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await retry({ batchId });
          if (!result.ok) {
            toast.error(result.message);
            return;
          }
          toast.success(`Retrying ${result.data.items} failed ${result.data.items === 1 ? "row" : "rows"}.`);
          router.push(`/batches/${result.data.batchId}`);
        })
      }
    >
      {pending ? (
        <Loader2 aria-hidden="true" className="motion-safe:animate-spin" />
      ) : (
        <RotateCw aria-hidden="true" />
      )}
      Retry failed rows ({count})
    </Button>
  );
}
