import { type FeatureMatrix, type Labels, selectRows, selectValues } from "./dataset.js";
import { fitGbdt, type GbdtOptions } from "./gbdt.js";
import { gbdtMargins } from "./gbdt-trees.js";
import { fitLogistic, type LogisticOptions, predictLogistic, sigmoid } from "./logistic.js";
import type { FittedLearner, ModelKind } from "./model.js";
import { applyTransform, fitTransform, type TransformOptions } from "./transform.js";

/**
 * The unit of training work: fit one learner on some rows and predict others
 * (one backtest split), or fit it on every row (the final model). Pure and
 * deterministic for the seed, so it gives the same numbers in whichever
 * thread runs it (see worker-pool.ts).
 */

/** What the learners are told (plain data: it crosses to worker threads). */
export interface LearnerOptions {
  logistic?: LogisticOptions;
  gbdt?: GbdtOptions;
  transform?: Pick<TransformOptions, "log">;
}

export type FitJob =
  | { type: "backtest"; kind: ModelKind; train: Int32Array; test: Int32Array }
  | { type: "final"; kind: ModelKind };

export type FinalFit = FittedLearner;

/** Fits `kind` on the `train` rows and returns its (uncalibrated) probabilities for the `test` rows. */
export function fitAndPredict(
  kind: ModelKind,
  data: { matrix: FeatureMatrix; labels: Labels },
  train: Int32Array,
  test: Int32Array,
  options: LearnerOptions,
  seed: number,
): Float64Array {
  const x = selectRows(data.matrix, train);
  const y = selectValues(data.labels, train);
  const target = selectRows(data.matrix, test);
  if (kind === "logistic") {
    const transform = fitTransform(x, options.transform);
    const params = fitLogistic(applyTransform(transform, x), y, options.logistic);
    return predictLogistic(params, applyTransform(transform, target));
  }
  return gbdtMargins(fitGbdt(x, y, { seed, ...options.gbdt }), target).map(sigmoid);
}

/** Fits `kind` on every row. */
export function fitFinal(
  kind: ModelKind,
  data: { matrix: FeatureMatrix; labels: Labels },
  options: LearnerOptions,
  seed: number,
): FinalFit {
  if (kind === "logistic") {
    const transform = fitTransform(data.matrix, options.transform);
    const params = fitLogistic(applyTransform(transform, data.matrix), data.labels, options.logistic);
    return { kind, transform, params };
  }
  return { kind, transform: null, params: fitGbdt(data.matrix, data.labels, { seed, ...options.gbdt }) };
}

export function runFitJob(
  job: FitJob,
  data: { matrix: FeatureMatrix; labels: Labels },
  options: LearnerOptions,
  seed: number,
): Float64Array | FinalFit {
  return job.type === "final"
    ? fitFinal(job.kind, data, options, seed)
    : fitAndPredict(job.kind, data, job.train, job.test, options, seed);
}
