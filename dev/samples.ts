/**
 * The sample CSVs in `public/samples/`, built from the same generator as the demo data, so
 * every ID in them is a real row of a freshly seeded database. Regenerate with
 * `npx tsx dev/samples-cli.ts`; `dev/seed/seed.test.ts` fails when the committed files drift.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { ErrorCode } from "@/lib/cancellation/errors";
import {
  type LineRequest,
  type PlannedLine,
  planLineItemCancel,
  planSubOrderCancel,
} from "@/lib/cancellation/rules";
import { createRandom } from "./random";
import {
  DEMO_IDS,
  generateSeedData,
  SEED,
  SEED_CHANNELS,
  SEED_REASONS,
  type SeedData,
  type SeedLine,
} from "./seed";

export const SAMPLES_DIR = path.join(process.cwd(), "public", "samples");
export const SAMPLE_FILES = {
  subOrders: "sub-orders.csv",
  lineItems: "line-items.csv",
  subOrdersExcel: "sub-orders-excel.csv",
} as const;
export type SampleFile = (typeof SAMPLE_FILES)[keyof typeof SAMPLE_FILES];

export const UNKNOWN_SUB_ORDER_ID = "SO-999999-9";
/** Not in the catalogue (no XXL size, no PNK colour), so on no sub-order. */
export const UNKNOWN_SKU = "TSHIRT-XXL-PNK";
export const UNKNOWN_REASON = "NOT_A_REASON";

export type Expected = "SUCCESS" | ErrorCode;
export type Outcome = { expected: Expected; message?: string };

/** What each kind of row is there to show, and the result it must get (strict mode). */
export const SAMPLE_KINDS = {
  open: { label: "Open sub-order", expected: "SUCCESS" },
  in_processing: { label: "Sub-order with units in processing", expected: "IN_PROCESSING" },
  shipped: { label: "Shipped sub-order", expected: "PARTIALLY_FULFILLED" },
  partially_shipped: { label: "Partially shipped sub-order", expected: "PARTIALLY_FULFILLED" },
  cancelled: { label: "Already cancelled sub-order", expected: "ALREADY_CANCELLED" },
  unknown: { label: "Unknown sub-order ID", expected: "SUB_ORDER_NOT_FOUND" },
  duplicate: { label: "Repeat of an ID earlier in the file", expected: "DUPLICATE_ROW" },
  blank: { label: "Blank Sub Order ID", expected: "INVALID_INPUT" },
  unknown_reason: { label: "Open sub-order with an unknown Reason Code", expected: "REASON_NOT_FOUND" },
  open_lines: { label: "Lines of an open sub-order", expected: "SUCCESS" },
  unshipped_remainder: { label: "Unshipped lines of a partially shipped sub-order", expected: "SUCCESS" },
  cancel_rest: { label: "Rest of a line on a partially cancelled sub-order", expected: "SUCCESS" },
  exceeds_cancellable: {
    label: "One line asks more than cancellable: the whole sub-order fails",
    expected: "QUANTITY_EXCEEDS_CANCELLABLE",
  },
  unknown_sku: { label: "A SKU that is not on the sub-order", expected: "LINE_ITEM_NOT_FOUND" },
  zero_quantity: { label: "A line with quantity 0", expected: "INVALID_QUANTITY" },
  unknown_sub_order: { label: "Lines of an unknown sub-order", expected: "SUB_ORDER_NOT_FOUND" },
} as const satisfies Record<string, { label: string; expected: Expected }>;
export type SampleKind = keyof typeof SAMPLE_KINDS;

export type SampleRow = {
  file: SampleFile;
  /** Line number in the file as an editor shows it: the header is line 1. */
  line: number;
  kind: SampleKind;
  subOrderId: string;
  sku?: string;
  quantity?: number;
  reasonCode?: string;
  /** For line-item files: the result of the whole sub-order group this row belongs to. */
  expected: Expected;
  message?: string;
};

