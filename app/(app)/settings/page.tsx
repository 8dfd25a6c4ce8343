import { Activity, ChevronRight, KeyRound, ListChecks, Plug, Users } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Settings";
const DESCRIPTION = "Manage reason codes, channels and their credentials, users and roles, and API keys.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

const SECTIONS = [
  {
    href: "/settings/api-keys",
    icon: KeyRound,
    title: "API keys",
    description: "Keys for integrations, with scopes and revocation",
  },
  {
    href: "/settings/connectors",
    icon: Plug,
    title: "Channels and warehouses",
    description: "Connector, address, credentials, timeout and retries of each remote system",
  },
  {
    href: "/settings/reasons",
    icon: ListChecks,
    title: "Reasons",
    description: "Reason codes by initiator, and how each channel names them",
  },
  {
    href: "/settings/users",
    icon: Users,
    title: "Users",
    description: "Invite people with a one-time link, roles, disabling and password resets",
  },
  {
    href: "/settings/system",
    icon: Activity,
    title: "System",
    description: "Database and migrations, worker heartbeats, outbox backlog and connector health",
  },
] as const;

export default async function SettingsPage() {
  await requirePagePermission("settings:manage", "/settings");
  return (
    <>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <nav aria-label="Settings sections">
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <Link
                href={section.href}
                className="flex items-center gap-3 rounded-lg border bg-card p-4 transition-colors hover:bg-muted/50"
              >
                <section.icon aria-hidden="true" className="size-5 text-muted-foreground" />
                <span className="flex min-w-0 flex-1 flex-col">
                  <span className="font-medium">{section.title}</span>
                  <span className="text-muted-foreground text-sm">{section.description}</span>
                </span>
                <ChevronRight aria-hidden="true" className="size-4 text-muted-foreground" />
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
