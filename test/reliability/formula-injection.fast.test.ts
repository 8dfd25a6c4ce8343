/**
 * Reliability, formula injection: every CSV the app emits, read back with papaparse, never holds a
 * cell that a spreadsheet would run, whatever text went in. The CSVs: a batch's error CSV (the
 * screen's download, /api/batches/{id}/errors.csv, and the API's, /api/v1/cancellation-batches/{id}/
 * errors.csv: the failed rows as uploaded, the file's own header, Error Code and Error Message), the
 * audit log export (/api/audit/export) and the two sample templates. The rule (lib/csv/error-csv.ts,
 * neutraliseCell): a cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`; every
 * other cell comes back exactly as it went in.
 *
 * The writers are checked with fast-check over arbitrary strings (many runs, in memory); the routes
 * end to end with random hostile files uploaded through the real upload path, hostile refusal texts
 * (a warehouse's own words reach Error Message as they are) and hostile audit entries.
 */
import fc from "fast-check";
import { NextRequest } from "next/server";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { TestDatabase } from "@/test/database";

const state = vi.hoisted(() => ({
  database: undefined as TestDatabase | undefined,
  headers: new Headers(),
}));

vi.mock("@/db/client", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/client")>();
  const current = () => {
    if (!state.database) throw new Error("no test database yet");
    return state.database;
  };
  return { ...actual, getDatabase: current, getDb: () => current().db };
});

vi.mock("next/headers", () => ({
  headers: async () => new Headers(state.headers),
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => {},
    delete: () => {},
  }),
}));

import { sql } from "drizzle-orm";
import { GET as auditExport } from "@/app/api/audit/export/route";
import { GET as sessionErrorsCsv } from "@/app/api/batches/[id]/errors.csv/route";
import { GET as templateCsvRoute } from "@/app/api/templates/[kind]/route";
import { GET as apiErrorsCsv } from "@/app/api/v1/cancellation-batches/[id]/errors.csv/route";
import { iterateErrorRows } from "@/db/queries/batches";
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, auditEvents } from "@/db/schema";
import { DEMO_PASSWORD, seedDemoUsers } from "@/db/seed-users";
import { AUDIT_CSV_HEADER, auditCsvCells, auditCsvChunks } from "@/lib/audit/audit-csv";
import { createApiKey } from "@/lib/auth/api-keys";
import { getAuth } from "@/lib/auth/auth";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { uploadBatch } from "@/lib/batches/upload-batch";
import { type ErrorCsvRow, errorCsvChunks, errorCsvHeader } from "@/lib/csv/error-csv";
import { normalizeHeader } from "@/lib/csv/headers";
import { signInCookie, TEST_ORIGIN } from "@/test/auth";
import { createTestDatabase } from "@/test/database";
import { insertBulkSubOrders, insertReferenceData, TEST_REASON } from "@/test/fixtures";
import { recordCase } from "./results";

/** What a spreadsheet runs: a cell starting with one of these (OWASP's list, and line feed). */
const UNSAFE_START = /^[=+\-@\t\r\n]/;
const DANGER = ["=", "+", "-", "@", "\t", "\r", "\n"] as const;
/** The neutralised form the writer must produce of `cell`. */
const neutralised = (cell: string) => (UNSAFE_START.test(cell) ? `'${cell}` : cell);
const isHostile = (cell: string) => UNSAFE_START.test(cell);

/** Arbitrary text: any code point (lone surrogates too), or a dangerous start before it, or CSV syntax. */
const hostileText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: "binary", maxLength }),
    fc
      .tuple(fc.constantFrom(...DANGER), fc.string({ unit: "binary", maxLength }))
      .map(([start, rest]) => start + rest),
    fc
      .tuple(
        fc.constantFrom("=cmd|' /C calc'!A0", '=HYPERLINK("http://x.test","y")', "+1+1", "-2+3", "@SUM(A1)"),
        fc.string({ unit: fc.constantFrom('"', ",", ";", "\r\n", "\n", " ", "a", "é"), maxLength: 6 }),
      )
      .map(([formula, tail]) => formula + tail),
  );

