import { metricLabel, signalLabel } from "../domain/index.js";
import { withScoresLock } from "../scoring/index.js";
import type { Cell, Db } from "../store/index.js";
import { currentFeatures } from "./current-features.js";
import { matrixFromRecords } from "./dataset.js";
import { type Contribution, explainRows, predict, type TrainedModel } from "./model.js";
import { latestModel } from "./model-store.js";
import { CATEGORY_PREFIX, type ObservationSet, SIGNAL_PREFIX } from "./observations.js";
import { RELATIVE_SUFFIX } from "./relative.js";
import { CHANGE_PATTERN, SCORE_FEATURE } from "./trend.js";

/**
 * Writes a model's predictions: each current account's churn probability and
 * its top contributing features into `current_scores`, and (optionally) the
 * probability of every observation into `score_history`. Set-based: one
 * statement per table through the store's bulk path.
 */

export interface ChurnDriver {
  feature: string;
  label: string;
  /** Change in churn log-odds credited to the feature (positive raises the risk). */
  contribution: number;
  /** The account's value of the feature; null when missing. */
  value: number | null;
  effect: "raises" | "lowers";
}

/**
 * The label people see for a feature: a metric's label, "<category> score",
 * the signal's label, "Health score", or one of those "against the portfolio
 * median" or "change over N months".
 */
export function featureLabel(feature: string): string {
  const change = CHANGE_PATTERN.exec(feature);
  if (change) {
    const months = Number(change[2]);
    return `${featureLabel(change[1] as string)}: change over ${months === 1 ? "1 month" : `${months} months`}`;
  }
  if (feature === SCORE_FEATURE) return "Health score";
  if (feature.endsWith(RELATIVE_SUFFIX))
    return `${featureLabel(feature.slice(0, -RELATIVE_SUFFIX.length))} against the portfolio median`;
  if (feature.startsWith(CATEGORY_PREFIX))
    return `${feature.slice(CATEGORY_PREFIX.length).replaceAll("_", " ")} score`;
  if (feature.startsWith(SIGNAL_PREFIX)) return signalLabel(feature.slice(SIGNAL_PREFIX.length));
  return metricLabel(feature);
}

export function toDrivers(contributions: readonly Contribution[]): ChurnDriver[] {
  return contributions.map((c) => ({
    feature: c.feature,
    label: featureLabel(c.feature),
    contribution: Math.round(c.contribution * 10_000) / 10_000,
    value: c.value,
    effect: c.contribution > 0 ? "raises" : "lowers",
  }));
}

/** GET /api/v1/accounts/:id/prediction: an account's current churn probability and its drivers. */
export interface AccountPrediction {
  account: string;
  /** When the score it was predicted from was computed (ISO). */
  as_of: string;
  model_version: number;
  horizon_days: number;
  churn_probability: number;
  /** At or above the model's flag threshold. */
  flagged: boolean;
  drivers: ChurnDriver[];
}

export interface RefreshResult {
  model_version: number;
  /** Current accounts given a probability. */
  accounts: number;
  /** Observations of the history given a probability (when asked). */
  history_rows: number;
  as_of: string | null;
}

/** Predicts every current score (or only `accounts`') with the model and stores probability and drivers. */
export async function refreshCurrentPredictions(
  db: Db,
  stored: { version: number; model: TrainedModel },
  opts: {
    accounts?: readonly string[];
    drivers?: number;
    /** Each account's probability before the scoring run that called for this (the run replaced its row). */
    before?: ReadonlyMap<string, number | null>;
  } = {},
): Promise<Omit<RefreshResult, "history_rows">> {
  const current = await currentFeatures(db, opts.accounts);
  if (current.accounts.length === 0) return { model_version: stored.version, accounts: 0, as_of: null };
  const matrix = matrixFromRecords(stored.model.feature_names, current.records);
  const probability = predict(stored.model, matrix);
  const drivers = explainRows(stored.model, matrix, opts.drivers ?? 5);
  const cells: Cell[][] = current.accounts.map((account, i) => {
    const before = opts.before?.get(account);
    return [
      account,
      String(probability[i]),
      JSON.stringify(toDrivers(drivers[i] ?? [])),
      before === undefined || before === null ? null : String(before),
    ];
  });
  const threshold = stored.model.flag?.threshold;
  // Numbers from the stored model, written inline (the bulk path takes no parameters).
  const t = threshold === undefined || !Number.isFinite(threshold) ? "NULL" : String(Number(threshold));
  const horizon = Math.trunc(Number(stored.model.horizon_days)) || 0;
  // A probability that rises across the model's flag threshold is announced
  // (account.flagged) in the same transaction that stores it.
  await withScoresLock(db, (tx) =>
    tx.withRows(
      ["account", "p", "drivers", "before"],
      cells,
      (src) =>
        `WITH upd AS (
           UPDATE current_scores c SET churn_probability = src.p::real, churn_drivers = src.drivers::jsonb
           FROM ${src}, current_scores o
           WHERE c.account = src.account AND o.account = c.account
           RETURNING c.account, coalesce(src.before::real, o.churn_probability) AS before, src.p::real AS after
         )
         INSERT INTO notify_events (type, account, subject, detail)
         SELECT 'account.flagged', account, account,
                jsonb_build_object('probability_before', round(before::numeric, 4), 'probability', round(after::numeric, 4),
                                   'threshold', ${t}::float8, 'horizon_days', ${horizon})
         FROM upd WHERE before < ${t}::float8 AND after >= ${t}::float8`,
    ),
  );
  const asOf = current.asOf.reduce((a, b) => (b > a ? b : a), "");
  return { model_version: stored.version, accounts: current.accounts.length, as_of: asOf || null };
}

/**
 * Stores the model's probability for every observation of `set` in
 * `score_history`: what the current model says of each month (in sample for
 * the rows it learned from; the honest, out-of-fold figures are in the report).
 */
export async function refreshHistoryPredictions(
  db: Db,
  model: TrainedModel,
  set: ObservationSet,
): Promise<number> {
  if (set.accounts.length === 0) return 0;
  const probability = predict(model, set.matrix);
  const cells: Cell[][] = set.accounts.map((account, i) => [
    account,
    set.dates[i] as string,
    String(probability[i]),
  ]);
  await withScoresLock(db, (tx) =>
    tx.withRows(
      ["account", "month", "p"],
      cells,
      (src) =>
        `UPDATE score_history h SET churn_probability = src.p::real
         FROM ${src} WHERE h.account = src.account AND h.month = src.month::date`,
    ),
  );
  return set.accounts.length;
}

/**
 * After a scoring run rewrote current scores: the stored model's predictions
 * for those accounts again (nothing when no model was trained yet).
 */
export async function refreshAfterScoring(
  db: Db,
  accounts?: readonly string[],
  before?: ReadonlyMap<string, number | null>,
): Promise<void> {
  const stored = await latestModel(db);
  if (stored)
    await refreshCurrentPredictions(db, stored, {
      ...(accounts ? { accounts } : {}),
      ...(before ? { before } : {}),
    });
}