export type Samples = { files: Record<SampleFile | "README.md", string>; rows: SampleRow[] };

/** Strict sub-order cancel, as the rules decide it for these lines (undefined: no such sub-order). */
export function subOrderOutcome(subOrderId: string, lines: PlannedLine[] | undefined): Outcome {
  if (!lines) return { expected: "SUB_ORDER_NOT_FOUND" };
  const result = planSubOrderCancel(subOrderId, lines, "strict");
  return result.ok ? { expected: "SUCCESS" } : { expected: result.error.code, message: result.error.message };
}

/** A line-item group (all rows of one sub-order), as the rules decide it. */
export function lineGroupOutcome(
  subOrderId: string,
  lines: PlannedLine[] | undefined,
  requests: LineRequest[],
): Outcome {
  if (!lines) return { expected: "SUB_ORDER_NOT_FOUND" };
  const result = planLineItemCancel(subOrderId, lines, requests);
  return result.ok ? { expected: "SUCCESS" } : { expected: result.error.code, message: result.error.message };
}

const cancellable = (l: PlannedLine) =>
  l.ordered - l.fulfilled - l.processing - l.cancelled - l.pendingCancel;

function plannedLinesBySubOrder(lines: SeedLine[]): Map<string, PlannedLine[]> {
  const map = new Map<string, PlannedLine[]>();
  lines.forEach((line, index) => {
    const list = map.get(line.subOrderId) ?? [];
    list.push({ ...line, id: index + 1 });
    map.set(line.subOrderId, list);
  });
  return map;
}

const FIXTURE_SUB_ORDER = /^SO-00000[1-9]-/;

/** The channels that cancel whole lines only: a line-item row there asks for the whole line. */
const WHOLE_LINES_CHANNELS = SEED_CHANNELS.filter((c) => !c.partialQuantities).map((c) => c.id);

