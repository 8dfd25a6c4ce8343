import "server-only";
import { sql } from "drizzle-orm";
import { type Db, needsRowLocks } from "@/db/client";
import { withRetries } from "@/lib/connectors/retry";
import type { ConnectorAnswer, WarehouseCancelRequest, WarehouseGate } from "@/lib/connectors/types";
import type { RecordedCancellation } from "./record-cancellations";
import {
  type EntryState,
  type RetrySchedule,
  recordWarehouseVerdicts,
  retryDefaults,
  type WarehouseVerdict,
} from "./resolve-reservations";
import { resolveWarehouseConnection } from "./warehouse-gate";

/** A ledger entry whose warehouse must still agree: everything needed to ask it, always the same way. */
export type Reservation = {
  cancellationId: string;
  subOrderId: string;
  reasonCode: string;
  reasonText: string;
  partial: boolean;
  lines: { sku: string; quantity: number }[];
  warehouse: { id: string; externalId: string | null };
};

export type AskSettings = RetrySchedule & {
  /** Replaces every warehouse's configured gate (tests, the bench). */
  gate?: WarehouseGate;
  /** Warehouse calls in flight at once. */
  concurrency: number;
  /** How long a claimed entry is ours to ask before another asker may take it (a crash's bound). */
  claimMs: number;
};

/** Answers written per transaction. */
const VERDICT_GROUP = 32;
/** At most this many answers wait to be written before the asker pauses its calls. */
export const MAX_UNWRITTEN_ANSWERS = 4 * VERDICT_GROUP;

const askDefaults = (): AskSettings => ({ ...retryDefaults(), concurrency: 32, claimMs: 120_000 });

/**
 * How long a person's own request keeps the right to ask (quick tries, each bounded by the
 * warehouse's timeout); if its process dies meanwhile, the background asker takes over after this.
 */
export const INTERACTIVE_CLAIM_MS = 5 * 60_000;
const MAX_QUICK_TRIES = 3;

export function reservationOf(recorded: RecordedCancellation): Reservation {
  return {
    cancellationId: recorded.cancellationId,
    subOrderId: recorded.subOrderId,
    reasonCode: recorded.reasonCode,
    reasonText: recorded.reasonText,
    partial: recorded.partial,
    lines: recorded.plan.lines.map(({ sku, quantity }) => ({ sku, quantity })),
    warehouse: { id: recorded.warehouse.id, externalId: recorded.warehouse.externalId },
  };
}

/** The question for the warehouse: the ledger id is the idempotency key, so every ask is the same request. */
export function gateRequestOf(reservation: Reservation): WarehouseCancelRequest {
  return {
    idempotencyKey: reservation.cancellationId,
    subOrderId: reservation.subOrderId,
    warehouseExternalId: reservation.warehouse.externalId,
    reasonCode: reservation.reasonCode,
    reasonText: reservation.reasonText,
    partial: reservation.partial,
    lines: reservation.lines,
  };
}

function verdictOf(cancellationId: string, answer: ConnectorAnswer): WarehouseVerdict {
  switch (answer.kind) {
    case "accepted":
      return { cancellationId, kind: "accepted" };
    case "rejected":
      return { cancellationId, kind: "rejected", code: "DOWNSTREAM_REJECTED", message: answer.message };
    default:
      return { cancellationId, kind: "unknown", message: answer.message, notSent: answer.notSent === true };
  }
}

/** Asks once, or `tries` times while there is no definite answer. Never throws: a throw is no answer. */
async function askOnce(
  db: Db,
  reservation: Reservation,
  settings: Pick<AskSettings, "gate">,
  interactive: boolean,
): Promise<WarehouseVerdict> {
  try {
    const connection = settings.gate
      ? { gate: settings.gate, quickTries: 1 }
      : await resolveWarehouseConnection(db, reservation.warehouse.id);
    const tries = interactive ? Math.min(connection.quickTries, MAX_QUICK_TRIES) : 1;
    const request = gateRequestOf(reservation);
    const answer = await withRetries(
      () => connection.gate(request),
      (a) => a.kind === "unavailable",
      { maxAttempts: tries, baseMs: 200, maxMs: 2_000 },
    );
    return verdictOf(reservation.cancellationId, answer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      cancellationId: reservation.cancellationId,
      kind: "unknown",
      message: `the call failed: ${reason}`,
    };
  }
}

