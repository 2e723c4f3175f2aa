import { applyCalibration, type Calibration } from "./calibrate.js";
import { alignColumns, type FeatureMatrix, selectRows } from "./dataset.js";
import type { RankingReport } from "./evaluate.js";
import type { GbdtParams } from "./gbdt.js";
import { gbdtContributions, gbdtMargins } from "./gbdt-trees.js";
import { type LogisticParams, logisticMargins, sigmoid } from "./logistic.js";
import type { SplitMethod } from "./splits.js";
import { applyTransform, baseFeature, type Transform } from "./transform.js";

/**
 * A trained churn model as plain JSON (store it, read it back, predict with
 * it): the chosen learner's parameters, its feature transform, the
 * calibration, the flag threshold and the backtest that chose it. `predict`
 * and `explainRows` are pure functions of the stored model and a feature matrix.
 */

export type ModelKind = "logistic" | "gbdt";

export const MODEL_FORMAT = "keepwell.churn-model/1";

export interface CandidateBacktest {
  kind: ModelKind;
  /** Out-of-fold measures of the uncalibrated predictions, pooled over the splits. */
  auc: number | null;
  pr_auc: number | null;
  top_decile_lift: number | null;
  brier: number | null;
  /** AUC within each split that was run. */
  split_auc: { name: string; auc: number | null }[];
}

export interface Backtest {
  method: SplitMethod;
  splits: { name: string; train_rows: number; test_rows: number; skipped: boolean }[];
  candidates: CandidateBacktest[];
  chosen: ModelKind;
  /** Held-out Brier of each calibration method (2-fold over the out-of-fold predictions). */
  calibration_brier: { platt: number | null; isotonic: number | null };
  /** The chosen model's calibrated out-of-fold predictions, with the flag at `flag.threshold`. */
  report: RankingReport | null;
}

export interface FlagThreshold {
  /** Flag an observation when its calibrated probability is at least this. */
  threshold: number;
  /** The precision asked for and what the backtest gave at the threshold. */
  min_precision: number;
  precision: number;
  recall: number;
}

interface ModelCommon {
  format: typeof MODEL_FORMAT;
  /** The input features, in the order the model reads them (matched by name). */
  feature_names: string[];
  calibration: Calibration;
  flag: FlagThreshold | null;
  backtest: Backtest;
  horizon_days: number;
  seed: number;
  training: { rows: number; positives: number };
}

/** A learner fitted on every row: its kind, transform and parameters. */
export type FittedLearner =
  | { kind: "logistic"; transform: Transform; params: LogisticParams }
  | { kind: "gbdt"; transform: null; params: GbdtParams };

export type TrainedModel = ModelCommon & FittedLearner;

/** Uncalibrated log-odds of churn for every row. */
export function modelMargins(model: TrainedModel, matrix: FeatureMatrix): Float64Array {
  if (model.kind === "logistic")
    return logisticMargins(model.params, applyTransform(model.transform, matrix));
  return gbdtMargins(model.params, matrix);
}

/** Calibrated churn probabilities (within the model's horizon) for every row. */
export function predict(model: TrainedModel, matrix: FeatureMatrix): Float64Array {
  return applyCalibration(model.calibration, modelMargins(model, matrix).map(sigmoid));
}

export interface Contribution {
  feature: string;
  /** Change in log-odds credited to the feature (positive raises the churn risk). */
  contribution: number;
  /** The row's raw value of the feature; null when missing. */
  value: number | null;
}

/**
 * The `k` features contributing most (by absolute value) to each row's
 * prediction, in log-odds before calibration. Logistic: coefficient ×
 * transformed value (relative to the training mean), the missing indicator
 * folded into its feature. Trees: Saabas path attribution.
 */
export function explainRows(model: TrainedModel, matrix: FeatureMatrix, k = 5): Contribution[][] {
  const names = model.feature_names;
  const raw = alignColumns(matrix, names);
  const index = new Map(names.map((name, j) => [name, j]));
  const out: Contribution[][] = [];
  const transformed = model.kind === "logistic" ? applyTransform(model.transform, matrix) : undefined;
  const columns = transformed ? alignColumns(transformed, model.params.names) : [];
  const target =
    model.kind === "logistic" ? model.params.names.map((n) => index.get(baseFeature(n)) ?? -1) : [];
  for (let row = 0; row < matrix.rows; row++) {
    let contributions: Float64Array;
    if (model.kind === "logistic") {
      contributions = new Float64Array(names.length);
      model.params.coefficients.forEach((c, j) => {
        const t = target[j] as number;
        if (t >= 0)
          contributions[t] = (contributions[t] as number) + c * ((columns[j] as Float64Array)[row] as number);
      });
    } else {
      contributions = gbdtContributions(model.params, matrix, row).contributions;
    }
    out.push(topContributions(names, contributions, raw, row, k));
  }
  return out;
}

/** The top `k` contributions of one row of `matrix`. */
export function explain(model: TrainedModel, matrix: FeatureMatrix, row: number, k = 5): Contribution[] {
  return explainRows(model, selectRows(matrix, [row]), k)[0] ?? [];
}

function topContributions(
  names: readonly string[],
  contributions: Float64Array,
  raw: readonly Float64Array[],
  row: number,
  k: number,
): Contribution[] {
  const order = names
    .map((_, j) => j)
    .filter((j) => (contributions[j] as number) !== 0)
    .sort(
      (a, b) =>
        Math.abs(contributions[b] as number) - Math.abs(contributions[a] as number) ||
        ((names[a] as string) < (names[b] as string) ? -1 : 1),
    );
  return order.slice(0, k).map((j) => {
    const value = (raw[j] as Float64Array)[row] as number;
    return {
      feature: names[j] as string,
      contribution: contributions[j] as number,
      value: Number.isFinite(value) ? value : null,
    };
  });
}