/** Builds the three sample CSVs and their README from the demo data set. */
export function buildSamples(data: SeedData = generateSeedData()): Samples {
  const rng = createRandom(SEED + 1);
  const linesOf = plannedLinesBySubOrder(data.lineItems);
  const channelOfOrder = new Map(data.orders.map((o) => [o.id, o.channelId]));
  const wholeLinesOnly = new Set(
    data.subOrders
      .filter((s) => WHOLE_LINES_CHANNELS.includes(channelOfOrder.get(s.orderId) ?? ""))
      .map((s) => s.id),
  );
  /** Rows that ask for part of a line, or whose result a whole-lines rule could change, stay off those channels. */
  const partialAllowed = (id: string) => !wholeLinesOnly.has(id);
  const lines = (id: string) => {
    const found = linesOf.get(id);
    if (!found) throw new Error(`samples: no lines for ${id}`);
    return found;
  };
  // Shuffled pools per status, drawn without replacement so no sub-order appears in two files.
  const pools = new Map<string, string[]>();
  for (const sub of rng.shuffle(data.subOrders)) {
    if (FIXTURE_SUB_ORDER.test(sub.id)) continue;
    pools.set(sub.status, [...(pools.get(sub.status) ?? []), sub.id]);
  }
  const take = (
    status: string,
    accept: (lines: PlannedLine[], id: string) => boolean = () => true,
  ): string => {
    const pool = pools.get(status) ?? [];
    const index = pool.findIndex((id) => accept(lines(id), id));
    const [id] = pool.splice(index, 1);
    if (index < 0 || !id) throw new Error(`samples: no ${status} sub-order left`);
    return id;
  };
  const checked = (kind: SampleKind, outcome: Outcome, where: string): Outcome => {
    if (outcome.expected !== SAMPLE_KINDS[kind].expected) {
      throw new Error(`samples: ${where} (${kind}) would give ${outcome.expected}`);
    }
    return outcome;
  };

  const rows: SampleRow[] = [];

  // sub-orders.csv: open rows with the failures spread between them.
  {
    const file = SAMPLE_FILES.subOrders;
    const open = Array.from({ length: 23 }, () => take("open"));
    const failures: [number, SampleKind, string][] = [
      [2, "in_processing", DEMO_IDS.processingSubOrder],
      [6, "shipped", DEMO_IDS.shippedSubOrder],
      [10, "cancelled", DEMO_IDS.cancelledSubOrder],
      [13, "unknown", UNKNOWN_SUB_ORDER_ID],
      [17, "partially_shipped", DEMO_IDS.partiallyFulfilledSubOrder],
      [21, "duplicate", open[4] ?? ""],
      [25, "blank", ""],
    ];
    const entries: [SampleKind, string][] = open.map((id) => ["open", id]);
    for (const [at, kind, id] of failures) entries.splice(at, 0, [kind, id]);
    entries.forEach(([kind, subOrderId], i) => {
      const outcome = checked(kind, sampleSubOrderOutcome(kind, subOrderId, linesOf), subOrderId);
      rows.push({ file, line: i + 2, kind, subOrderId, ...outcome });
    });
  }

  // sub-orders-excel.csv: the same kinds, a Reason Code per row.
  {
    const file = SAMPLE_FILES.subOrdersExcel;
    const reasons = SEED_REASONS.filter((r) => r.active && r.initiator !== "automatic").map((r) => r.code);
    const open = Array.from({ length: 15 }, () => take("open"));
    const failures: [number, SampleKind, string, string?][] = [
      // On a channel that takes partial quantities, so *unfulfilled only* can cancel its open units.
      [1, "in_processing", take("in_processing", (_, id) => partialAllowed(id))],
      [4, "shipped", take("shipped")],
      [7, "unknown_reason", take("open"), UNKNOWN_REASON],
      [9, "cancelled", take("cancelled")],
      [12, "unknown", UNKNOWN_SUB_ORDER_ID],
      [15, "duplicate", open[2] ?? ""],
      [18, "blank", ""],
    ];
    const entries: [SampleKind, string, string?][] = open.map((id) => ["open", id]);
    for (const [at, ...entry] of failures) entries.splice(at, 0, entry);
    entries.forEach(([kind, subOrderId, reason], i) => {
      const reasonCode = reason ?? rng.pick(reasons);
      const outcome =
        kind === "unknown_reason"
          ? { expected: "REASON_NOT_FOUND" as const }
          : sampleSubOrderOutcome(kind, subOrderId, linesOf);
      rows.push({ file, line: i + 2, kind, subOrderId, reasonCode, ...checked(kind, outcome, subOrderId) });
    });
  }

  // line-items.csv: one group of rows per sub-order; a group succeeds or fails as a whole.
  {
    const file = SAMPLE_FILES.lineItems;
    const multiLine = (l: PlannedLine[]) => l.length >= 2;
    const partialMultiLine = (l: PlannedLine[], id: string) => multiLine(l) && partialAllowed(id);
    // Whole lines on a whole-lines-only channel, any quantity elsewhere.
    const someOf = (id: string, all: boolean): LineRequest[] => {
      const l = lines(id);
      const chosen = all ? l : l.filter(() => rng.chance(0.6));
      const picked = chosen.length > 0 ? chosen : l.slice(0, 1);
      return picked.map((line) => ({
        sku: line.sku,
        quantity: partialAllowed(id) ? rng.int(1, cancellable(line)) : cancellable(line),
      }));
    };
    const groups: [SampleKind, string, LineRequest[]][] = [];
    const openGroup = (all: boolean) => {
      const id = take("open", multiLine);
      groups.push(["open_lines", id, someOf(id, all)]);
    };
    openGroup(true);
    openGroup(false);
    {
      const id = take(
        "partially_shipped",
        (l, id) => partialAllowed(id) && l.some((line) => cancellable(line) > 0),
      );
      const open = lines(id).filter((line) => cancellable(line) > 0);
      groups.push([
        "unshipped_remainder",
        id,
        open.map((line) => ({ sku: line.sku, quantity: cancellable(line) })),
      ]);
    }
    groups.push([
      "exceeds_cancellable",
      DEMO_IDS.partiallyFulfilledSubOrder,
      [
        { sku: "MUG-350-BLK", quantity: 1 },
        { sku: DEMO_IDS.partiallyFulfilledLine.sku, quantity: DEMO_IDS.partiallyFulfilledLine.ordered },
      ],
    ]);
    openGroup(false);
    {
      const id = take("open", (_, id) => partialAllowed(id));
      const [first] = lines(id);
      groups.push([
        "unknown_sku",
        id,
        [
          { sku: first?.sku ?? "", quantity: 1 },
          { sku: UNKNOWN_SKU, quantity: 1 },
        ],
      ]);
    }
    openGroup(true);
    {
      const partlyCancelled = (line: PlannedLine) => line.cancelled > 0 && cancellable(line) > 0;
      const id = take("partially_cancelled", (l, id) => partialAllowed(id) && l.some(partlyCancelled));
      const line = lines(id).find(partlyCancelled);
      groups.push(["cancel_rest", id, [{ sku: line?.sku ?? "", quantity: line ? cancellable(line) : 0 }]]);
    }
    {
      const id = take("open", partialMultiLine);
      const [first, second] = lines(id);
      groups.push([
        "zero_quantity",
        id,
        [
          { sku: first?.sku ?? "", quantity: 1 },
          { sku: second?.sku ?? "", quantity: 0 },
        ],
      ]);
    }
    openGroup(false);
    groups.push(["unknown_sub_order", UNKNOWN_SUB_ORDER_ID, [{ sku: "TSHIRT-M-RED", quantity: 1 }]]);
    openGroup(true);
    openGroup(false);
    openGroup(true);

    let line = 2;
    for (const [kind, subOrderId, requests] of groups) {
      const outcome = checked(
        kind,
        lineGroupOutcome(subOrderId, linesOf.get(subOrderId), requests),
        subOrderId,
      );
      for (const { sku, quantity } of requests) {
        rows.push({ file, line: line++, kind, subOrderId, sku, quantity, ...outcome });
      }
    }
  }

  const rowsOf = (file: SampleFile) => rows.filter((r) => r.file === file);
  // A row of empty cells is written as `""`: an empty line would be skipped as blank, not reported.
  const csv = (lines: string[][], eol = "\n", delimiter = ",", quoteAll = false) =>
    lines
      .map((cells) => {
        const quote = quoteAll || cells.every((c) => c === "");
        return cells.map((c) => quoteCell(c, delimiter, quote)).join(delimiter);
      })
      .join(eol) + eol;
  return {
    rows,
    files: {
      [SAMPLE_FILES.subOrders]: csv([
        ["Sub Order ID"],
        ...rowsOf(SAMPLE_FILES.subOrders).map((r) => [r.subOrderId]),
      ]),
      [SAMPLE_FILES.lineItems]: csv([
        ["Sub Order ID", "SKU ID", "Quantity"],
        ...rowsOf(SAMPLE_FILES.lineItems).map((r) => [r.subOrderId, r.sku ?? "", String(r.quantity)]),
      ]),
      // Excel in many locales: UTF-8 BOM, CRLF, semicolons, every field quoted.
      [SAMPLE_FILES.subOrdersExcel]: `\uFEFF${csv(
        [
          ["Sub Order ID", "Reason Code"],
          ...rowsOf(SAMPLE_FILES.subOrdersExcel).map((r) => [r.subOrderId, r.reasonCode ?? ""]),
        ],
        "\r\n",
        ";",
        true,
      )}`,
      "README.md": readme(rows),
    },
  };
}

