import { countPositives, dayDate, dayNumber, type Labels, type Observations } from "./dataset.js";
import { seededRandom, shuffleInPlace } from "./random.js";

/**
 * Backtest splits. Rolling origin (time): for each cut date D, train on
 * observations whose label was already known at D and test on observations
 * from D on. Stratified group k-fold (accounts): for short histories, every
 * observation of an account in one fold, folds balanced on whether the
 * account ever churns. `crossPredict` runs a model over the splits and
 * gathers out-of-fold predictions.
 */

export interface Split {
  /** "2025-03-01" (the cut date) or "fold 2". */
  name: string;
  train: Int32Array;
  test: Int32Array;
}

export type SplitMethod = "rolling_origin" | "group_kfold";

export interface RollingOriginOptions {
  horizonDays: number;
  /** The first cut is the `minDates`-th distinct observation date. Default 6. */
  minDates?: number;
  /** At most this many cuts, evenly spaced over the candidates (the first and last kept). Default 8. */
  maxSplits?: number;
  /** Test window length; by default each window runs to the next cut (the last one to the end). */
  stepDays?: number;
}

/**
 * Cut at D: train = observations dated strictly before D − horizon (their
 * labels — churn within the horizon after the observation — were known by D);
 * test = observations dated in [D, next cut) (or [D, D + stepDays)). Splits with
 * an empty train or test set are left out.
 */
export function rollingOriginSplits(dates: readonly string[], options: RollingOriginOptions): Split[] {
  const days = Int32Array.from(dates, dayNumber);
  const distinct = [...new Set(days)].sort((a, b) => a - b);
  let cuts = distinct.slice(Math.max(0, (options.minDates ?? 6) - 1));
  const maxSplits = Math.max(1, options.maxSplits ?? 8);
  if (cuts.length > maxSplits) {
    const all = cuts;
    const picks = new Set(
      Array.from({ length: maxSplits }, (_, i) =>
        maxSplits === 1 ? all.length - 1 : Math.round((i * (all.length - 1)) / (maxSplits - 1)),
      ),
    );
    cuts = [...picks].map((i) => all[i] as number);
  }
  const splits: Split[] = [];
  cuts.forEach((cut, c) => {
    const end =
      options.stepDays !== undefined ? cut + options.stepDays : (cuts[c + 1] ?? Number.POSITIVE_INFINITY);
    const known = cut - options.horizonDays;
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < days.length; i++) {
      const d = days[i] as number;
      if (d < known) train.push(i);
      else if (d >= cut && d < end) test.push(i);
    }
    if (train.length > 0 && test.length > 0) {
      splits.push({ name: dayDate(cut), train: Int32Array.from(train), test: Int32Array.from(test) });
    }
  });
  return splits;
}

/**
 * Stratified group k-fold: accounts (sorted, then shuffled with the seed) are
 * dealt round-robin into `folds` folds, churning accounts (any positive label)
 * first and the rest continuing the rotation, so each fold gets its share of
 * both. Every observation of an account lands in the same fold.
 */
export function groupKFold(
  accounts: readonly string[],
  labels: Labels,
  options: { folds?: number; seed?: number } = {},
): Split[] {
  const folds = Math.max(2, options.folds ?? 5);
  const churns = new Map<string, boolean>();
  accounts.forEach((a, i) => {
    churns.set(a, (churns.get(a) ?? false) || labels[i] === 1);
  });
  const ids = [...churns.keys()].sort();
  const random = seededRandom(options.seed ?? 1, 17);
  const churners = shuffleInPlace(
    ids.filter((a) => churns.get(a)),
    random,
  );
  const others = shuffleInPlace(
    ids.filter((a) => !churns.get(a)),
    random,
  );
  const foldOf = new Map<string, number>();
  [...churners, ...others].forEach((a, k) => {
    foldOf.set(a, k % folds);
  });
  return Array.from({ length: folds }, (_, f) => {
    const train: number[] = [];
    const test: number[] = [];
    accounts.forEach((a, i) => {
      (foldOf.get(a) === f ? test : train).push(i);
    });
    return { name: `fold ${f + 1}`, train: Int32Array.from(train), test: Int32Array.from(test) };
  }).filter((s) => s.train.length > 0 && s.test.length > 0);
}

export interface SplitOptions extends RollingOriginOptions {
  folds?: number;
  seed?: number;
}

/**
 * Rolling origin when the history has at least `minDates` (6) distinct
 * observation dates and that yields a split whose training rows hold both
 * outcomes; stratified group k-fold otherwise.
 */
export function chooseSplits(
  observations: Observations,
  labels: Labels,
  options: SplitOptions,
): { method: SplitMethod; splits: Split[] } {
  const distinct = new Set(observations.dates).size;
  if (distinct >= (options.minDates ?? 6)) {
    const splits = rollingOriginSplits(observations.dates, options).filter((s) => {
      const p = countPositives(labels, s.train);
      return p > 0 && p < s.train.length;
    });
    if (splits.length > 0) return { method: "rolling_origin", splits };
  }
  return { method: "group_kfold", splits: groupKFold(observations.accounts, labels, options) };
}

export interface OutOfFold {
  /** One per observation; NaN for observations no split tested. */
  predictions: Float64Array;
  /** Indices of the tested observations, ascending. */
  tested: Int32Array;
  splits: { name: string; train_rows: number; test_rows: number; skipped: boolean }[];
}

/** A split that cannot be trained on: its training rows hold only one outcome. */
export function isSkipped(split: Split, labels: Labels): boolean {
  const p = countPositives(labels, split.train);
  return p === 0 || p === split.train.length;
}

/**
 * Out-of-fold predictions from each split's predictions for its test rows
 * (`outputs[i]` for `splits[i]`; undefined for a skipped split). When test
 * sets overlap, the later split's prediction wins (the default splits' test
 * sets do not overlap).
 */
export function gatherOutOfFold(
  splits: readonly Split[],
  labels: Labels,
  outputs: readonly (Float64Array | undefined)[],
): OutOfFold {
  const predictions = new Float64Array(labels.length).fill(Number.NaN);
  const report: OutOfFold["splits"] = splits.map((split, i) => {
    const out = outputs[i];
    if (out)
      split.test.forEach((row, k) => {
        predictions[row] = out[k] as number;
      });
    return {
      name: split.name,
      train_rows: split.train.length,
      test_rows: split.test.length,
      skipped: isSkipped(split, labels),
    };
  });
  const tested: number[] = [];
  predictions.forEach((p, i) => {
    if (!Number.isNaN(p)) tested.push(i);
  });
  return { predictions, tested: Int32Array.from(tested), splits: report };
}

/** Fits on each split's training rows and predicts its test rows (skipped splits are left out). */
export function crossPredict(
  splits: readonly Split[],
  labels: Labels,
  fitPredict: (train: Int32Array, test: Int32Array) => Float64Array,
): OutOfFold {
  return gatherOutOfFold(
    splits,
    labels,
    splits.map((s) => (isSkipped(s, labels) ? undefined : fitPredict(s.train, s.test))),
  );
}
