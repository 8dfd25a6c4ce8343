"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import type { Role } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";

import { isActiveHref, navGroupsFor } from "./nav-items";

export function Sidebar({ role, className }: { role: Role; className?: string }) {
  const pathname = usePathname() ?? "/";
  const groups = navGroupsFor(role);

  return (
    <nav
      aria-label="Main"
      className={cn("flex gap-4 overflow-x-auto p-3 md:flex-col md:gap-6 md:overflow-visible", className)}
    >
      {groups.map((group) => (
        <div key={group.id} className="flex shrink-0 flex-col gap-1">
          <div
            id={`nav-group-${group.id}`}
            className="sr-only px-2 pb-1 font-medium text-muted-foreground text-xs uppercase tracking-wide md:not-sr-only"
          >
            {group.label}
          </div>
          <ul aria-labelledby={`nav-group-${group.id}`} className="flex gap-0.5 md:flex-col">
            {group.items.map((item) => {
              const isActive = isActiveHref(pathname, item.href);
              const Icon = item.icon;
              return (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={isActive ? "page" : undefined}
                    className={cn(
                      "flex items-center gap-2.5 whitespace-nowrap rounded-md px-2 py-1.5 text-sm transition-colors",
                      isActive
                        ? "bg-sidebar-accent font-medium text-sidebar-accent-foreground"
                        : "text-muted-foreground hover:bg-sidebar-accent/60 hover:text-sidebar-accent-foreground",
                    )}
                  >
                    <Icon aria-hidden="true" className="size-4 shrink-0" />
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
