import { evaluate, type Scorecard } from "../domain/index.js";
import { applyCalibration, fitPlatt } from "./calibrate.js";
import { dayNumber, selectValues } from "./dataset.js";
import { type CalibrationBin, type FlagQuality, rankingReport, thresholdForPrecision } from "./evaluate.js";
import { type ForecastBacktest, forecastBacktest } from "./forecast-backtest.js";
import { type FlagObservation, leadTimes } from "./lead-time.js";
import { percentileMetrics, percentilesByDate } from "./measure-points.js";
import type { TrainedModel } from "./model.js";
import type { ObservationSet } from "./observations.js";

/**
 * The backtest report: the learned model (its out-of-fold predictions) and a
 * scorecard (its score as a ranking, its at-risk and critical bands as the
 * flag) measured on the same held-out observations: ROC AUC, PR AUC,
 * top-decile lift, Brier score, calibration table, precision and recall of
 * the flag, and lead time.
 *
 * Lead time is judged on the churners the test rows saw long enough: an
 * account that churned at C with a test observation at least 90 days before C
 * and one in the 35 days before C (so a warning of 90 days could have been
 * given, and its last look before the churn was tested). The others (churned before the first test date, or after the last
 * labelled one) are left out of both sides.
 */

export const REPORT_FORMAT = "keepwell.backtest/1";

/** A churner is judged when the test rows saw it this many days before its churn (the longest lead reported). */
const LEAD_WINDOW_DAYS = 90;

export interface LeadSummary {
  churners: number;
  warned: number;
  median_lead_days: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
}

export interface SideReport {
  auc: number | null;
  pr_auc: number | null;
  top_decile_lift: number | null;
  brier: number | null;
  /** Precision and recall of the flag, per observation. */
  precision: number | null;
  recall: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
  median_lead_days: number | null;
  flag: FlagQuality | null;
  lead: LeadSummary;
  calibration: CalibrationBin[] | null;
}

/** What the model's flag would give at another precision: the lead-time / precision trade-off. */
export interface LeadAtPrecision {
  min_precision: number;
  /** Null when no threshold reaches the precision. */
  threshold: number | null;
  precision: number | null;
  recall: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
}

export interface ModelSide extends SideReport {
  kind: string;
  /** Backtest AUC of every candidate learner. */
  candidates: { kind: string; auc: number | null }[];
  calibration_method: string;
  /** Flag = calibrated probability ≥ this (chosen for the wanted precision); null when none reached it. */
  flag_threshold: number | null;
  flag_min_precision: number | null;
  lead_by_precision: LeadAtPrecision[];
  /** Expected churn (held-out probabilities summed) beside the churn that followed, per tested date. */
  forecast: ForecastBacktest;
}

export interface ScorecardSide extends SideReport {
  name: string;
  version: number | null;
  /** "active" (the store's active version) or the file evaluated. */
  source: string;
  flag_rule: string;
}

export interface BacktestReport {
  format: typeof REPORT_FORMAT;
  horizon_days: number;
  known_until: string | null;
  method: string;
  splits: { name: string; train_rows: number; test_rows: number; skipped: boolean }[];
  observations: {
    rows: number;
    labelled: number;
    unlabelled: number;
    test_rows: number;
    test_positives: number;
    features: number;
    first_date: string | null;
    last_date: string | null;
  };
  model: ModelSide;
  scorecard: ScorecardSide;
}

/**
 * A scorecard's score and band for every observation (or only `rows`' — the
 * others stay null), re-evaluated from the snapshot's metrics (pure).
 */
