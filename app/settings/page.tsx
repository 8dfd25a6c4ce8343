import type { Metadata } from "next";

import { NotBuiltYet } from "@/components/app-shell/not-built-yet";
import { PageHeader } from "@/components/app-shell/page-header";

const TITLE = "Settings";
const DESCRIPTION = "Manage reason codes, channels and their credentials, users and roles, and API keys.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const PLANNED = [
  "Reason codes",
  "Channels and their credentials",
  "Users and roles",
  "API keys for integrations",
] as const;

export default function SettingsPage() {
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <NotBuiltYet planned={PLANNED} />
    </>
  );
}
