import "server-only";
import { and, desc, eq, gte, ilike, lt, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditFilters } from "@/lib/audit/filters";

export type AuditEventRow = typeof auditEvents.$inferSelect;

export const AUDIT_PAGE_SIZE = 50;
const EXPORT_PAGE_SIZE = 1000;

function nextDay(date: string): Date {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function whereOf(filters: AuditFilters, before?: number): SQL | undefined {
  const conditions: (SQL | undefined)[] = [
    filters.actor ? ilike(auditEvents.actorLabel, `%${escapeLike(filters.actor)}%`) : undefined,
    filters.action ? eq(auditEvents.action, filters.action) : undefined,
    filters.outcome ? eq(auditEvents.outcome, filters.outcome) : undefined,
    filters.from ? gte(auditEvents.at, new Date(`${filters.from}T00:00:00.000Z`)) : undefined,
    filters.to ? lt(auditEvents.at, nextDay(filters.to)) : undefined,
    before ? lt(auditEvents.id, before) : undefined,
  ];
  return and(...conditions);
}

/**
 * One page of the audit log, newest first, keyset-paged by id (`before` is the last id of the
 * previous page). Ids grow with time, so id order is time order.
 */
export async function listAuditEvents(
  db: DbOrTx,
  filters: AuditFilters,
  options: { before?: number; limit?: number } = {},
): Promise<{ rows: AuditEventRow[]; nextBefore: number | null }> {
  const limit = options.limit ?? AUDIT_PAGE_SIZE;
  const rows = await db
    .select()
    .from(auditEvents)
    .where(whereOf(filters, options.before))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextBefore: rows.length > limit && last ? last.id : null };
}

/** Every event matching `filters`, newest first, read a page at a time: for the CSV export. */
export async function* iterateAuditEvents(
  db: DbOrTx,
  filters: AuditFilters,
  pageSize = EXPORT_PAGE_SIZE,
): AsyncGenerator<AuditEventRow, void, undefined> {
  let before: number | undefined;
  for (;;) {
    const { rows, nextBefore } = await listAuditEvents(db, filters, { before, limit: pageSize });
    yield* rows;
    if (nextBefore === null) return;
    before = nextBefore;
  }
}
