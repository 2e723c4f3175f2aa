import { applyCalibration, chooseCalibration } from "./calibrate.js";
import { countPositives, type FeatureMatrix, type Labels, selectRows, selectValues } from "./dataset.js";
import { rankingReport, rocAuc, thresholdForPrecision } from "./evaluate.js";
import { fitGbdt, type GbdtOptions } from "./gbdt.js";
import { gbdtMargins } from "./gbdt-trees.js";
import { fitLogistic, type LogisticOptions, predictLogistic, sigmoid } from "./logistic.js";
import {
  type Backtest,
  type CandidateBacktest,
  type FlagThreshold,
  MODEL_FORMAT,
  type ModelKind,
  type TrainedModel,
} from "./model.js";
import { chooseSplits, crossPredict, type OutOfFold, type SplitOptions } from "./splits.js";
import { applyTransform, fitTransform, type TransformOptions } from "./transform.js";

/**
 * Model selection: backtest every candidate learner on the same splits
 * (rolling origin, or group k-fold for short histories), keep the one with the
 * best out-of-sample AUC, calibrate it on its out-of-fold predictions, choose
 * a flag threshold for the wanted precision, and refit it on every row.
 */

/** The flag's default precision: four in ten flagged accounts churn within the horizon. */
export const DEFAULT_FLAG_PRECISION = 0.4;

export interface TrainingData {
  matrix: FeatureMatrix;
  labels: Labels;
  /** Row metadata: the account and observation date (ISO) of each row. */
  accounts: readonly string[];
  dates: readonly string[];
}

export interface TrainOptions {
  /** Label horizon in days (used to keep labels out of earlier training sets). Default 90. */
  horizonDays?: number;
  seed?: number;
  candidates?: readonly ModelKind[];
  logistic?: LogisticOptions;
  gbdt?: GbdtOptions;
  transform?: Pick<TransformOptions, "log">;
  splits?: Omit<SplitOptions, "horizonDays" | "seed">;
  /** Precision the flag threshold must reach on the backtest (0 < p < 1). Default DEFAULT_FLAG_PRECISION. */
  flagPrecision?: number;
}

export interface TrainResult {
  model: TrainedModel;
  /**
   * The chosen model's out-of-fold predictions (rows that a split tested):
   * raw, calibrated by the final calibration (what the flag applies to), and
   * `heldOut`: calibrated by a calibration that did not see the row's outcome
   * (what Brier score and calibration table are judged on).
   */
  outOfFold: { rows: Int32Array; raw: Float64Array; probability: Float64Array; heldOut: Float64Array };
}

type FitPredict = (train: FeatureMatrix, trainLabels: Labels, test: FeatureMatrix) => Float64Array;

function learner(kind: ModelKind, options: TrainOptions, seed: number): FitPredict {
  if (kind === "logistic") {
    return (train, y, test) => {
      const transform = fitTransform(train, options.transform);
      const params = fitLogistic(applyTransform(transform, train), y, options.logistic);
      return predictLogistic(params, applyTransform(transform, test));
    };
  }
  return (train, y, test) => gbdtMargins(fitGbdt(train, y, { seed, ...options.gbdt }), test).map(sigmoid);
}

function candidateReport(kind: ModelKind, oof: OutOfFold, labels: Labels, splitsTest: Int32Array[]) {
  const y = selectValues(labels, oof.tested);
  const p = selectValues(oof.predictions, oof.tested);
  const report = rankingReport({ risk: p, labels: y, probability: p });
  const candidate: CandidateBacktest = {
    kind,
    auc: report.auc,
    pr_auc: report.pr_auc,
    top_decile_lift: report.top_decile_lift,
    brier: report.brier,
    split_auc: oof.splits.map((s, i) => {
      const test = splitsTest[i] as Int32Array;
      const auc = s.skipped
        ? Number.NaN
        : rocAuc(selectValues(oof.predictions, test), selectValues(labels, test));
      return { name: s.name, auc: Number.isFinite(auc) ? auc : null };
    }),
  };
  return candidate;
}

function fitFinal(kind: ModelKind, data: TrainingData, options: TrainOptions, seed: number) {
  if (kind === "logistic") {
    const transform = fitTransform(data.matrix, options.transform);
    const params = fitLogistic(applyTransform(transform, data.matrix), data.labels, options.logistic);
    return { kind, transform, params } as const;
  }
  return {
    kind,
    transform: null,
    params: fitGbdt(data.matrix, data.labels, { seed, ...options.gbdt }),
  } as const;
}

/** Trains, backtests and calibrates a churn model. Pure and deterministic for `options.seed`. */
export function trainModel(data: TrainingData, options: TrainOptions = {}): TrainResult {
  const minPrecision = options.flagPrecision ?? DEFAULT_FLAG_PRECISION;
  if (!(minPrecision > 0 && minPrecision < 1))
    throw new RangeError(`flagPrecision must be between 0 and 1, got ${minPrecision}`);
  const horizonDays = options.horizonDays ?? 90;
  const seed = options.seed ?? 1;
  const candidates = options.candidates ?? (["logistic", "gbdt"] as const);
  const { matrix, labels } = data;
  const { method, splits } = chooseSplits(data, labels, { ...options.splits, horizonDays, seed });
  const runs = candidates.map((kind) => {
    const fitAndPredict = learner(kind, options, seed);
    const oof = crossPredict(splits, labels, (train, test) =>
      fitAndPredict(selectRows(matrix, train), selectValues(labels, train), selectRows(matrix, test)),
    );
    const report = candidateReport(
      kind,
      oof,
      labels,
      splits.map((s) => s.test),
    );
    return { kind, oof, report };
  });
  // Best out-of-sample AUC; the earlier candidate (the simpler model first) wins ties.
  let chosen = runs[0];
  for (const run of runs) if ((run.report.auc ?? -1) > (chosen?.report.auc ?? -1)) chosen = run;
  if (!chosen) throw new RangeError("no candidate model to train");
  const rows = chosen.oof.tested;
  const raw = selectValues(chosen.oof.predictions, rows);
  const y = selectValues(labels, rows);
  const calibrated = chooseCalibration(raw, y, seed);
  const probability = applyCalibration(calibrated.calibration, raw);
  const found = rows.length > 0 ? thresholdForPrecision(probability, y, minPrecision) : undefined;
  const flag: FlagThreshold | null = found ? { ...found, min_precision: minPrecision } : null;
  const backtest: Backtest = {
    method,
    splits: chosen.oof.splits,
    candidates: runs.map((r) => r.report),
    chosen: chosen.kind,
    calibration_brier: {
      platt: Number.isFinite(calibrated.brier.platt) ? calibrated.brier.platt : null,
      isotonic: calibrated.brier.isotonic,
    },
    report:
      rows.length > 0
        ? rankingReport({
            risk: probability,
            labels: y,
            probability: calibrated.heldOut,
            flag: flag ? probability.map((p) => (p >= flag.threshold ? 1 : 0)) : undefined,
          })
        : null,
  };
  const model: TrainedModel = {
    format: MODEL_FORMAT,
    ...fitFinal(chosen.kind, data, options, seed),
    feature_names: [...matrix.names],
    calibration: calibrated.calibration,
    flag,
    backtest,
    horizon_days: horizonDays,
    seed,
    training: { rows: matrix.rows, positives: countPositives(labels) },
  };
  return { model, outOfFold: { rows, raw, probability, heldOut: calibrated.heldOut } };
}
