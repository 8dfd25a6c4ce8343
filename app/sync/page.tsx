import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";

const TITLE = "Sync";
const DESCRIPTION =
  "Watch the outbox that tells channels about cancellations: what is pending, what failed, and retry it.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = ["Pending and failed channel notifications", "Retry a failed notification"] as const;

export default function SyncPage() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
