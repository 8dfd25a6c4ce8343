import type { Role } from "@/lib/auth/permissions";

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  ops: "Ops",
  support: "Support",
  viewer: "Viewer",
};

/** What each role may do, for the invite form's hint. */
export const ROLE_HINTS: Record<Role, string> = {
  admin: "everything, including Settings and the audit log",
  ops: "bulk CSV and single cancels, orders, batches, sync retries",
  support: "single sub-order and order-screen cancels, no bulk",
  viewer: "read only",
};

export const SELECT_CLASS =
  "flex h-9 w-full rounded-md border border-input bg-transparent px-3 py-1 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50 aria-invalid:border-destructive";
