import { CRITICAL_SIGNALS } from "../domain/index.js";
import type { Queryable } from "../store/index.js";
import { type FeatureMatrix, type Labels, matrixFromRecords } from "./dataset.js";
import { dataSpan } from "./history.js";
import { historyMedians, type PortfolioMedians, withRelative } from "./relative.js";
import { categoryScoresSql, signalNamesSql } from "./snapshot-sql.js";
import { SCORE_FEATURE, snapshotMonthBefore, withTrends } from "./trend.js";

/**
 * Observations for the churn model, read from the monthly score history: one
 * row per account per month it was a customer (not churned before the month),
 * its features those of the snapshot (computed point in time from the facts
 * before the month): every metric the snapshot holds (catalogue and imported
 * names), every category score (`category:<key>`) and, as 0/1, each critical
 * signal the snapshot could record (`signal:<name>`), the health score, and
 * how the score and a few others moved over one and three months (trend.ts).
 * The label says whether the account churned within the horizon after the
 * observation date; when the horizon runs past the last known date the row
 * is unlabelled (predicted only).
 */

export const CATEGORY_PREFIX = "category:";
export const SIGNAL_PREFIX = "signal:";

/**
 * Signals that are not point in time (read from today's facts whatever the
 * date: contacts carry no history, see src/metrics/critical-signals.ts). They stay out
 * of the features, or the backtest would see the future.
 */
export const NOT_POINT_IN_TIME_SIGNALS: ReadonlySet<string> = new Set(["executive_sponsor_inactive"]);

/** The signals that are features. */
export const SIGNAL_FEATURES: readonly string[] = CRITICAL_SIGNALS.filter(
  (s) => !NOT_POINT_IN_TIME_SIGNALS.has(s),
);
const DAY_MS = 86_400_000;

export interface ObservationSet {
  horizonDays: number;
  /** The last known date (ISO instant): labels need date + horizon ≤ it. Null when the store has no dated fact. */
  knownUntil: string | null;
  /** Row metadata, one entry per row (rows are ordered by date, then account). */
  accounts: string[];
  /** Observation dates, YYYY-MM-DD (the first of a month). */
  dates: string[];
  segments: (string | null)[];
  /**
   * The account's ARR on the observation date (not a feature: what a churn
   * there would cost): 12 × the MRR of the subscriptions running on that date,
   * or the account's `arr` when it has no subscription at all (a history of
   * imported metrics); null when neither is known.
   */
  arr: (number | null)[];
  /** The snapshot's metric values (what the scorecard was evaluated on). */
  metrics: Record<string, number>[];
  /** The critical signals the snapshot recorded. */
  signals: string[][];
  score: (number | null)[];
  band: (string | null)[];
  matrix: FeatureMatrix;
  /** 1 = churned within the horizon; 0 = did not, or unlabelled (see `labelled`). */
  labels: Labels;
  /** 1 = the row's horizon ended by the last known date. */
  labelled: Uint8Array;
  /** Churn instants (ISO) of the accounts in the set that churned. */
  churnDates: Map<string, string>;
}

/**
 * The label of an observation on day `dateMs`: 1 when the account churned in
 * [date, date + horizon), 0 when it did not, null when the horizon runs past
 * the last known date (the outcome is not known yet).
 */
export function labelFor(
  dateMs: number,
  churnMs: number | null,
  horizonDays: number,
  knownUntilMs: number | null,
): 0 | 1 | null {
  const end = dateMs + horizonDays * DAY_MS;
  if (knownUntilMs === null || end > knownUntilMs) return null;
  return churnMs !== null && churnMs >= dateMs && churnMs < end ? 1 : 0;
}

/**
 * A snapshot's features: its metrics, its category scores as `category:<key>`
 * and, when `signals` is given, 1 or 0 for each of SIGNAL_FEATURES as `signal:<name>`.
 */
export function featureRecord(
  metrics: Readonly<Record<string, unknown>>,
  categories: Readonly<Record<string, unknown>>,
  signals?: readonly string[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value === "number" && Number.isFinite(value)) out[name] = value;
  }
  for (const [key, value] of Object.entries(categories)) {
    if (typeof value === "number" && Number.isFinite(value)) out[`${CATEGORY_PREFIX}${key}`] = value;
  }
  if (signals) for (const s of SIGNAL_FEATURES) out[`${SIGNAL_PREFIX}${s}`] = signals.includes(s) ? 1 : 0;
  return out;
}

/**
 * The features of one snapshot (see the file comment) before its trends: its
 * metrics, category scores and signals, the portfolio-relative values
 * (relative.ts; `keepRaw` keeps the raw ones beside them) and the health score.
 */
export function snapshotRecord(
  snapshot: {
    metrics: Readonly<Record<string, unknown>>;
    categories: Readonly<Record<string, unknown>>;
    signals?: readonly string[] | null;
    score: number | string | null;
  },
  medians: PortfolioMedians | undefined,
  keepRaw: boolean,
): Record<string, number> {
  const record = withRelative(
    featureRecord(snapshot.metrics, snapshot.categories, snapshot.signals ?? []),
    medians,
    keepRaw,
  );
  if (snapshot.score !== null) record[SCORE_FEATURE] = Number(snapshot.score);
  return record;
}

