import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Cancel requests";
const DESCRIPTION =
  "Approve or reject cancellation requests that customers raised through a channel, with their reason already filled in.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "Queue of customer cancel requests per channel",
  "Approve (cancel) or reject with a reason, e.g. already shipped",
] as const;

export default async function CancelRequestsPage() {
  await requirePagePermission("orders:read", "/cancel-requests");
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
