import type { Measure, Scale, Scorecard } from "../domain/scorecard-schema.js";
import type { Labels } from "./dataset.js";
import { fitLogistic, type LogisticOptions } from "./logistic.js";
import { measureKey, type PointsMatrix } from "./measure-points.js";

/**
 * Proposed scorecard weights, learned on the scorecard's own terms: a
 * scorecard adds up its measures' points, so a logistic model is fitted on
 * those points (measure-points.ts) against churn within the horizon, and a
 * measure's weight follows how much its points lower churn. A measure whose
 * points go with more churn once the others are counted (one of two measures
 * that say the same thing, say) is taken out and the rest refitted, until
 * every measure left lowers churn; those taken out, and measures without
 * data, keep a small floor (a share of the largest importance). Category
 * weights ∝ the sum of their measures' importance; measure weights are shares
 * of their category, so a measure's weight in the whole score ∝ its
 * importance. Both are whole numbers: categories sum to 100, and each
 * category's measures sum to 100.
 */

export interface RecommendOptions {
  /** A measure's floor, as a share of the largest measure importance. Default 0.05. */
  floor?: number;
}

export type MeasureDirection = "higher_is_better" | "lower_is_better";

export interface MeasureReason {
  category: string;
  metric: string;
  direction: MeasureDirection;
  /**
   * Change in churn log-odds for 10 more points of the measure, the others
   * held (negative: more points, less churn); for a measure taken out, its
   * coefficient when it was; null when the measure had no data.
   */
  coefficient: number | null;
  agrees: boolean;
  importance: number;
  current_weight: number;
  proposed_weight: number;
  reason: string;
}

export interface CategoryReason {
  key: string;
  importance: number;
  current_weight: number;
  proposed_weight: number;
}

export interface Recommendation {
  scorecard: Scorecard;
  measures: MeasureReason[];
  categories: CategoryReason[];
  /** False when no measure's points lowered churn: the weights are left as they were. */
  changed: boolean;
}

/** Whether a measure's points rise with its metric. */
export function measureDirection(scale: Scale): MeasureDirection {
  if (scale.type === "linear") return scale.best > scale.worst ? "higher_is_better" : "lower_is_better";
  if (scale.type === "steps")
    return scale.steps[0]?.min !== undefined ? "higher_is_better" : "lower_is_better";
  return scale.direction;
}

/** The coefficients are per this many points. */
export const POINTS_UNIT = 10;

/**
 * Churn log-odds per POINTS_UNIT points of each measure (by `measureKey`),
 * from an L2 logistic fit on the points with the sign constraint above: while
 * some measure's points raise churn, the one that raises it most is taken out
 * and the rest refitted. Measures with no data in any row are left out.
 */
export function pointsCoefficients(
  points: PointsMatrix,
  labels: Labels,
  options: LogisticOptions = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  let active = points.names.map((_, j) => j).filter((j) => (points.present[j] ?? 0) > 0);
  while (active.length > 0) {
    const fit = fitLogistic(
      {
        names: active.map((j) => points.names[j] as string),
        columns: active.map((j) => points.columns[j] as Float64Array),
        rows: points.rows,
      },
      labels,
      options,
    );
    // Per POINTS_UNIT points: the columns hold points / 100.
    const coefficients = active.map((_, k) => ((fit.coefficients[k] as number) * POINTS_UNIT) / 100);
    let worst = -1;
    coefficients.forEach((c, k) => {
      if (c > 0 && (worst < 0 || c > (coefficients[worst] as number))) worst = k;
    });
    active.forEach((j, k) => {
      out[points.names[j] as string] = coefficients[k] as number;
    });
    if (worst < 0) break;
    active = active.filter((_, k) => k !== worst);
  }
  return out;
}

/** Whole numbers, each at least 1, summing to `total`, ∝ `shares` (largest remainder). */
export function roundToTotal(shares: readonly number[], total = 100): number[] {
  const n = shares.length;
  if (n === 0) return [];
  const sum = shares.reduce((a, b) => a + b, 0);
  const spare = total - n;
  const exact = shares.map((s) => (sum > 0 ? (s / sum) * spare : spare / n));
  const out = exact.map(Math.floor);
  let left = spare - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] as number) + 1;
    left--;
  }
  return out.map((v) => v + 1);
}

function reasonFor(coefficient: number | null, agrees: boolean): string {
  if (coefficient === null) return "no data to learn from: kept at the floor";
  const effect = `${POINTS_UNIT} more points ${coefficient < 0 ? "lower" : "raise"} churn log-odds by ${Math.abs(coefficient).toFixed(3)}`;
  return agrees
    ? `${effect}: weighted by it`
    : `${effect} once the other measures are counted: kept at the floor`;
}

/** Weights from `pointsCoefficients` (keyed by `measureKey`). */
export function recommendWeights(
  scorecard: Scorecard,
  coefficients: Readonly<Record<string, number>>,
  options: RecommendOptions = {},
): Recommendation {
  const floorShare = options.floor ?? 0.05;
  const rows = scorecard.categories.flatMap((category) =>
    category.measures.map((measure: Measure) => {
      const direction = measureDirection(measure.scale);
      const c = coefficients[measureKey(category.key, measure.metric)];
      const coefficient = c !== undefined && Number.isFinite(c) ? c : null;
      const agrees = coefficient !== null && coefficient < 0;
      return {
        category: category.key,
        measure,
        direction,
        coefficient,
        agrees,
        raw: agrees ? Math.abs(coefficient as number) : 0,
      };
    }),
  );
  const top = Math.max(0, ...rows.map((r) => r.raw));
  if (top === 0) {
    return {
      scorecard: structuredClone(scorecard),
      measures: rows.map((r) => ({
        category: r.category,
        metric: r.measure.metric,
        direction: r.direction,
        coefficient: r.coefficient,
        agrees: false,
        importance: 0,
        current_weight: r.measure.weight,
        proposed_weight: r.measure.weight,
        reason: "no measure's points lowered churn: weights unchanged",
      })),
      categories: scorecard.categories.map((c) => ({
        key: c.key,
        importance: 0,
        current_weight: c.weight,
        proposed_weight: c.weight,
      })),
      changed: false,
    };
  }
  const floor = floorShare * top;
  const importance = rows.map((r) => Math.max(r.raw, floor));
  const proposed = structuredClone(scorecard);
  const measures: MeasureReason[] = [];
  const categoryImportance: number[] = [];
  let offset = 0;
  proposed.categories.forEach((category) => {
    const own = importance.slice(offset, offset + category.measures.length);
    const weights = roundToTotal(own);
    category.measures.forEach((measure, m) => {
      const r = rows[offset + m] as (typeof rows)[number];
      measures.push({
        category: category.key,
        metric: measure.metric,
        direction: r.direction,
        coefficient: r.coefficient,
        agrees: r.agrees,
        importance: own[m] as number,
        current_weight: measure.weight,
        proposed_weight: weights[m] as number,
        reason: reasonFor(r.coefficient, r.agrees),
      });
      measure.weight = weights[m] as number;
    });
    categoryImportance.push(own.reduce((a, b) => a + b, 0));
    offset += category.measures.length;
  });
  const categoryWeights = roundToTotal(categoryImportance);
  const categories = proposed.categories.map((category, c) => {
    const reason = {
      key: category.key,
      importance: categoryImportance[c] as number,
      current_weight: category.weight,
      proposed_weight: categoryWeights[c] as number,
    };
    category.weight = categoryWeights[c] as number;
    return reason;
  });
  return { scorecard: proposed, measures, categories, changed: true };
}
