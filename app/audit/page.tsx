import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";

const TITLE = "Audit log";
const DESCRIPTION = "Read the append-only trail of who cancelled what, when, why and from where.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "Every cancellation with its actor, source, reason and time",
  "Administrative changes to users, roles, reason codes, channels and API keys",
] as const;

export default function AuditLogPage() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
