import {
  Boxes,
  CircleX,
  Inbox,
  type LucideIcon,
  RefreshCw,
  ScrollText,
  Settings,
  ShoppingCart,
} from "lucide-react";

import { can, type Permission, type Role } from "@/lib/auth/permissions";

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
  /** The entry is shown only to roles that hold this; its page checks the same permission. */
  permission: Permission;
};

export type NavGroup = {
  id: string;
  label: string;
  items: readonly NavItem[];
};

/** The sidebar, in order. Each `href` is a top-level route under `app/`. */
export const NAV_GROUPS: readonly NavGroup[] = [
  {
    id: "operations",
    label: "Operations",
    items: [
      { href: "/cancellations", label: "Cancellations", icon: CircleX, permission: "cancel:single" },
      { href: "/orders", label: "Orders", icon: ShoppingCart, permission: "orders:read" },
      { href: "/batches", label: "Batches", icon: Boxes, permission: "batches:read" },
      { href: "/cancel-requests", label: "Cancel requests", icon: Inbox, permission: "orders:read" },
    ],
  },
  {
    id: "system",
    label: "System",
    items: [
      { href: "/sync", label: "Sync", icon: RefreshCw, permission: "orders:read" },
      { href: "/settings", label: "Settings", icon: Settings, permission: "settings:manage" },
      { href: "/audit", label: "Audit log", icon: ScrollText, permission: "audit:read" },
    ],
  },
];

/** The sidebar for `role`: entries it may not use are left out, and so are groups left empty. */
export function navGroupsFor(role: Role): NavGroup[] {
  return NAV_GROUPS.map((group) => ({
    ...group,
    items: group.items.filter((item) => can(role, item.permission)),
  })).filter((group) => group.items.length > 0);
}

/** True when `pathname` is the item's page or one of its sub-pages (`/batches/42` keeps Batches active). */
export function isActiveHref(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
