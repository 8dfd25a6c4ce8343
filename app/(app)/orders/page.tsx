import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Orders";
const DESCRIPTION =
  "Find an order by order, sub-order or channel order number, see every line's quantities, and cancel selected lines or part of a line with a reason.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "Search by order, sub-order or channel order number",
  "Order detail with ordered, shipped, processing, cancelled and cancellable quantities per line",
  "Cancel selected lines or part of a line with a reason code",
  "The order's cancellation history",
] as const;

export default async function OrdersPage() {
  await requirePagePermission("orders:read", "/orders");
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
