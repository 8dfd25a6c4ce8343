import { FormattedCount, FormattedDate } from "@/components/format/formatted";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { DatabaseDriver, MigrationStatus } from "@/db/queries/system-health";

const DRIVER_LABELS: Record<DatabaseDriver, { name: string; note: string }> = {
  pglite: { name: "PGlite (embedded)", note: "In this process, in PGLITE_DIR: one process only." },
  pg: { name: "PostgreSQL", note: "DATABASE_URL: any number of web and worker processes may share it." },
};

/** The database driver and the migration version against the migrations this code ships. */
export function DatabaseStatus({
  driver,
  migrations,
}: {
  driver: DatabaseDriver;
  migrations: MigrationStatus;
}) {
  const label = DRIVER_LABELS[driver];
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2>Database</h2>
        </CardTitle>
        <CardDescription>{label.note}</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-muted-foreground">Driver</dt>
          <dd data-testid="database-driver">{label.name}</dd>
          <dt className="text-muted-foreground">Migrations</dt>
          <dd className="flex flex-col gap-1" data-testid="migration-status">
            {migrations.upToDate ? (
              <Badge variant="success">up to date</Badge>
            ) : (
              <Badge variant="destructive">
                <FormattedCount value={migrations.pending.length} /> pending
              </Badge>
            )}
            <span>
              <FormattedCount value={migrations.applied} /> of <FormattedCount value={migrations.known} />{" "}
              applied
            </span>
          </dd>
          <dt className="text-muted-foreground">Latest applied</dt>
          <dd>
            {migrations.latest ? (
              <>
                <code className="font-mono text-xs">
                  {migrations.latest.tag ?? "a migration this version does not ship"}
                </code>
                <span className="text-muted-foreground">
                  {" "}
                  (created <FormattedDate value={migrations.latest.createdAt} />)
                </span>
              </>
            ) : (
              <span className="text-muted-foreground">none</span>
            )}
          </dd>
          {migrations.pending.length > 0 ? (
            <>
              <dt className="text-muted-foreground">Pending</dt>
              <dd>
                <ul className="flex flex-col gap-0.5">
                  {migrations.pending.map((tag) => (
                    <li key={tag}>
                      <code className="font-mono text-xs">{tag}</code>
                    </li>
                  ))}
                </ul>
                <p className="mt-1 text-muted-foreground text-xs">
                  Applied on the next start, or now with <code>npm run db:migrate</code>.
                </p>
              </dd>
            </>
          ) : null}
        </dl>
      </CardContent>
    </Card>
  );
}