/** Every feature name in the records, sorted. */
export function featureNames(records: readonly Readonly<Record<string, number>>[]): string[] {
  const names = new Set<string>();
  for (const r of records) for (const name of Object.keys(r)) names.add(name);
  return [...names].sort();
}

interface HistoryRow {
  account: string;
  month: string;
  score: number | null;
  band: string | null;
  metrics: Record<string, unknown>;
  categories: Record<string, unknown>;
  signals: string[] | null;
  segment: string | null;
  churned_ms: number | null;
  arr: number | null;
}

export interface ObservationOptions {
  /** Label horizon in days. Default 90. */
  horizonDays?: number;
  /** The last known date; by default the newest dated fact in the store. */
  knownUntil?: string;
}

/**
 * An account's ARR at instant `at` (SQL): 12 × the summed MRR of its
 * subscriptions running then (started before, not yet ended); the account's
 * own `arr` when it has no subscription at all.
 */
function arrOnDateSql(account: string, accountArr: string, at: string): string {
  return `(SELECT CASE WHEN count(*) = 0 THEN ${accountArr}
      ELSE 12 * coalesce(sum(s.mrr) FILTER (WHERE s.started_at < ${at} AND (s.ended_at IS NULL OR s.ended_at > ${at})), 0) END
    FROM subscriptions s WHERE s.account = ${account})::float8`;
}

/** Reads every observation of the score history (see the file comment). */
export async function loadObservations(
  db: Queryable,
  opts: ObservationOptions = {},
): Promise<ObservationSet> {
  const horizonDays = opts.horizonDays ?? 90;
  const knownUntil = opts.knownUntil ?? (await dataSpan(db)).last;
  const rows = await db.query<HistoryRow & Record<string, unknown>>(
    `SELECT h.account, to_char(h.month, 'YYYY-MM-DD') AS month, h.score, h.band, h.metrics,
            ${categoryScoresSql("h.categories")} AS categories,
            ${signalNamesSql("h.signals")} AS signals,
            a.segment, (extract(epoch FROM a.churned_at) * 1000)::float8 AS churned_ms,
            ${arrOnDateSql("h.account", "a.arr", "(h.month::timestamp AT TIME ZONE 'UTC')")} AS arr
     FROM score_history h JOIN accounts a ON a.id = h.account
     WHERE a.churned_at IS NULL OR a.churned_at > (h.month::timestamp AT TIME ZONE 'UTC')
     ORDER BY h.month, h.account`,
  );
  // The same order on every store (collations differ): the model depends on the row order.
  rows.sort((a, b) =>
    a.month < b.month
      ? -1
      : a.month > b.month
        ? 1
        : a.account < b.account
          ? -1
          : a.account > b.account
            ? 1
            : 0,
  );
  const medians = await historyMedians(db);
  const knownMs = knownUntil === null ? null : Date.parse(knownUntil);
  const n = rows.length;
  const labels = new Uint8Array(n);
  const labelled = new Uint8Array(n);
  const churnDates = new Map<string, string>();
  const records: Record<string, number>[] = [];
  const byMonth = new Map<string, Record<string, number>>();
  const set: Omit<ObservationSet, "matrix" | "labels" | "labelled" | "churnDates"> = {
    horizonDays,
    knownUntil,
    accounts: [],
    dates: [],
    segments: [],
    arr: [],
    metrics: [],
    signals: [],
    score: [],
    band: [],
  };
  rows.forEach((r, i) => {
    const churnMs = r.churned_ms === null ? null : Number(r.churned_ms);
    if (churnMs !== null && !churnDates.has(r.account))
      churnDates.set(r.account, new Date(churnMs).toISOString());
    const label = labelFor(Date.parse(`${r.month}T00:00:00Z`), churnMs, horizonDays, knownMs);
    labels[i] = label ?? 0;
    labelled[i] = label === null ? 0 : 1;
    const metrics = featureRecord(r.metrics, {});
    const record = snapshotRecord({ ...r, metrics }, medians.get(r.month), false);
    records.push(record);
    byMonth.set(`${r.account}|${r.month}`, record);
    set.accounts.push(r.account);
    set.dates.push(r.month);
    set.segments.push(r.segment);
    set.arr.push(r.arr === null ? null : Number(r.arr));
    set.metrics.push(metrics);
    set.signals.push(r.signals ?? []);
    set.score.push(r.score === null ? null : Number(r.score));
    set.band.push(r.band);
  });
  const withChanges = records.map((record, i) => {
    const account = set.accounts[i] as string;
    const month = set.dates[i] as string;
    return withTrends(record, (k) => byMonth.get(`${account}|${snapshotMonthBefore(month, k)}`));
  });
  const matrix = matrixFromRecords(featureNames(withChanges), withChanges);
  return { ...set, matrix, labels, labelled, churnDates };
}

/** Indices of the labelled rows. */
export function labelledRows(set: ObservationSet): Int32Array {
  const out: number[] = [];
  set.labelled.forEach((l, i) => {
    if (l === 1) out.push(i);
  });
  return Int32Array.from(out);
}