/**
 * A person's cancellation, asked at once with a few quick tries while they wait, its answer
 * recorded. Without a definite answer it stays PENDING and the background asker takes it on.
 */
export async function askWarehouseNow(
  db: Db,
  reservation: Reservation,
  settings: Partial<AskSettings> = {},
): Promise<EntryState> {
  const verdict = await askOnce(db, reservation, settings, true);
  const states = await db.transaction((tx) =>
    recordWarehouseVerdicts(tx, [verdict], { ...retryDefaults(), ...settings }),
  );
  const state = states.get(reservation.cancellationId);
  if (!state) throw new Error(`cancellation ${reservation.cancellationId} is missing`);
  return state;
}

/**
 * The background asker: takes every PENDING entry that is due (just recorded by a batch, waiting
 * after an unknown outcome, or left by a process that died while asking), at most `concurrency`
 * calls in flight, topped up as calls finish, and records the answers in small groups while the
 * next calls are under way. Any number of askers, in any processes, share the work: an entry is
 * claimed (FOR UPDATE SKIP LOCKED, then leased) before it is asked, so it is asked by one at a time.
 */
export class WarehouseAsker {
  private readonly settings: AskSettings;

  constructor(
    private readonly db: Db,
    settings: Partial<AskSettings> = {},
  ) {
    this.settings = { ...askDefaults(), ...settings };
  }

