import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { ChannelPoliciesTable } from "@/components/settings/channel-policies-table";
import { Button } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { listChannelPolicies } from "@/db/queries/channel-policies";
import { listConnectorSettings } from "@/db/queries/connectors";
import { requirePagePermission } from "@/lib/auth/session";

import type { ConnectorRowView } from "./_components/connectors-columns";
import { ConnectorsTable } from "./_components/connectors-table";

const TITLE = "Connectors";
const DESCRIPTION =
  "How each channel is told about cancellations and how each 3PL warehouse is asked first: the API, its address, credentials (stored encrypted, never shown), timeout and tries.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

export default async function ConnectorsPage() {
  await requirePagePermission("settings:manage", "/settings/connectors");
  const [settings, policies] = await Promise.all([
    listConnectorSettings(getDb()),
    listChannelPolicies(getDb()),
  ]);
  const rows: ConnectorRowView[] = settings.map((r) => ({
    target: r.target,
    id: r.id,
    name: r.name,
    connector: r.connector,
    baseUrl: r.baseUrl,
    hasCredentials: r.hasCredentials,
    timeoutMs: r.timeoutMs,
    maxAttempts: r.maxAttempts,
    enabled: r.enabled,
    credentialsRejectedAt: r.credentialsRejectedAt?.toISOString() ?? null,
  }));
  return (
    <>
      <div>
        <Button asChild variant="ghost" size="sm">
          <Link href="/settings">
            <ChevronLeft aria-hidden="true" />
            Settings
          </Link>
        </Button>
      </div>
      <PageHeader title={TITLE} description={DESCRIPTION} />
      <section aria-labelledby="connector-channels-heading" className="flex flex-col gap-3">
        <h2 id="connector-channels-heading" className="font-semibold text-lg">
          Channels
        </h2>
        <ConnectorsTable label="Channels" rows={rows.filter((r) => r.target === "channel")} />
      </section>
      <section aria-labelledby="channel-policies-heading" className="flex flex-col gap-3">
        <div className="flex flex-col gap-1">
          <h2 id="channel-policies-heading" className="font-semibold text-lg">
            Channel policies
          </h2>
          <p className="max-w-3xl text-muted-foreground text-sm">
            Whether a channel takes part of a line or whole lines only, fill-or-kill, where decisions on its
            customers' cancel requests are posted, and the commerce platform's shipping refund. Reason codes
            are mapped per channel in{" "}
            <Link href="/settings/reasons#mappings" className="underline underline-offset-2">
              Settings → Reasons
            </Link>
            .
          </p>
        </div>
        <ChannelPoliciesTable rows={policies} labelledBy="channel-policies-heading" />
      </section>
      <section aria-labelledby="connector-warehouses-heading" className="flex flex-col gap-3">
        <h2 id="connector-warehouses-heading" className="font-semibold text-lg">
          Warehouses
        </h2>
        <ConnectorsTable label="Warehouses" rows={rows.filter((r) => r.target === "warehouse")} />
      </section>
    </>
  );
}
