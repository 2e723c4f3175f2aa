import { metricLabel, signalLabel } from "../domain/index.js";
import type { Cell, Db } from "../store/index.js";
import { matrixFromRecords } from "./dataset.js";
import { type Contribution, explainRows, predict, type TrainedModel } from "./model.js";
import { latestModel } from "./model-store.js";
import { CATEGORY_PREFIX, featureRecord, type ObservationSet, SIGNAL_PREFIX } from "./observations.js";
import { currentMedians, RELATIVE_SUFFIX, withRelative } from "./relative.js";
import { categoryScoresSql, signalNamesSql } from "./snapshot-sql.js";

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

/** The label people see for a feature: a metric's label, "<category> score", the signal's label, or one of those "against the portfolio median". */
export function featureLabel(feature: string): string {
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
  opts: { accounts?: readonly string[]; drivers?: number } = {},
): Promise<Omit<RefreshResult, "history_rows">> {
  const rows = await db.query<{
    account: string;
    metrics: Record<string, unknown>;
    categories: Record<string, unknown>;
    signals: string[];
    as_of: string;
  }>(
    `SELECT account, metrics, ${categoryScoresSql("categories")} AS categories,
            ${signalNamesSql("signals")} AS signals, as_of FROM current_scores
     WHERE $1::text[] IS NULL OR account = ANY($1::text[]) ORDER BY account`,
    [opts.accounts ? [...opts.accounts] : null],
  );
  if (rows.length === 0) return { model_version: stored.version, accounts: 0, as_of: null };
  // Raw values kept beside the relative ones: a model trained before they existed still finds its features.
  const medians = await currentMedians(db);
  const matrix = matrixFromRecords(
    stored.model.feature_names,
    rows.map((r) => withRelative(featureRecord(r.metrics, r.categories, r.signals), medians, true)),
  );
  const probability = predict(stored.model, matrix);
  const drivers = explainRows(stored.model, matrix, opts.drivers ?? 5);
  const cells: Cell[][] = rows.map((r, i) => [
    r.account,
    String(probability[i]),
    JSON.stringify(toDrivers(drivers[i] ?? [])),
  ]);
  await db.transaction((tx) =>
    tx.withRows(
      ["account", "p", "drivers"],
      cells,
      (src) =>
        `UPDATE current_scores c SET churn_probability = src.p::real, churn_drivers = src.drivers::jsonb
         FROM ${src} WHERE c.account = src.account`,
    ),
  );
  let asOf = "";
  for (const r of rows) {
    const t = new Date(r.as_of).toISOString();
    if (t > asOf) asOf = t;
  }
  return { model_version: stored.version, accounts: rows.length, as_of: asOf || null };
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
  await db.transaction((tx) =>
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
export async function refreshAfterScoring(db: Db, accounts?: readonly string[]): Promise<void> {
  const stored = await latestModel(db);
  if (stored) await refreshCurrentPredictions(db, stored, accounts ? { accounts } : {});
}