  /** Asks everything due now; returns how many entries were asked (0: nothing was due). */
  async askDue(): Promise<number> {
    const { concurrency } = this.settings;
    let wake = () => {};
    const recorder = new VerdictRecorder(this.db, this.settings, () => wake());
    // Answers not yet written are lost with the process (asked again, same key, once the claim runs
    // out): no new call while this many wait, however fast the warehouse answers.
    const mayAsk = () => inFlight < concurrency && recorder.unwritten < MAX_UNWRITTEN_ANSWERS;
    // Claimed ahead, so a finished call's slot is refilled at once, without a round trip.
    const queue: Reservation[] = [];
    // Entries this call holds (queued or being asked): never claimed again by it, so one asker never
    // asks about one entry twice at once, even if its claim ran out meanwhile.
    const held = new Set<string>();
    let claiming: Promise<void> | null = null;
    let exhausted = false;
    let claimError: unknown = null;
    let inFlight = 0;
    let asked = 0;
    const refill = () => {
      if (claiming || exhausted || queue.length >= concurrency) return;
      const want = 2 * concurrency - queue.length;
      claiming = this.claimDue(want, held)
        .then(
          async (claimed) => {
            for (const reservation of claimed) held.add(reservation.cancellationId);
            queue.push(...claimed);
            if (claimed.length > 0) return;
            // Nothing due now. While calls are in flight, more may come due (a runner recording the
            // next chunk): look again shortly instead of draining first.
            if (inFlight === 0) exhausted = true;
            else await new Promise((resolve) => setTimeout(resolve, 25));
          },
          (error: unknown) => {
            claimError = error;
            exhausted = true;
          },
        )
        .finally(() => {
          claiming = null;
          wake();
        });
    };
    for (;;) {
      for (let next = mayAsk() ? queue.shift() : undefined; next; ) {
        const reservation = next;
        inFlight++;
        asked++;
        void askOnce(this.db, reservation, this.settings, false)
          .then((verdict) => recorder.add(verdict))
          .finally(() => {
            inFlight--;
            held.delete(reservation.cancellationId);
            wake();
          });
        next = mayAsk() ? queue.shift() : undefined;
      }
      refill();
      if (inFlight === 0 && queue.length === 0 && !claiming && exhausted) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    await recorder.flush();
    if (claimError) throw claimError;
    return asked;
  }

  /** Claims up to `limit` due entries for `claimMs` and loads what asking them needs, in one statement. */
  private async claimDue(limit: number, held: ReadonlySet<string>): Promise<Reservation[]> {
    const rows = await this.db.execute<{
      id: string;
      sub_order_id: string;
      reason_code: string;
      reason_text: string;
      partial: boolean;
      warehouse_id: string;
      external_id: string | null;
      sku: string;
      quantity: number;
    }>(sql`
      WITH claimed AS (
        UPDATE cancellations
           SET next_ask_at = now() + make_interval(secs => ${this.settings.claimMs / 1000}), updated_at = now()
         WHERE id IN (SELECT id FROM cancellations
                       WHERE status = 'PENDING' AND next_ask_at <= now()
                         AND NOT (id = ANY(${sql.param([...held])}::uuid[]))
                       ORDER BY next_ask_at
                       LIMIT ${limit}
                       ${needsRowLocks(this.db) ? sql`FOR UPDATE SKIP LOCKED` : sql``})
        RETURNING id, sub_order_id, reason_code, partial)
      -- Lines through LATERAL ... OFFSET 0 (kept from being flattened into a join): index lookups
      -- per claimed entry, whatever the planner believes about cancellation_lines. Right after a
      -- large batch it has no statistics yet, and a hash join over the whole ledger took 300 ms
      -- per claim.
      SELECT c.id, c.sub_order_id, c.reason_code, r.label AS reason_text, c.partial,
             w.id AS warehouse_id, w.external_id,
             l.sku, l.quantity
        FROM claimed c
        JOIN sub_orders so ON so.id = c.sub_order_id
        JOIN warehouses w ON w.id = so.warehouse_id
        JOIN cancellation_reasons r ON r.code = c.reason_code
        CROSS JOIN LATERAL (
          SELECT li.sku, cl.quantity, cl.line_item_id
            FROM cancellation_lines cl JOIN line_items li ON li.id = cl.line_item_id
           WHERE cl.cancellation_id = c.id OFFSET 0) AS l
       ORDER BY c.id, l.line_item_id`);
    const byId = new Map<string, Reservation>();
    for (const row of rows.rows) {
      let reservation = byId.get(row.id);
      if (!reservation) {
        reservation = {
          cancellationId: row.id,
          subOrderId: row.sub_order_id,
          reasonCode: row.reason_code,
          reasonText: row.reason_text,
          partial: row.partial,
          lines: [],
          warehouse: { id: row.warehouse_id, externalId: row.external_id },
        };
        byId.set(row.id, reservation);
      }
      reservation.lines.push({ sku: row.sku, quantity: row.quantity });
    }
    return [...byId.values()];
  }
}

/**
 * Records verdicts in groups (one transaction per group, one group at a time) while more calls
 * are in flight: the warehouse's latency, not our round trips, sets the pace. A group that cannot
 * be written is logged; its entries stay claimed and are asked again when the claim runs out.
 */
class VerdictRecorder {
  private queue: WarehouseVerdict[] = [];
  private recording: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Answers received and not yet written (or given up on): what a crash now would lose. */
  unwritten = 0;

  constructor(
    private readonly db: Db,
    private readonly schedule: RetrySchedule,
    /** Called after each group is written. */
    private readonly onWritten: () => void = () => {},
    private readonly groupSize = VERDICT_GROUP,
  ) {}

  add(verdict: WarehouseVerdict): void {
    this.unwritten++;
    this.queue.push(verdict);
    if (this.queue.length >= this.groupSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 50);
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.queue.splice(0);
    if (group.length > 0) {
      this.recording = this.recording.then(() =>
        this.db
          .transaction((tx) => recordWarehouseVerdicts(tx, group, this.schedule))
          .then(
            () => {},
            (error: unknown) => console.error("[warehouse-asker] could not record answers", error),
          )
          .finally(() => {
            this.unwritten -= group.length;
            this.onWritten();
          }),
      );
    }
    return this.recording;
  }
}
