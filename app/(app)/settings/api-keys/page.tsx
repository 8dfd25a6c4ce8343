import { BookOpen, ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/app-shell/page-header";
import { FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listApiKeys } from "@/lib/auth/api-keys";
import { requirePagePermission } from "@/lib/auth/session";

import { CreateApiKeyForm } from "./_components/create-api-key-form";
import { RevokeApiKeyButton } from "./_components/revoke-api-key-button";

const TITLE = "API keys";
const DESCRIPTION =
  "Keys for integrations that call the REST API. A key is shown once when it is made; only its hash is kept.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

function formatTime(at: Date | null) {
  return at ? <FormattedDate value={at} /> : "never";
}

export default async function ApiKeysPage() {
  await requirePagePermission("settings:manage", "/settings/api-keys");
  const keys = await listApiKeys();
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
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        actions={
          <Button asChild variant="outline" size="sm">
            {/* A route handler (the Scalar reference), not a page: a plain link, not next/link. */}
            <a href="/api/docs">
              <BookOpen aria-hidden="true" />
              API reference
            </a>
          </Button>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>New key</h2>
          </CardTitle>
          <CardDescription>
            Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>. Each key may make
            a limited number of requests a minute.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CreateApiKeyForm />
        </CardContent>
      </Card>
      <section aria-labelledby="api-keys-heading" className="flex flex-col gap-3">
        <h2 id="api-keys-heading" className="font-semibold text-lg">
          Keys
        </h2>
        <div className="rounded-lg border bg-card">
          <Table aria-labelledby="api-keys-heading">
            <TableHeader className="bg-muted/60">
              <TableRow className="hover:bg-transparent">
                <TableHead scope="col">Name</TableHead>
                <TableHead scope="col">Key</TableHead>
                <TableHead scope="col">Scopes</TableHead>
                <TableHead scope="col">Created</TableHead>
                <TableHead scope="col">Last used</TableHead>
                <TableHead scope="col">Status</TableHead>
                <TableHead scope="col">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.length === 0 ? (
                <TableRow className="hover:bg-transparent">
                  <TableCell colSpan={7} className="h-20 text-center text-muted-foreground">
                    No API keys yet.
                  </TableCell>
                </TableRow>
              ) : (
                keys.map((key) => (
                  <TableRow key={key.id} data-key-id={key.id}>
                    <TableCell className="font-medium">{key.name}</TableCell>
                    <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                    <TableCell>
                      <div className="flex gap-1">
                        {key.scopes.map((scope) => (
                          <Badge key={scope} variant="outline" className="font-mono">
                            {scope}
                          </Badge>
                        ))}
                      </div>
                    </TableCell>
                    <TableCell className="text-xs">
                      {formatTime(key.createdAt)}
                      {key.createdByName ? (
                        <span className="text-muted-foreground"> by {key.createdByName}</span>
                      ) : null}
                    </TableCell>
                    <TableCell className="text-xs">{formatTime(key.lastUsedAt)}</TableCell>
                    <TableCell>
                      {key.revokedAt ? (
                        <Badge variant="destructive">revoked {formatTime(key.revokedAt)}</Badge>
                      ) : (
                        <Badge variant="success">active</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      {key.revokedAt ? null : <RevokeApiKeyButton id={key.id} name={key.name} />}
                    </TableCell>
                  </TableRow>
                ))
              )}
            </TableBody>
          </Table>
        </div>
      </section>
    </>
  );
}
