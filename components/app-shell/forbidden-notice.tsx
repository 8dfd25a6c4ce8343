import { ShieldX } from "lucide-react";
import Link from "next/link";

import { Button } from "@/components/ui/button";

export function ForbiddenNotice() {
  return (
    <div className="flex flex-col items-start gap-4 py-12">
      <span className="flex size-10 items-center justify-center rounded-lg border bg-muted text-muted-foreground">
        <ShieldX aria-hidden="true" className="size-5" />
      </span>
      <div className="flex flex-col gap-1.5">
        <h1 className="font-semibold text-2xl tracking-tight">Not allowed</h1>
        <p className="max-w-prose text-muted-foreground text-sm">
          Your role does not give access to this screen. If you need it, ask an administrator to change your
          role.
        </p>
      </div>
      <Button asChild variant="outline">
        <Link href="/orders">Go to Orders</Link>
      </Button>
    </div>
  );
}
