import type { Measure, Scale, Scorecard } from "../domain/scorecard-schema.js";
import { alignColumns, type FeatureMatrix, type Labels } from "./dataset.js";
import { fitLogistic, type LogisticOptions, type LogisticParams } from "./logistic.js";
import { applyTransform, baseFeature, fitTransform } from "./transform.js";

/**
 * Proposed scorecard weights from a fitted logistic model. A measure earns
 * points as its metric gets better, so it should lower churn risk: its metric's
 * standardised coefficient (change in churn log-odds per training sd) should be
 * negative when higher is better and positive when lower is better. A measure
 * whose coefficient agrees is weighted ∝ |coefficient|; the rest (wrong sign,
 * or not in the model) keep a small floor (a share of the largest importance).
 * Category weights ∝ the sum of their measures' importance; measure weights are
 * shares of their category. Both are whole numbers: categories sum to 100, and
 * each category's measures sum to 100.
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
  /** Standardised coefficient of the metric (null when the model does not have it). */
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
  /** False when no coefficient agreed with any measure: the weights are left as they were. */
  changed: boolean;
}

/** Whether a measure's points rise with its metric. */
export function measureDirection(scale: Scale): MeasureDirection {
  if (scale.type === "linear") return scale.best > scale.worst ? "higher_is_better" : "lower_is_better";
  if (scale.type === "steps")
    return scale.steps[0]?.min !== undefined ? "higher_is_better" : "lower_is_better";
  return scale.direction;
}

/**
 * Standardised coefficients by metric, from a logistic model fitted on
 * standardised features (missing-indicator columns left out).
 */
export function standardisedCoefficients(params: LogisticParams): Record<string, number> {
  const out: Record<string, number> = {};
  params.names.forEach((name, j) => {
    if (baseFeature(name) === name) out[name] = params.coefficients[j] as number;
  });
  return out;
}

/**
 * Fits a logistic model on the scorecard's metrics alone (the columns of
 * `matrix` they name; log1p for skewed counts, standardised, missing imputed)
 * and returns their standardised coefficients, whichever model won the backtest.
 */
export function scorecardCoefficients(
  scorecard: Scorecard,
  matrix: FeatureMatrix,
  labels: Labels,
  options: LogisticOptions = {},
): Record<string, number> {
  const metrics = [...new Set(scorecard.categories.flatMap((c) => c.measures.map((m) => m.metric)))].filter(
    (metric) => matrix.names.includes(metric),
  );
  const own: FeatureMatrix = { names: metrics, columns: alignColumns(matrix, metrics), rows: matrix.rows };
  const transform = fitTransform(own);
  return standardisedCoefficients(fitLogistic(applyTransform(transform, own), labels, options));
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

function reasonFor(coefficient: number | null, direction: MeasureDirection, agrees: boolean): string {
  if (coefficient === null) return "not in the model: kept at the floor";
  const better = direction === "higher_is_better" ? "higher is better" : "lower is better";
  const effect = `one sd higher ${coefficient < 0 ? "lowers" : "raises"} churn log-odds by ${Math.abs(coefficient).toFixed(2)}`;
  return agrees ? `${better} and ${effect}: weighted by it` : `${better}, but ${effect}: kept at the floor`;
}

export function recommendWeights(
  scorecard: Scorecard,
  coefficients: Readonly<Record<string, number>>,
  options: RecommendOptions = {},
): Recommendation {
  const floorShare = options.floor ?? 0.05;
  const rows = scorecard.categories.flatMap((category) =>
    category.measures.map((measure: Measure) => {
      const direction = measureDirection(measure.scale);
      const c = coefficients[measure.metric];
      const coefficient = c !== undefined && Number.isFinite(c) ? c : null;
      const agrees =
        coefficient !== null && (direction === "higher_is_better" ? coefficient < 0 : coefficient > 0);
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
        reason: "no coefficient agrees with any measure's direction: weights unchanged",
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
        reason: reasonFor(r.coefficient, r.direction, r.agrees),
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
