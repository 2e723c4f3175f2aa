import { applyCalibration, chooseCalibration } from "./calibrate.js";
import { countPositives, type FeatureMatrix, type Labels, selectValues } from "./dataset.js";
import { rankingReport, rocAuc, thresholdForPrecision } from "./evaluate.js";
import { type FinalFit, type FitJob, fitAndPredict, fitFinal, type LearnerOptions } from "./fit-job.js";
import {
  type Backtest,
  type CandidateBacktest,
  type FlagThreshold,
  MODEL_FORMAT,
  type ModelKind,
  type TrainedModel,
} from "./model.js";
import {
  chooseSplits,
  crossPredict,
  gatherOutOfFold,
  isSkipped,
  type OutOfFold,
  type Split,
  type SplitOptions,
} from "./splits.js";
import { runFitJobsInWorkers, trainingThreads } from "./worker-pool.js";

/**
 * Model selection: backtest every candidate learner on the same splits
 * (rolling origin, or group k-fold for short histories), keep the one with the
 * best out-of-sample AUC, calibrate it on its out-of-fold predictions, choose
 * a flag threshold for the wanted precision, and refit it on every row.
 * `trainModel` does it on the calling thread; `trainModelInParallel` runs the
 * same fits on worker threads (every split of every candidate, and the final
 * fit of each, at once) and gives the same model.
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

export interface TrainOptions extends LearnerOptions {
  /** Label horizon in days (used to keep labels out of earlier training sets). Default 90. */
  horizonDays?: number;
  seed?: number;
  candidates?: readonly ModelKind[];
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

interface Plan {
  minPrecision: number;
  horizonDays: number;
  seed: number;
  candidates: readonly ModelKind[];
  method: Backtest["method"];
  splits: Split[];
}

function plan(data: TrainingData, options: TrainOptions): Plan {
  const minPrecision = options.flagPrecision ?? DEFAULT_FLAG_PRECISION;
  if (!(minPrecision > 0 && minPrecision < 1))
    throw new RangeError(`flagPrecision must be between 0 and 1, got ${minPrecision}`);
  const horizonDays = options.horizonDays ?? 90;
  const seed = options.seed ?? 1;
  const candidates = options.candidates ?? (["logistic", "gbdt"] as const);
  if (candidates.length === 0) throw new RangeError("no candidate model to train");
  const { method, splits } = chooseSplits(data, data.labels, { ...options.splits, horizonDays, seed });
  return { minPrecision, horizonDays, seed, candidates, method, splits };
}

/** Picks the candidate, calibrates it and assembles the model, given each candidate's out-of-fold predictions. */
function finish(
  data: TrainingData,
  p: Plan,
  oofs: readonly OutOfFold[],
  final: (kind: ModelKind) => FinalFit,
): TrainResult {
  const { matrix, labels } = data;
  const runs = p.candidates.map((kind, i) => {
    const oof = oofs[i] as OutOfFold;
    const report = candidateReport(
      kind,
      oof,
      labels,
      p.splits.map((s) => s.test),
    );
    return { kind, oof, report };
  });
  // Best out-of-sample AUC; the earlier candidate (the simpler model first) wins ties.
  let chosen = runs[0] as (typeof runs)[number];
  for (const run of runs) if ((run.report.auc ?? -1) > (chosen.report.auc ?? -1)) chosen = run;
  const rows = chosen.oof.tested;
  const raw = selectValues(chosen.oof.predictions, rows);
  const y = selectValues(labels, rows);
  const calibrated = chooseCalibration(raw, y, p.seed);
  const probability = applyCalibration(calibrated.calibration, raw);
  const found = rows.length > 0 ? thresholdForPrecision(probability, y, p.minPrecision) : undefined;
  const flag: FlagThreshold | null = found ? { ...found, min_precision: p.minPrecision } : null;
  const backtest: Backtest = {
    method: p.method,
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
            flag: flag ? probability.map((q) => (q >= flag.threshold ? 1 : 0)) : undefined,
          })
        : null,
  };
  const model: TrainedModel = {
    format: MODEL_FORMAT,
    ...final(chosen.kind),
    feature_names: [...matrix.names],
    calibration: calibrated.calibration,
    flag,
    backtest,
    horizon_days: p.horizonDays,
    seed: p.seed,
    training: { rows: matrix.rows, positives: countPositives(labels) },
  };
  return { model, outOfFold: { rows, raw, probability, heldOut: calibrated.heldOut } };
}

/** Trains, backtests and calibrates a churn model on the calling thread. Pure and deterministic for `options.seed`. */
export function trainModel(data: TrainingData, options: TrainOptions = {}): TrainResult {
  const p = plan(data, options);
  const oofs = p.candidates.map((kind) =>
    crossPredict(p.splits, data.labels, (train, test) =>
      fitAndPredict(kind, data, train, test, options, p.seed),
    ),
  );
  return finish(data, p, oofs, (kind) => fitFinal(kind, data, options, p.seed));
}

/** Below this many cells (rows × features) starting threads costs more than it saves. */
export const PARALLEL_MIN_CELLS = 1_000_000;

/**
 * The same model as `trainModel`, its fits spread over `threads` worker
 * threads (default: the cores, at most four). With one thread, or less data
 * than PARALLEL_MIN_CELLS unless `threads` is given, it trains on the calling thread.
 */
export async function trainModelInParallel(
  data: TrainingData,
  options: TrainOptions = {},
  threads?: number,
): Promise<TrainResult> {
  const count = threads ?? trainingThreads();
  const small = threads === undefined && data.matrix.rows * data.matrix.names.length < PARALLEL_MIN_CELLS;
  if (count <= 1 || small) return trainModel(data, options);
  const p = plan(data, options);
  const jobs: FitJob[] = [];
  const slots = p.candidates.map((kind) =>
    p.splits.map((split) => {
      if (isSkipped(split, data.labels)) return -1;
      jobs.push({ type: "backtest", kind, train: split.train, test: split.test });
      return jobs.length - 1;
    }),
  );
  const finals = p.candidates.map((kind) => {
    jobs.push({ type: "final", kind });
    return jobs.length - 1;
  });
  const learner: LearnerOptions = {
    logistic: options.logistic,
    gbdt: options.gbdt,
    transform: options.transform,
  };
  const results = await runFitJobsInWorkers(data, jobs, learner, p.seed, count);
  const oofs = slots.map((ids) =>
    gatherOutOfFold(
      p.splits,
      data.labels,
      ids.map((id) => (id < 0 ? undefined : (results[id] as Float64Array))),
    ),
  );
  return finish(data, p, oofs, (kind) => results[finals[p.candidates.indexOf(kind)] as number] as FinalFit);
}
