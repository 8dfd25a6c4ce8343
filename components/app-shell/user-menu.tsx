import { LogOut, UserRound } from "lucide-react";

import { signOutAction } from "@/app/(app)/_actions/sign-out";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { Role } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";

const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  ops: "Ops",
  support: "Support",
  viewer: "Viewer",
};

type UserMenuProps = {
  user: { name: string; email: string; role: Role };
  className?: string;
};

/** Who is signed in, with which role, and the way out. Sign-out is a plain form: it works without JS. */
export function UserMenu({ user, className }: UserMenuProps) {
  return (
    <section aria-label="Signed-in user" className={cn("flex items-center gap-3", className)}>
      <div className="hidden min-w-0 items-center gap-2 sm:flex">
        <UserRound aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
        <div className="flex min-w-0 flex-col leading-tight">
          <span className="truncate font-medium text-sm" data-testid="user-name">
            {user.name}
          </span>
          <span className="truncate text-muted-foreground text-xs">{user.email}</span>
        </div>
      </div>
      <Badge variant="secondary" data-testid="user-role">
        <span className="sr-only">Role: </span>
        {ROLE_LABELS[user.role]}
      </Badge>
      <form action={signOutAction}>
        <Button type="submit" variant="ghost" size="sm">
          <LogOut aria-hidden="true" />
          Sign out
        </Button>
      </form>
    </section>
  );
}
