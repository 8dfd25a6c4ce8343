"use client";

import { Pencil } from "lucide-react";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { ConnectorForm } from "./connector-form";
import type { ConnectorRowView } from "./connectors-columns";

/** The edit form of one row in a dialog; it mounts fresh each time the dialog opens. */
export function EditConnectorDialog({ row }: { row: ConnectorRowView }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          <Pencil aria-hidden="true" />
          Edit<span className="sr-only"> {row.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Connector of {row.name}</DialogTitle>
          <DialogDescription>
            {row.target === "channel"
              ? "How confirmed cancellations are announced to this channel."
              : "How this warehouse is asked before anything in it is cancelled."}{" "}
            Saving clears a credentials refusal and takes effect at once.
          </DialogDescription>
        </DialogHeader>
        <ConnectorForm row={row} onSaved={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}
