import type { Labels } from "./dataset.js";

/**
 * How good a ranking or a probability is, on labelled observations: ROC AUC,
 * PR AUC (average precision), top-decile lift, Brier score, a calibration
 * table, and precision/recall of a yes/no flag. Scores rank by risk: higher =
 * more likely to churn (pass 100 − health score for a scorecard). Functions
 * return NaN when a measure is undefined (e.g. no positives); `rankingReport`
 * turns NaN into null so the report is plain JSON.
 */

/** Groups of tied scores in descending order: [start, end) positions into `order`. */
function descendingGroups(scores: ArrayLike<number>): { order: Int32Array; groups: [number, number][] } {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i).sort(
    (i, j) => (scores[j] as number) - (scores[i] as number) || i - j,
  );
  const groups: [number, number][] = [];
  for (let k = 0; k < order.length; ) {
    const s = scores[order[k] as number];
    let end = k + 1;
    while (end < order.length && scores[order[end] as number] === s) end++;
    groups.push([k, end]);
    k = end;
  }
  return { order, groups };
}

function positivesIn(order: Int32Array, labels: Labels, start: number, end: number): number {
  let count = 0;
  for (let k = start; k < end; k++) count += labels[order[k] as number] as number;
  return count;
}

/**
 * ROC AUC by the rank-sum (Mann–Whitney) formula, tied scores taking their
 * average rank: the chance a random churner outranks a random non-churner,
 * ties counting half.
 */
export function rocAuc(scores: ArrayLike<number>, labels: Labels): number {
  const n = scores.length;
  const { order, groups } = descendingGroups(scores);
  let positives = 0;
  let rankSum = 0;
  for (const [start, end] of groups) {
    // Descending position k has ascending rank n − k; a tie group shares the mean rank.
    const meanRank = n - (start + end - 1) / 2;
    const p = positivesIn(order, labels, start, end);
    positives += p;
    rankSum += p * meanRank;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision (the area under the precision–recall curve, step-wise):
 * Σ over distinct score thresholds, high to low, of (recall gained) × (precision
 * at that threshold). Tied scores form one threshold.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: Labels): number {
  const { order, groups } = descendingGroups(scores);
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += labels[i] as number;
  if (total === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (const [start, end] of groups) {
    const p = positivesIn(order, labels, start, end);
    tp += p;
    seen += end - start;
    if (p > 0) ap += (p / total) * (tp / seen);
  }
  return ap;
}

/**
 * Lift of the top `fraction` (default 10%) by score: the churn rate among the
 * ⌈n × fraction⌉ highest-scored observations over the overall rate. A tie group
 * straddling the cut counts its positives pro rata (as if ties were broken at random).
 */
export function topLift(scores: ArrayLike<number>, labels: Labels, fraction = 0.1): number {
  const n = scores.length;
  const k = Math.ceil(n * fraction);
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] as number;
  if (k === 0 || total === 0) return Number.NaN;
  const { order, groups } = descendingGroups(scores);
  let taken = 0;
  let hits = 0;
  for (const [start, end] of groups) {
    if (taken >= k) break;
    const size = end - start;
    const share = Math.min(size, k - taken) / size;
    hits += share * positivesIn(order, labels, start, end);
    taken += Math.min(size, k - taken);
  }
  return hits / k / (total / n);
}

/** Mean squared difference between probability and outcome. */
export function brierScore(probabilities: ArrayLike<number>, labels: Labels): number {
  const n = probabilities.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += ((probabilities[i] as number) - (labels[i] as number)) ** 2;
  return sum / n;
}

export interface CalibrationBin {
  /** [from, to): the last bin includes 1. */
  from: number;
  to: number;
  count: number;
  /** Null when the bin is empty. */
  mean_predicted: number | null;
  observed_rate: number | null;
}

/** Equal-width probability bins (default 10): mean predicted vs observed churn rate. */
export function calibrationTable(
  probabilities: ArrayLike<number>,
  labels: Labels,
  bins = 10,
): CalibrationBin[] {
  const sums = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const counts = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    sums[b] = (sums[b] as number) + p;
    hits[b] = (hits[b] as number) + (labels[i] as number);
    counts[b] = (counts[b] as number) + 1;
  }
  return Array.from({ length: bins }, (_, b) => {
    const count = counts[b] as number;
    return {
      from: b / bins,
      to: (b + 1) / bins,
      count,
      mean_predicted: count > 0 ? (sums[b] as number) / count : null,
      observed_rate: count > 0 ? (hits[b] as number) / count : null,
    };
  });
}

export interface FlagQuality {
  flagged: number;
  true_positives: number;
  positives: number;
  /** Of the flagged observations, the share that churned (null when none flagged). */
  precision: number | null;
  /** Of the observations that churned, the share flagged (null when none churned). */
  recall: number | null;
}

/** Precision and recall of a yes/no flag against the labels. */
export function flagQuality(flags: ArrayLike<boolean | number>, labels: Labels): FlagQuality {
  let flagged = 0;
  let tp = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const f = flags[i] ? 1 : 0;
    const y = labels[i] as number;
    flagged += f;
    positives += y;
    tp += f & y;
  }
  return {
    flagged,
    true_positives: tp,
    positives,
    precision: flagged > 0 ? tp / flagged : null,
    recall: positives > 0 ? tp / positives : null,
  };
}

/**
 * The flag threshold with the highest recall whose precision is at least
 * `minPrecision` (flag = score ≥ threshold); undefined when no threshold reaches it.
 */
export function thresholdForPrecision(
  scores: ArrayLike<number>,
  labels: Labels,
  minPrecision: number,
): { threshold: number; precision: number; recall: number } | undefined {
  const { order, groups } = descendingGroups(scores);
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += labels[i] as number;
  if (total === 0) return undefined;
  let tp = 0;
  let best: { threshold: number; precision: number; recall: number } | undefined;
  for (const [start, end] of groups) {
    tp += positivesIn(order, labels, start, end);
    const precision = tp / end;
    if (precision >= minPrecision) {
      best = { threshold: scores[order[start] as number] as number, precision, recall: tp / total };
    }
  }
  return best;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export interface RankingReport {
  rows: number;
  positives: number;
  auc: number | null;
  pr_auc: number | null;
  top_decile_lift: number | null;
  /** Only when probabilities were given. */
  brier: number | null;
  calibration: CalibrationBin[] | null;
  /** Only when a flag was given. */
  flag: FlagQuality | null;
}

/** Every measure at once: `risk` ranks; `probability` (optional) for Brier and calibration; `flag` (optional). */
export function rankingReport(input: {
  risk: ArrayLike<number>;
  labels: Labels;
  probability?: ArrayLike<number>;
  flag?: ArrayLike<boolean | number>;
}): RankingReport {
  const { risk, labels, probability, flag } = input;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number;
  return {
    rows: labels.length,
    positives,
    auc: finite(rocAuc(risk, labels)),
    pr_auc: finite(averagePrecision(risk, labels)),
    top_decile_lift: finite(topLift(risk, labels, 0.1)),
    brier: probability ? finite(brierScore(probability, labels)) : null,
    calibration: probability ? calibrationTable(probability, labels) : null,
    flag: flag ? flagQuality(flag, labels) : null,
  };
}