/** Reads an emitted CSV (BOM first) back into records, without the empty record after the last CRLF. */
function readCsv(text: string): string[][] {
  expect(text.startsWith("\uFEFF"), "the CSV starts with a BOM").toBe(true);
  const parsed = Papa.parse<string[]>(text.slice(1), {
    newline: "\r\n",
    delimiter: ",",
    skipEmptyLines: false,
  });
  expect(parsed.errors).toEqual([]);
  const records = parsed.data;
  const last = records.at(-1);
  if (last && last.length === 1 && last[0] === "") records.pop();
  return records;
}

const unsafeCells = (records: string[][]) => records.flat().filter((cell) => UNSAFE_START.test(cell)).length;

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe("the CSV writers, over arbitrary strings", () => {
  test("error CSV: header, original cells, Error Code and Error Message are all neutralised, nothing else changes", async () => {
    const figures = { faultsInjected: 0, rowsProcessed: 0, unsafeCells: 0 };
    const headerArb = hostileText(12).filter(
      (h) => !["errorcode", "errormessage"].includes(normalizeHeader(h)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(headerArb, { minLength: 1, maxLength: 5 }),
        fc.array(
          fc.record({
            cells: fc.array(hostileText(16), { maxLength: 7 }),
            code: hostileText(12),
            message: hostileText(40),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        async (headers, rows: ErrorCsvRow[]) => {
          const records = readCsv(await collect(errorCsvChunks(headers, rows)));
          const unsafe = unsafeCells(records);
          figures.unsafeCells += unsafe;
          figures.rowsProcessed += rows.length;
          figures.faultsInjected +=
            headers.filter(isHostile).length +
            rows.reduce((n, r) => n + [...r.cells, r.code, r.message].filter(isHostile).length, 0);
          expect(unsafe).toBe(0);
          expect(records).toEqual([
            errorCsvHeader(headers).map(neutralised),
            ...rows.map((r) => [
              ...headers.map((_, i) => neutralised(r.cells[i] ?? "")),
              neutralised(r.code),
              neutralised(r.message),
            ]),
          ]);
        },
      ),
      { numRuns: 400 },
    );
    recordCase({ case: "formula injection: error CSV writer, arbitrary strings", ...figures });
  });

  test("audit CSV: every field of an event is neutralised, nothing else changes", async () => {
    const figures = { faultsInjected: 0, rowsProcessed: 0, unsafeCells: 0 };
    const eventArb = fc.record({
      id: fc.integer({ min: 1 }),
      at: fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }),
      actorType: fc.constantFrom(...AUDIT_ACTOR_TYPES),
      actorId: fc.option(hostileText(16), { nil: null }),
      actorLabel: hostileText(24),
      sourceIp: fc.option(hostileText(16), { nil: null }),
      action: fc.constantFrom(...AUDIT_ACTIONS),
      target: fc.option(hostileText(16), { nil: null }),
      outcome: fc.constantFrom(...AUDIT_OUTCOMES),
      detail: fc.option(fc.dictionary(hostileText(8), hostileText(16), { maxKeys: 3 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 10 }), async (events) => {
        const records = readCsv(await collect(auditCsvChunks(events)));
        const unsafe = unsafeCells(records);
        figures.unsafeCells += unsafe;
        figures.rowsProcessed += events.length;
        figures.faultsInjected += events.reduce((n, e) => n + auditCsvCells(e).filter(isHostile).length, 0);
        expect(unsafe).toBe(0);
        expect(records).toEqual([
          AUDIT_CSV_HEADER.map(neutralised),
          ...events.map((e) => auditCsvCells(e).map(neutralised)),
        ]);
      }),
      { numRuns: 300 },
    );
    recordCase({ case: "formula injection: audit CSV writer, arbitrary strings", ...figures });
  });
});

// --- the routes, end to end -----------------------------------------------------------------------

let apiKey: string;
let adminCookie: string;

beforeAll(async () => {
  state.database = await createTestDatabase();
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await insertReferenceData(state.database.db);
  await insertBulkSubOrders(state.database.db, "FI", 40);
  await seedDemoUsers(state.database.db);
  adminCookie = await signInCookie(getAuth(), "admin@demo.test", DEMO_PASSWORD);
  ({ secret: apiKey } = await createApiKey(
    { name: "=cmd|' /C calc'!A0", scopes: ["read", "cancel"], createdBy: "demo-admin" },
    state.database.db,
  ));
  state.headers = new Headers({
    host: new URL(TEST_ORIGIN).host,
    origin: TEST_ORIGIN,
    cookie: adminCookie,
    [CLIENT_IP_HEADER]: "192.0.2.77",
  });
});

afterAll(async () => {
  (globalThis as { __omsAuth?: unknown }).__omsAuth = undefined;
  await state.database?.drop();
});

function db() {
  if (!state.database) throw new Error("no database");
  return state.database.db;
}

/** A CSV text of `rows` under `header`, every cell quoted (so any text at all is one cell). */
const quotedCsv = (rows: string[][]) =>
  rows.map((cells) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(",")).join("\r\n");

async function bodyText(response: Response): Promise<string> {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
}

describe("the download routes, end to end", () => {
  test("a batch's error CSV from both routes: hostile files and hostile refusal texts come out neutralised", async () => {
    const figures = { faultsInjected: 0, rowsProcessed: 0, unsafeCells: 0, serverErrors: 0 };
    let run = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileText(12).filter(
          (h) =>
            normalizeHeader(h) !== "" &&
            !["suborderid", "reasoncode", "errorcode", "errormessage"].includes(normalizeHeader(h)),
        ),
        fc.array(fc.tuple(hostileText(20), hostileText(20), fc.boolean()), { minLength: 1, maxLength: 8 }),
        fc.array(hostileText(40), { minLength: 1, maxLength: 3 }),
        async (extraHeader, rows, refusals) => {
          run++;
          // Some rows name a real sub-order (they pass the checks), the rest a hostile one.
          const cells = rows.map(([id, note, real], i) => [real ? `FI-${(i % 40) + 1}` : id, "", note]);
          const file = quotedCsv([["Sub Order ID", "Reason Code", extraHeader], ...cells]);
          const uploaded = await uploadBatch(db(), {
            bytes: new TextEncoder().encode(file),
            fileName: `=evil-${run}.csv`,
            kind: "sub_orders",
            mode: "strict",
            reasonCode: TEST_REASON,
            createdBy: { type: "user", id: "u-ops", name: "@ops" },
            now: new Date(),
          });
          if (!uploaded.ok) return; // a file refused as a whole has no error CSV (lib/csv tests cover those)
          accepted++;
          const { batchId } = uploaded.value;
          // A warehouse's refusal reaches Error Message in its own words (DOWNSTREAM_REJECTED): make the
          // pending items fail with hostile texts, as the runner records them.
          await db().execute(sql`
            UPDATE batch_items SET status = 'ERROR', error_code = 'DOWNSTREAM_REJECTED',
                   error_message = (${sql.param(refusals.map(pgText))}::text[])[1 + (seq % ${refusals.length})],
                   processed_at = now()
             WHERE batch_id = ${batchId} AND status = 'PENDING'`);

          const expected: string[][] = [];
          const stored = await db().execute<{ headers: string[] }>(
            sql`SELECT headers FROM batches WHERE id = ${batchId}`,
          );
          const headers = stored.rows[0]?.headers ?? [];
          expected.push(errorCsvHeader(headers).map(neutralised));
          for await (const row of iterateErrorRows(db(), batchId)) {
            expected.push(
              [...headers.map((_, i) => row.cells[i] ?? ""), row.code, row.message].map(neutralised),
            );
          }
          figures.faultsInjected +=
            [extraHeader, ...refusals].filter(isHostile).length +
            rows.reduce((n, [id, note]) => n + [id, note].filter(isHostile).length, 0);

          const params = { params: Promise.resolve({ id: batchId }) };
          const responses = [
            await sessionErrorsCsv(
              new NextRequest(`${TEST_ORIGIN}/api/batches/${batchId}/errors.csv`),
              params,
            ),
            await apiErrorsCsv(
              new Request(`${TEST_ORIGIN}/api/v1/cancellation-batches/${batchId}/errors.csv`, {
                headers: { authorization: `Bearer ${apiKey}` },
              }),
              params,
            ),
          ];
          for (const response of responses) {
            if (response.status >= 500) figures.serverErrors++;
            expect(response.status).toBe(200);
            expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
            const records = readCsv(await bodyText(response));
            const unsafe = unsafeCells(records);
            figures.unsafeCells += unsafe;
            figures.rowsProcessed += records.length - 1;
            expect(unsafe).toBe(0);
            // Every failed row is there, each cell exactly as stored or neutralised: nothing dropped.
            expect(records).toEqual(expected);
          }
        },
      ),
      { numRuns: 25 },
    );
    recordCase({ case: "formula injection: error CSV downloads (screen and API routes)", ...figures });
    expect(accepted, "most random files are read (a refused file has no error CSV)").toBeGreaterThan(run / 2);
  });

  test("the audit export: hostile actor labels, targets, addresses and details come out neutralised", async () => {
    const figures = { faultsInjected: 0, rowsProcessed: 0, unsafeCells: 0, serverErrors: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            actorType: fc.constantFrom(...AUDIT_ACTOR_TYPES),
            actorId: fc.option(hostileText(16), { nil: null }),
            actorLabel: hostileText(24),
            sourceIp: fc.option(hostileText(16), { nil: null }),
            action: fc.constantFrom(...AUDIT_ACTIONS),
            target: fc.option(hostileText(16), { nil: null }),
            outcome: fc.constantFrom(...AUDIT_OUTCOMES),
            detail: fc.option(fc.dictionary(hostileText(8), hostileText(16), { maxKeys: 3 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        async (events) => {
          // PostgreSQL keeps no NUL in text or JSON, nor lone surrogates in JSON: store what it can
          // keep (the audit writer replaces those too), and check the export of what is stored.
          const storable = events.map((e) => ({
            ...e,
            actorId: e.actorId && pgText(e.actorId),
            actorLabel: pgText(e.actorLabel),
            sourceIp: e.sourceIp && pgText(e.sourceIp),
            target: e.target && pgText(e.target),
            detail:
              e.detail &&
              Object.fromEntries(Object.entries(e.detail).map(([k, v]) => [pgText(k), pgText(v)])),
          }));
          await db().insert(auditEvents).values(storable);
          figures.faultsInjected += storable.reduce(
            (n, e) =>
              n + [e.actorId ?? "", e.actorLabel, e.sourceIp ?? "", e.target ?? ""].filter(isHostile).length,
            0,
          );
          const response = await auditExport(new Request(`${TEST_ORIGIN}/api/audit/export`));
          if (response.status >= 500) figures.serverErrors++;
          expect(response.status).toBe(200);
          const records = readCsv(await bodyText(response));
          const unsafe = unsafeCells(records);
          figures.unsafeCells += unsafe;
          figures.rowsProcessed += records.length - 1;
          expect(unsafe).toBe(0);
          expect(records[0]).toEqual([...AUDIT_CSV_HEADER]);
          // The newest events first: this run's, each field neutralised, in the export.
          const rows = await db().select().from(auditEvents).orderBy(sql`${auditEvents.id} DESC`);
          expect(records.slice(1)).toEqual(rows.map((r) => auditCsvCells(r).map(neutralised)));
        },
      ),
      { numRuns: 15 },
    );
    recordCase({ case: "formula injection: audit export route", ...figures });
  });

  test("the sample templates", async () => {
    let unsafe = 0;
    let rows = 0;
    for (const kind of ["sub_orders", "line_items"]) {
      const response = await templateCsvRoute(new Request(`${TEST_ORIGIN}/api/templates/${kind}`), {
        params: Promise.resolve({ kind }),
      });
      expect(response.status).toBe(200);
      const parsed = Papa.parse<string[]>(await bodyText(response), { skipEmptyLines: true });
      unsafe += unsafeCells(parsed.data);
      rows += parsed.data.length;
    }
    recordCase({ case: "formula injection: sample templates", rowsProcessed: rows, unsafeCells: unsafe });
    expect(unsafe).toBe(0);
  });
});

/** Text PostgreSQL can keep in a text or JSON column: no NUL, no lone surrogate. */
function pgText(value: string): string {
  return value.replaceAll("\u0000", "\uFFFD").toWellFormed();
}
