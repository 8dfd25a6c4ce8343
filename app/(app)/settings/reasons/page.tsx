import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { AddReasonForm } from "@/components/settings/add-reason-form";
import { ReasonGroups } from "@/components/settings/reason-groups";
import { ReasonMappings } from "@/components/settings/reason-mappings";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listReasonMappingChannels, listReasons } from "@/db/queries/reasons";
import { requirePagePermission } from "@/lib/auth/session";
import { unmappedChannels } from "@/lib/reasons/mapping";

const TITLE = "Reasons";
const DESCRIPTION =
  "The reasons a cancellation can give, who initiates each, and how every channel names them. Reasons are never deleted: the ledger keeps every code.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

export default async function ReasonsPage({ searchParams }: PageProps<"/settings/reasons">) {
  await requirePagePermission("settings:manage", "/settings/reasons");
  const { channel } = await searchParams;
  const db = getDb();
  const [reasons, channels] = await Promise.all([listReasons(db), listReasonMappingChannels(db)]);
  const problems = new Map(
    reasons.map((r) => [r.code, r.active ? unmappedChannels(r.code, channels) : []] as const),
  );
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
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>New reason</h2>
          </CardTitle>
          <CardDescription>
            Offered at once in every cancel form, the CSV runs and the API. Map it on the channels that need
            it (below) before it is used there.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <AddReasonForm />
        </CardContent>
      </Card>
      <section aria-labelledby="reasons-heading" className="flex flex-col gap-3">
        <h2 id="reasons-heading" className="font-semibold text-lg">
          Reason codes
        </h2>
        <ReasonGroups reasons={reasons} problemsOf={(code) => problems.get(code) ?? []} />
      </section>
      <section id="mappings" aria-labelledby="mappings-heading" className="flex scroll-mt-4 flex-col gap-3">
        <h2 id="mappings-heading" className="font-semibold text-lg">
          Channel mappings
        </h2>
        <ReasonMappings
          channels={channels}
          reasons={reasons}
          selectedId={typeof channel === "string" ? channel : undefined}
        />
      </section>
    </>
  );
}
