import { percentileRanks, type Scorecard, scalePoints } from "../domain/index.js";
import type { FeatureMatrix } from "./dataset.js";
import type { ObservationSet } from "./observations.js";

/**
 * The points each scorecard measure gave each observation — what a scorecard
 * adds up — for learning weights on them (recommend.ts), and the percentile
 * ranks that percentile-scaled measures are scored on (report.ts).
 */

/**
 * Ranks already worked out, per observation set (keyed by its metrics array,
 * which a loaded set never changes): `recommend` scores the same set with a
 * dozen weightings, and a rank does not depend on the weights.
 */
const rankCache = new WeakMap<object, Map<string, Map<number, number>>>();

/** Percentile rank of each observation's value of each metric among the observations of the same date. */
export function percentilesByDate(
  set: Pick<ObservationSet, "dates" | "segments" | "metrics">,
  metrics: readonly string[],
): Map<string, Map<number, number>> {
  const ranks = new Map<string, Map<number, number>>();
  if (metrics.length === 0) return ranks;
  let cached = rankCache.get(set.metrics);
  if (!cached) {
    cached = new Map();
    rankCache.set(set.metrics, cached);
  }
  const missing = [...new Set(metrics)].filter((m) => !cached.has(m));
  if (missing.length > 0) {
    const byDate = new Map<string, number[]>();
    set.dates.forEach((d, i) => {
      const list = byDate.get(d) ?? [];
      if (list.length === 0) byDate.set(d, list);
      list.push(i);
    });
    for (const metric of missing) {
      const all = new Map<number, number>();
      for (const rows of byDate.values()) {
        const r = percentileRanks(
          rows.map((i) => ({ account: i, segment: set.segments[i], value: set.metrics[i]?.[metric] })),
        );
        for (const [i, rank] of r) all.set(i, rank);
      }
      cached.set(metric, all);
    }
  }
  for (const metric of metrics) ranks.set(metric, cached.get(metric) as Map<number, number>);
  return ranks;
}

/** The metrics a scorecard scores by percentile. */
export function percentileMetrics(scorecard: Scorecard): string[] {
  return scorecard.categories.flatMap((c) =>
    c.measures.filter((m) => m.scale.type === "percentile").map((m) => m.metric),
  );
}

/** A measure's column name: `<category>.<metric>`. */
export const measureKey = (category: string, metric: string): string => `${category}.${metric}`;

export interface PointsMatrix extends FeatureMatrix {
  /** Per column, the share of rows where the measure had data. */
  present: number[];
}

/**
 * The measures' points for `rows` (indices into the set), as points / 100 (0–1),
 * one column per measure (`measureKey`), in the scorecard's order. A measure
 * without data takes the mean of its category's measures with data in that row
 * — as the scorecard shares a missing measure's weight among the rest of its
 * category — or, when the category has none, the measure's mean over the rows.
 */
export function measurePoints(
  set: Pick<ObservationSet, "dates" | "segments" | "metrics">,
  scorecard: Scorecard,
  rows: ArrayLike<number>,
): PointsMatrix {
  const ranks = percentilesByDate(set, percentileMetrics(scorecard));
  const n = rows.length;
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const groups: number[][] = [];
  for (const category of scorecard.categories) {
    const group: number[] = [];
    for (const measure of category.measures) {
      const column = new Float64Array(n).fill(Number.NaN);
      for (let k = 0; k < n; k++) {
        const i = rows[k] as number;
        const raw = set.metrics[i]?.[measure.metric];
        const points = scalePoints(measure.scale, {
          raw: typeof raw === "number" && Number.isFinite(raw) ? raw : null,
          percentile: ranks.get(measure.metric)?.get(i) ?? null,
        });
        if (points !== null) column[k] = points / 100;
      }
      group.push(columns.length);
      names.push(measureKey(category.key, measure.metric));
      columns.push(column);
    }
    groups.push(group);
  }
  const present = columns.map((c) => c.reduce((s, v) => s + (Number.isNaN(v) ? 0 : 1), 0) / Math.max(1, n));
  const means = columns.map((c) => {
    let sum = 0;
    let count = 0;
    for (const v of c)
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    return count > 0 ? sum / count : 0.5;
  });
  for (const group of groups) {
    for (let k = 0; k < n; k++) {
      let sum = 0;
      let count = 0;
      for (const j of group) {
        const v = (columns[j] as Float64Array)[k] as number;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
        }
      }
      for (const j of group) {
        const column = columns[j] as Float64Array;
        if (Number.isNaN(column[k] as number)) column[k] = count > 0 ? sum / count : (means[j] as number);
      }
    }
  }
  return { names, columns, rows: n, present };
}
