/**
 * The known future of each simulated account: its hidden monthly health, if
 * and why it churned, whether it renewed or expanded. Written to its own file
 * to grade scores and predictions against; it never enters the store.
 */

import { dirname, join } from "node:path";
import type { Calendar } from "./calendar.js";
import { monthlyHealth } from "./health.js";
import { LineWriter } from "./ndjson-sink.js";
import type { Segment } from "./options.js";
import type { SignalTruth } from "./signals-truth.js";
import type { Archetype, ChurnCause, Profile } from "./world.js";

export interface AccountTruth {
  id: string;
  segment: Segment;
  /** The account's story: healthy, expander, at_risk_renewed (looked bad, renewed), gradual_churn, sudden_churn. */
  archetype: Archetype;
  /** The day the customer signed (YYYY-MM-DD; may be before the window). */
  started_at: string;
  /** The churn date, when the account churned inside the window. */
  churn_date: string | null;
  churn_cause: ChurnCause;
  /** A churn already decided for the months after the window (the account is still active in the data). */
  future_churn_date: string | null;
  future_churn_cause: ChurnCause;
  /** Gradual churners: when the decline began. */
  decline_start: string | null;
  /** Passed at least one renewal inside the window without churning. */
  renewed: boolean;
  /** Grew seats inside the window. */
  expanded: boolean;
  /** Mean latent health (0–1) per calendar month the account was a customer in the window. */
  health: Array<{ month: string; health: number }>;
}

export interface TruthSink {
  write(truth: AccountTruth): void | Promise<void>;
  /** The signals' truth of the account just written (see signals-truth.ts), when the sink keeps it. */
  signals?(lines: SignalTruth[]): void | Promise<void>;
  close(): Promise<void>;
}

export function truthOf(p: Profile, cal: Calendar): AccountTruth {
  const D = cal.days;
  const inWindow = p.churnDay !== null && p.churnDay < D;
  const future = p.churnDay !== null && !inWindow;
  return {
    id: p.id,
    segment: p.segment,
    archetype: p.archetype,
    started_at: cal.date(p.startDay),
    churn_date: inWindow ? cal.date(p.churnDay!) : null,
    churn_cause: inWindow ? p.cause : "none",
    future_churn_date: future ? cal.date(p.churnDay!) : null,
    future_churn_cause: future ? p.cause : "none",
    decline_start: p.declineStart !== null && p.declineStart < D ? cal.date(p.declineStart) : null,
    renewed: p.renewals.some((r) => r < p.activeEnd && (p.churnDay === null || r < p.churnDay)),
    expanded: p.expansionDays.some((d) => d < p.activeEnd),
    health: monthlyHealth(p, cal),
  };
}

/** Writes one JSON line per account to a file, and the signals' truth to signals-truth.ndjson beside it. */
export class NdjsonTruthWriter implements TruthSink {
  private readonly out: LineWriter;
  private signalsOut: LineWriter | null = null;
  readonly signalsFile: string;

  constructor(file: string, signalsFile = join(dirname(file), "signals-truth.ndjson")) {
    this.out = new LineWriter(file);
    this.signalsFile = signalsFile;
  }

  write(truth: AccountTruth): void | Promise<void> {
    return this.out.line(JSON.stringify(truth));
  }

  signals(lines: SignalTruth[]): void | Promise<void> {
    this.signalsOut ??= new LineWriter(this.signalsFile);
    if (lines.length === 0) return;
    return this.signalsOut.line(lines.map((l) => JSON.stringify(l)).join("\n"));
  }

  async close(): Promise<void> {
    await Promise.all([this.out.close(), this.signalsOut?.close()]);
  }
}

/** Keeps the truth in memory: for tests and benchmarks. */
export class MemoryTruth implements TruthSink {
  readonly accounts: AccountTruth[] = [];
  readonly signalLines: SignalTruth[] = [];

  write(truth: AccountTruth): void {
    this.accounts.push(truth);
  }

  signals(lines: SignalTruth[]): void {
    this.signalLines.push(...lines);
  }

  async close(): Promise<void> {}
}
