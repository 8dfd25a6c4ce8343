import { FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { UserRow } from "@/db/queries/users";

import { RoleForm } from "./role-form";
import { DisableUserButton, ResetPasswordButton } from "./user-actions";

function StateCell({ user, now }: { user: UserRow; now: Date }) {
  if (user.state === "disabled") return <Badge variant="destructive">disabled</Badge>;
  if (user.state === "active") return <Badge variant="success">active</Badge>;
  const link = user.pendingLink;
  const expired = link ? link.expiresAt.getTime() <= now.getTime() : true;
  return (
    <div className="flex flex-col gap-1">
      <Badge variant="warning">{link?.purpose === "reset" ? "invited (password reset)" : "invited"}</Badge>
      <span className="text-muted-foreground text-xs">
        {link && !expired ? (
          <>
            link until <FormattedDate value={link.expiresAt} />
          </>
        ) : (
          "no working link: make a new one"
        )}
      </span>
    </div>
  );
}

/** Every user with role, state and last sign-in; the signed-in admin's own row says so. */
export function UsersTable({
  users,
  currentUserId,
  now,
}: {
  users: UserRow[];
  currentUserId: string;
  now: Date;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border bg-card">
      <Table aria-labelledby="users-heading">
        <TableHeader className="bg-muted/60">
          <TableRow className="hover:bg-transparent">
            <TableHead scope="col">User</TableHead>
            <TableHead scope="col">Role</TableHead>
            <TableHead scope="col">State</TableHead>
            <TableHead scope="col">Last sign-in</TableHead>
            <TableHead scope="col">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => {
            const isSelf = user.id === currentUserId;
            return (
              <TableRow key={user.id} data-user-email={user.email} data-state={user.state}>
                <TableCell>
                  <div className="flex flex-col">
                    <span className="font-medium">
                      {user.name}
                      {isSelf ? <span className="text-muted-foreground"> (you)</span> : null}
                    </span>
                    <span className="text-muted-foreground text-xs">{user.email}</span>
                  </div>
                </TableCell>
                <TableCell>
                  <RoleForm userId={user.id} name={user.name} role={user.role} />
                </TableCell>
                <TableCell>
                  <StateCell user={user} now={now} />
                </TableCell>
                <TableCell className="text-xs">
                  {user.lastSignInAt ? (
                    <FormattedDate value={user.lastSignInAt} />
                  ) : (
                    <span className="text-muted-foreground">never</span>
                  )}
                </TableCell>
                <TableCell>
                  {isSelf ? null : (
                    <div className="flex justify-end gap-2">
                      {user.state === "disabled" ? null : (
                        <ResetPasswordButton user={user} invited={user.state === "invited"} />
                      )}
                      <DisableUserButton user={user} disabled={user.state === "disabled"} />
                    </div>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
