import { type Evaluation, evaluate, percentileRanks, type Scorecard } from "../domain/index.js";
import { computeMetrics, computeSignals } from "../metrics/index.js";
import type { Db, Queryable } from "../store/index.js";
import { accountsAt, type ScoredAccount } from "./accounts-at.js";
import { type PreviousScore, type SnapshotTarget, writeSnapshots } from "./snapshots.js";

export interface RunOptions {
  /** Score as of this instant (facts strictly before it). */
  asOf: string;
  scorecard: { version: number; scorecard: Scorecard };
  /** Only these accounts (fresh scores after an ingest); all otherwise. */
  accounts?: readonly string[];
  /** Where the results go: the current scores, or the month's history snapshot. */
  target: SnapshotTarget;
}

export interface Scored {
  account: ScoredAccount;
  evaluation: Evaluation;
  metrics: Record<string, number>;
}

export interface RunSummary {
  as_of: string;
  target: SnapshotTarget;
  scorecard_version: number;
  accounts: number;
  bands: Record<string, { accounts: number; arr: number }>;
  average_score: number | null;
  seconds: number;
}

/** One account's score before and after a run of current scores. */
export interface ScoreChange {
  account: string;
  /** Null when the account had no current score before the run. */
  band_before: string | null;
  band_after: string | null;
  score_before: number | null;
  score_after: number | null;
  churn_probability_before: number | null;
}

/**
 * What a run changed, for what follows it (predictions, playbooks, alerts):
 * the accounts scored, and those whose band moved. A history run (a backfill
 * month) changes no current score.
 */
export interface RunChanges {
  accounts: string[];
  band_changes: ScoreChange[];
  /** Every scored account's before and after, for the steps that compare them. */
  scores: ScoreChange[];
}

export interface RunResult extends RunSummary {
  changes: RunChanges;
  /** Whether only some accounts were asked for (fresh scores), not the whole portfolio. */
  partial: boolean;
}

/** A run as people read it (the API, the CLI): its summary, without the per-account changes. */
export function summaryOf(run: RunResult): RunSummary {
  const { changes: _changes, partial: _partial, ...summary } = run;
  return summary;
}

/** Compares the scores a run replaced with those it wrote. */
export function changesOf(scored: readonly Scored[], previous: readonly PreviousScore[]): RunChanges {
  const before = new Map(previous.map((p) => [p.account, p]));
  const scores = scored.map((s): ScoreChange => {
    const p = before.get(s.account.id);
    return {
      account: s.account.id,
      band_before: p?.band ?? null,
      band_after: s.evaluation.band,
      score_before: p?.score ?? null,
      score_after: s.evaluation.score,
      churn_probability_before: p?.churn_probability ?? null,
    };
  });
  return {
    accounts: scores.map((c) => c.account),
    band_changes: scores.filter((c) => c.band_before !== c.band_after),
    scores,
  };
}

/** Metrics of the scorecard that are scored by percentile within the account's segment. */
function percentileMetrics(scorecard: Scorecard): string[] {
  return scorecard.categories.flatMap((c) =>
    c.measures.filter((m) => m.scale.type === "percentile").map((m) => m.metric),
  );
}

/**
 * Scores accounts as of a date: every metric for every account set-based in
 * SQL, the scorecard evaluated per account (pure), and the snapshots written
 * in one statement.
 */
export async function scoreAccounts(db: Queryable, opts: Omit<RunOptions, "target">): Promise<Scored[]> {
  const accounts = await accountsAt(db, opts.asOf, opts.accounts);
  if (accounts.length === 0) return [];
  const ctx = {
    asOf: opts.asOf,
    accounts: opts.accounts ? accounts.map((a) => a.id) : undefined,
    coreFeatures: opts.scorecard.scorecard.core_features,
  };
  // A percentile is a rank among the whole segment, so a partial run with
  // percentile measures computes metrics for everyone (once) and ranks against them.
  const pMetrics = percentileMetrics(opts.scorecard.scorecard);
  const everyone = pMetrics.length > 0 && opts.accounts !== undefined;
  const [metrics, signals] = await Promise.all([
    computeMetrics(db, everyone ? { ...ctx, accounts: undefined } : ctx),
    computeSignals(db, ctx),
  ]);
  const ranks = new Map<string, Map<string, number>>();
  if (pMetrics.length) {
    const population = everyone ? await accountsAt(db, opts.asOf) : accounts;
    const all = metrics;
    for (const m of pMetrics) {
      ranks.set(
        m,
        percentileRanks(
          population.map((a) => ({ account: a.id, segment: a.segment, value: all.get(a.id)?.[m] })),
        ),
      );
    }
  }

  return accounts.map((account) => {
    const values = metrics.get(account.id) ?? {};
    const percentiles: Record<string, number | undefined> = {};
    for (const m of pMetrics) percentiles[m] = ranks.get(m)?.get(account.id);
    const evaluation = evaluate(opts.scorecard.scorecard, {
      values,
      percentiles,
      signals: signals.get(account.id) ?? [],
    });
    return { account, evaluation, metrics: values };
  });
}

export async function runScoring(
  db: Db,
  opts: RunOptions,
  now: () => number = () => performance.now(),
): Promise<RunResult> {
  const began = now();
  const scored = await scoreAccounts(db, opts);
  const previous = await writeSnapshots(db, opts.target, opts.asOf, opts.scorecard.version, scored);
  const bands: Record<string, { accounts: number; arr: number }> = {};
  let total = 0;
  let n = 0;
  for (const s of scored) {
    const band = s.evaluation.band ?? "unscored";
    bands[band] ??= { accounts: 0, arr: 0 };
    bands[band].accounts++;
    bands[band].arr += s.account.arr ?? 0;
    if (s.evaluation.score !== null) {
      total += s.evaluation.score;
      n++;
    }
  }
  for (const b of Object.values(bands)) b.arr = Math.round(b.arr * 100) / 100;
  return {
    as_of: opts.asOf,
    target: opts.target,
    scorecard_version: opts.scorecard.version,
    accounts: scored.length,
    bands,
    average_score: n ? Math.round((total / n) * 10) / 10 : null,
    seconds: Math.round((now() - began) / 10) / 100,
    changes:
      opts.target === "current"
        ? changesOf(scored, previous)
        : { accounts: [], band_changes: [], scores: [] },
    partial: opts.accounts !== undefined,
  };
}
