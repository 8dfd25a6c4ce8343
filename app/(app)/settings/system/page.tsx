import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { FormattedDate } from "@/components/format/formatted";
import { ConnectorsStatus } from "@/components/settings/system/connectors-status";
import { DatabaseStatus } from "@/components/settings/system/database-status";
import { HeartbeatsList } from "@/components/settings/system/heartbeats-list";
import { OutboxByChannel } from "@/components/settings/system/outbox-by-channel";
import { Button } from "@/components/ui/button";
import { getDatabase } from "@/db/client";
import { getSystemHealth } from "@/db/queries/system-health";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "System";
const DESCRIPTION =
  "The database and its migrations, the background worker's heartbeats, each channel's outbox and what each connector's calls last did.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

export default async function SystemPage() {
  await requirePagePermission("settings:manage", "/settings/system");
  const { db, driver } = getDatabase();
  const health = await getSystemHealth(db, driver);
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
      <p className="text-muted-foreground text-sm">
        As of <FormattedDate value={health.checkedAt} seconds />; reload to check again. A load balancer reads
        the same, without error texts, from <code>/api/health</code>.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <DatabaseStatus driver={health.driver} migrations={health.migrations} />
        <HeartbeatsList heartbeats={health.heartbeats} now={health.checkedAt} />
      </div>
      <OutboxByChannel outbox={health.outbox} />
      <ConnectorsStatus connectors={health.connectors} />
    </>
  );
}
