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

export type NavItem = {
  href: string;
  label: string;
  icon: LucideIcon;
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
      { href: "/cancellations", label: "Cancellations", icon: CircleX },
      { href: "/orders", label: "Orders", icon: ShoppingCart },
      { href: "/batches", label: "Batches", icon: Boxes },
      { href: "/cancel-requests", label: "Cancel requests", icon: Inbox },
    ],
  },
  {
    id: "system",
    label: "System",
    items: [
      { href: "/sync", label: "Sync", icon: RefreshCw },
      { href: "/settings", label: "Settings", icon: Settings },
      { href: "/audit", label: "Audit log", icon: ScrollText },
    ],
  },
];

/** True when `pathname` is the item's page or one of its sub-pages (`/batches/42` keeps Batches active). */
export function isActiveHref(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}