function sampleSubOrderOutcome(
  kind: SampleKind,
  subOrderId: string,
  linesOf: Map<string, PlannedLine[]>,
): Outcome {
  // Found by validation before Start; its wording belongs to the CSV validator.
  if (kind === "duplicate") return { expected: "DUPLICATE_ROW" };
  if (kind === "blank") return { expected: "INVALID_INPUT" };
  return subOrderOutcome(subOrderId, linesOf.get(subOrderId));
}

function quoteCell(cell: string, delimiter: string, quoteAll: boolean): string {
  const needs = quoteAll || cell.includes(delimiter) || cell.includes('"') || /[\r\n]/.test(cell);
  return needs ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const FILE_NOTES: Record<SampleFile, { title: string; format: string }> = {
  [SAMPLE_FILES.subOrders]: {
    title: "Cancel Sub-Orders → Multiple Sub-Orders (strict mode)",
    format: "One column `Sub Order ID`; comma-separated, LF line endings, UTF-8 without BOM.",
  },
  [SAMPLE_FILES.subOrdersExcel]: {
    title: "Cancel Sub-Orders → Multiple Sub-Orders (strict mode), saved by Excel",
    format:
      "Columns `Sub Order ID;Reason Code`, the way Excel saves CSV in many locales: UTF-8 BOM, " +
      "CRLF line endings, `;` delimiter, every field quoted.",
  },
  [SAMPLE_FILES.lineItems]: {
    title: "Cancel Sub-Order Line Items",
    format:
      "Columns `Sub Order ID,SKU ID,Quantity`; comma-separated, LF. All rows of one sub-order form one " +
      "unit of work: the group succeeds or fails as a whole.",
  },
};

function readme(rows: SampleRow[]): string {
  const out = [
    "# Sample CSVs",
    "",
    "Generated by `npx tsx dev/samples-cli.ts` from the deterministic demo data (`dev/seed/`): every ID is a",
    "real row of a freshly seeded database (`npm run db:seed`). Do not edit by hand; `dev/seed/seed.test.ts` checks",
    "that these files match the generator and that the seeded rows give the results below. No sub-order",
    "expected to succeed appears in two files, so each file can be tried on the same demo database.",
    "",
    "Line numbers count the header as line 1. Expected results are for the default strict mode; with",
    "*unfulfilled only*, the in-processing and partially shipped rows cancel their open units instead.",
    "",
    `On the channels that cancel whole lines only (${WHOLE_LINES_CHANNELS.join(", ")}), line-item rows ask for`,
    "whole lines. Rows that ask for part of a line, and line-item groups expected to fail, are on sub-orders",
    "of channels that take partial quantities (or on no sub-order at all).",
  ];
  for (const file of [SAMPLE_FILES.subOrders, SAMPLE_FILES.subOrdersExcel, SAMPLE_FILES.lineItems]) {
    const fileRows = rows.filter((r) => r.file === file);
    out.push("", `## ${file}`, "", `${FILE_NOTES[file].title}. ${FILE_NOTES[file].format}`, "");
    out.push("| Row kind | Lines | Sub-orders | Expected |", "| --- | --- | --- | --- |");
    const kinds = [...new Set(fileRows.map((r) => r.kind))];
    for (const kind of kinds) {
      const ofKind = fileRows.filter((r) => r.kind === kind);
      const ids = [...new Set(ofKind.map((r) => (r.subOrderId === "" ? "(blank)" : `\`${r.subOrderId}\``)))];
      const first = ofKind[0];
      const expected =
        first?.expected === "SUCCESS"
          ? "SUCCESS"
          : `ERROR \`${first?.expected}\`${first?.message && ids.length === 1 ? `: ${first.message}` : ""}`;
      const lines = ofKind.map((r) => r.line).join(", ");
      out.push(
        `| ${SAMPLE_KINDS[kind].label} | ${lines} | ${ids.join(", ")} | ${expected.replaceAll("|", "\\|")} |`,
      );
    }
  }
  return `${out.join("\n")}\n`;
}

/** Writes the sample files into `dir` (public/samples by default). */
export async function writeSamples(dir: string = SAMPLES_DIR): Promise<string[]> {
  const { files } = buildSamples();
  await fs.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(dir, name);
    await fs.writeFile(target, content, "utf8");
    written.push(target);
  }
  return written;
}
