"use client";

import { RotateCw } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { useFormatter } from "@/components/format/locale-provider";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import type { ActionResult } from "@/lib/action-result";

export type RetryDeadNotifications = (input: {
  channelId: string;
}) => Promise<ActionResult<{ channelId: string; count: number }>>;

type RetryDeadButtonProps = {
  channelId: string;
  channelName: string;
  /** Dead letters of the channel when the page was read. */
  dead: number;
  retryDead: RetryDeadNotifications;
};

/** Every dead letter of one channel back in the queue, after a confirmation. */
export function RetryDeadButton({ channelId, channelName, dead, retryDead }: RetryDeadButtonProps) {
  const f = useFormatter();
  const plural = (n: number) => f.plural(n, "dead notification");
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();

  function onConfirm() {
    startTransition(async () => {
      try {
        const result = await retryDead({ channelId });
        if (!result.ok) {
          toast.error(result.message);
          return;
        }
        toast.success(
          result.data.count === 0
            ? `${channelName} has no dead notifications left.`
            : `Retrying ${plural(result.data.count)} for ${channelName} now.`,
        );
        setOpen(false);
      } catch {
        toast.error("The retry could not be sent. Check your connection and try again.");
      }
    });
  }

  return (
    <Dialog open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <RotateCw aria-hidden="true" />
          Retry all dead for this channel
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            Retry {plural(dead)} for {channelName}?
          </DialogTitle>
          <DialogDescription>
            Each one is sent to the channel again at once, with fresh tries. The channel deduplicates by the
            ledger id, so nothing is cancelled twice. Fix the cause first (Settings → Connectors) or they will
            fail again.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Not now</Button>
          </DialogClose>
          <Button onClick={onConfirm} disabled={pending}>
            {pending ? "Retrying…" : "Retry all"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
