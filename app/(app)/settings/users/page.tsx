import { ChevronLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";

import { PageHeader } from "@/components/app-shell/page-header";
import { InviteUserForm } from "@/components/settings/users/invite-user-form";
import { UsersTable } from "@/components/settings/users/users-table";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listUsers } from "@/db/queries/users";
import { requirePagePermission } from "@/lib/auth/session";

const TITLE = "Users";
const DESCRIPTION =
  "Who may sign in, with which role. Invite people with a one-time link, change roles, disable accounts and reset passwords.";

export const metadata: Metadata = { title: TITLE, description: DESCRIPTION };

export default async function UsersPage() {
  const me = await requirePagePermission("settings:manage", "/settings/users");
  const users = await listUsers(getDb());
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
            <h2>Invite a user</h2>
          </CardTitle>
          <CardDescription>
            No email is sent: you get a one-time link to pass on. It lets them set their password; then they
            sign in with the role you chose.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <InviteUserForm />
        </CardContent>
      </Card>
      <section aria-labelledby="users-heading" className="flex flex-col gap-3">
        <h2 id="users-heading" className="font-semibold text-lg">
          Users
        </h2>
        <p className="text-muted-foreground text-sm">
          A role change applies on the user's next request; disabling signs them out everywhere at once. The
          last active admin can be neither demoted nor disabled.
        </p>
        <UsersTable users={users} currentUserId={me.id} now={new Date()} />
      </section>
    </>
  );
}