export function scorecardScores(
  set: ObservationSet,
  scorecard: Scorecard,
  rows?: ArrayLike<number>,
): { score: (number | null)[]; band: (string | null)[] } {
  const metrics = percentileMetrics(scorecard);
  const ranks = percentilesByDate(set, metrics);
  const score: (number | null)[] = new Array(set.metrics.length).fill(null);
  const band: (string | null)[] = new Array(set.metrics.length).fill(null);
  const each = rows ?? Array.from(set.metrics, (_, i) => i);
  for (let k = 0; k < each.length; k++) {
    const i = each[k] as number;
    const percentiles: Record<string, number | undefined> = {};
    for (const m of metrics) percentiles[m] = ranks.get(m)?.get(i);
    const e = evaluate(scorecard, {
      values: set.metrics[i] ?? {},
      percentiles,
      signals: (set.signals[i] ?? []).map((name) => ({ name })),
    });
    score[i] = e.score;
    band[i] = e.band;
  }
  return { score, band };
}

/** Churners judged for lead time (see the file comment), with their churn instants. */
function judgedChurners(set: ObservationSet, rows: ArrayLike<number>): Map<string, string> {
  const seen = new Map<string, { early: boolean; late: boolean }>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const account = set.accounts[i] as string;
    const churn = set.churnDates.get(account);
    if (churn === undefined) continue;
    const before = dayNumber(churn) - dayNumber(set.dates[i] as string);
    if (before <= 0) continue;
    const s = seen.get(account) ?? { early: false, late: false };
    seen.set(account, s);
    if (before >= LEAD_WINDOW_DAYS) s.early = true;
    if (before <= 35) s.late = true;
  }
  const out = new Map<string, string>();
  for (const [account, s] of seen)
    if (s.early && s.late) out.set(account, set.churnDates.get(account) as string);
  return out;
}

const round = (x: number | null, digits = 4) =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * One side's measures over `rows` (indices into the set, all labelled): `risk`
 * ranks (higher = riskier), `probability` for Brier and calibration, `flag` per row.
 */
export function sideReport(
  set: ObservationSet,
  rows: Int32Array,
  risk: Float64Array,
  probability: Float64Array,
  flag: Uint8Array,
): SideReport {
  const labels = selectValues(set.labels, rows);
  const r = rankingReport({ risk, labels, probability, flag });
  const observations: FlagObservation[] = Array.from(rows, (i, k) => ({
    account: set.accounts[i] as string,
    date: set.dates[i] as string,
    flagged: flag[k] === 1,
  }));
  const lead = leadTimes(observations, judgedChurners(set, rows));
  return {
    auc: round(r.auc),
    pr_auc: round(r.pr_auc),
    top_decile_lift: round(r.top_decile_lift, 3),
    brier: round(r.brier),
    precision: round(r.flag?.precision ?? null),
    recall: round(r.flag?.recall ?? null),
    lead_60_share: round(lead.lead_60_share),
    lead_90_share: round(lead.lead_90_share),
    median_lead_days: lead.median_lead_days,
    flag: r.flag,
    lead: {
      churners: lead.churners,
      warned: lead.warned,
      median_lead_days: lead.median_lead_days,
      lead_60_share: round(lead.lead_60_share),
      lead_90_share: round(lead.lead_90_share),
    },
    calibration: r.calibration,
  };
}

const TRADE_OFF_PRECISIONS = [0.2, 0.3, 0.4, 0.5, 0.6];

/** Lead time of the flag chosen for each precision in TRADE_OFF_PRECISIONS. */
function leadByPrecision(
  set: ObservationSet,
  rows: Int32Array,
  probability: Float64Array,
): LeadAtPrecision[] {
  const labels = selectValues(set.labels, rows);
  const churners = judgedChurners(set, rows);
  return TRADE_OFF_PRECISIONS.map((min) => {
    const found = thresholdForPrecision(probability, labels, min);
    if (!found)
      return {
        min_precision: min,
        threshold: null,
        precision: null,
        recall: null,
        lead_60_share: null,
        lead_90_share: null,
      };
    const lead = leadTimes(
      Array.from(rows, (i, k) => ({
        account: set.accounts[i] as string,
        date: set.dates[i] as string,
        flagged: (probability[k] as number) >= found.threshold,
      })),
      churners,
    );
    return {
      min_precision: min,
      threshold: round(found.threshold, 6),
      precision: round(found.precision),
      recall: round(found.recall),
      lead_60_share: round(lead.lead_60_share),
      lead_90_share: round(lead.lead_90_share),
    };
  });
}

/**
 * The model's side from its out-of-fold predictions (`rows` index the set):
 * `probability` ranks and flags; `heldOut` (cross-fitted calibration, default
 * `probability`) gives the Brier score and the calibration table.
 */
export function modelSide(
  set: ObservationSet,
  model: TrainedModel,
  rows: Int32Array,
  probability: Float64Array,
  heldOut: Float64Array = probability,
): ModelSide {
  const threshold = model.flag?.threshold ?? null;
  const flag = Uint8Array.from(probability, (p) => (threshold !== null && p >= threshold ? 1 : 0));
  return {
    lead_by_precision: leadByPrecision(set, rows, probability),
    kind: model.kind,
    candidates: model.backtest.candidates.map((c) => ({ kind: c.kind, auc: round(c.auc) })),
    calibration_method: model.calibration.method,
    flag_threshold: round(threshold, 6),
    flag_min_precision: model.flag?.min_precision ?? null,
    forecast: forecastBacktest(
      Array.from(rows, (i) => set.dates[i] as string),
      heldOut,
      selectValues(set.labels, rows),
      Array.from(rows, (i) => set.arr[i] ?? null),
    ),
    ...sideReport(set, rows, probability, heldOut, flag),
  };
}

export const SCORECARD_FLAG_RULE = "band at_risk or critical";

/** A scorecard's side over `rows`: risk = 100 − score (a missing score ranks in the middle), Platt on it for Brier. */
export function scorecardSide(
  set: ObservationSet,
  rows: Int32Array,
  scored: { score: (number | null)[]; band: (string | null)[] },
  about: { name: string; version: number | null; source: string },
): ScorecardSide {
  const risk = Float64Array.from(rows, (i) => 100 - (scored.score[i] ?? 50));
  const flag = Uint8Array.from(rows, (i) =>
    scored.band[i] === "at_risk" || scored.band[i] === "critical" ? 1 : 0,
  );
  const labels = selectValues(set.labels, rows);
  const raw = risk.map((r) => Math.min(Math.max(r / 100, 0.001), 0.999));
  const probability = applyCalibration(fitPlatt(raw, labels), raw);
  return { ...about, flag_rule: SCORECARD_FLAG_RULE, ...sideReport(set, rows, risk, probability, flag) };
}

/** Puts the report together; `trainRows` are the labelled rows the model was trained on (indices into the set). */
export function backtestReport(input: {
  set: ObservationSet;
  trainRows: Int32Array;
  model: TrainedModel;
  /** Out-of-fold rows (indices into the training rows) and their calibrated probabilities. */
  outOfFold: { rows: Int32Array; probability: Float64Array; heldOut?: Float64Array };
  scorecard: { scorecard: Scorecard; version: number | null; source: string };
}): BacktestReport {
  const { set, trainRows, model, outOfFold } = input;
  const rows = Int32Array.from(outOfFold.rows, (r) => trainRows[r] as number);
  const scored = scorecardScores(set, input.scorecard.scorecard);
  let positives = 0;
  for (const i of rows) positives += set.labels[i] as number;
  return {
    format: REPORT_FORMAT,
    horizon_days: set.horizonDays,
    known_until: set.knownUntil,
    method: model.backtest.method,
    splits: model.backtest.splits,
    observations: {
      rows: set.accounts.length,
      labelled: trainRows.length,
      unlabelled: set.accounts.length - trainRows.length,
      test_rows: rows.length,
      test_positives: positives,
      features: set.matrix.names.length,
      first_date: set.dates[0] ?? null,
      last_date: set.dates[set.dates.length - 1] ?? null,
    },
    model: modelSide(set, model, rows, outOfFold.probability, outOfFold.heldOut),
    scorecard: scorecardSide(set, rows, scored, {
      name: input.scorecard.scorecard.name,
      version: input.scorecard.version,
      source: input.scorecard.source,
    }),
  };
}
