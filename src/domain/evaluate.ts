import { type Band, decideBand, type PresentSignal, presentSignal } from "./bands.js";
import {
  type Drag,
  type Improvement,
  type MeasureExplanation,
  topDrags,
  topImprovements,
} from "./explain.js";
import { metricLabel } from "./metric-names.js";
import { isPresent, type MeasureInput, type ScaleTarget, scalePoints, scaleTarget } from "./scales.js";
import type { Scorecard } from "./scorecard-schema.js";

export interface SignalInput {
  name: string;
  detail?: string | undefined;
}

export interface EvaluationInput {
  /** Raw metric values by metric name; undefined, null or NaN means no data (never zero). */
  values: Readonly<Record<string, number | null | undefined>>;
  /** Rank (0..1) within the account's segment by metric name, for percentile measures. */
  percentiles?: Readonly<Record<string, number | null | undefined>>;
  /** Signals present for the account; those the scorecard lists as critical set the band. */
  signals: readonly SignalInput[];
}

export interface CategoryResult {
  key: string;
  name: string;
  /** 0–100 rounded to 1 decimal; null when none of its measures had data. */
  score: number | null;
  /** Effective share of the overall score (0..1) after redistribution; 0 when left out. */
  weight: number;
  /** Share of the category's configured measure weight that had data (0..1, 3 decimals). */
  completeness: number;
}

export interface Evaluation {
  /** 0–100 rounded to 1 decimal; null when no measure had data. */
  score: number | null;
  /** null only when there is no score and no critical signal. */
  band: Band | null;
  categories: CategoryResult[];
  /** Share of the total configured weight that had data (0..1, 3 decimals). */
  completeness: number;
  /** The scorecard's critical signals present for the account, in input order. */
  signals: PresentSignal[];
  explanation: {
    /** Why the band, naming the critical signals when there are any. */
    band_reason: string;
    measures: MeasureExplanation[];
    drags: Drag[];
    improvements: Improvement[];
  };
}

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

interface MeasureState {
  category: string;
  metric: string;
  label: string;
  weight: number;
  input: MeasureInput;
  points: number | null;
  target: ScaleTarget | undefined;
  isPercentile: boolean;
}

/**
 * Scores one account against a scorecard. Pure: everything it needs is in its arguments.
 *
 * - A measure without data is left out and its weight shared among the rest of its
 *   category (in proportion to their weights); a category without any data is left
 *   out and its weight shared among the other categories the same way.
 * - With no data at all, score is null, completeness 0 and band null (or critical
 *   when a critical signal is present).
 * - The band is decided on the rounded score, so the shown number and band agree
 *   (74.96 shows as 75.0 and is healthy).
 * - Rounded: score, category scores (1 decimal), completeness (3 decimals).
 *   Explanation numbers are exact, so contributions add up to the unrounded score.
 */
export function evaluate(scorecard: Scorecard, input: EvaluationInput): Evaluation {
  const totalCategoryWeight = sum(scorecard.categories.map((c) => c.weight));

  const categories = scorecard.categories.map((category) => {
    const measures: MeasureState[] = category.measures.map((measure) => {
      const raw = input.values[measure.metric];
      const percentile = input.percentiles?.[measure.metric];
      const measureInput: MeasureInput = {
        raw: isPresent(raw) ? raw : null,
        percentile: isPresent(percentile) ? percentile : null,
      };
      return {
        category: category.key,
        metric: measure.metric,
        label: measure.label ?? metricLabel(measure.metric),
        weight: measure.weight,
        input: measureInput,
        points: scalePoints(measure.scale, measureInput),
        target: scaleTarget(measure.scale, measureInput),
        isPercentile: measure.scale.type === "percentile",
      };
    });
    const configured = sum(measures.map((m) => m.weight));
    const present = sum(measures.filter((m) => m.points !== null).map((m) => m.weight));
    return { category, measures, configured, present };
  });

  const presentCategoryWeight = sum(categories.filter((c) => c.present > 0).map((c) => c.category.weight));

  let completeness = 0;
  const categoryResults: CategoryResult[] = [];
  const explained: MeasureExplanation[] = [];
  const candidates: { measure: MeasureExplanation; target: ScaleTarget }[] = [];

  for (const { category, measures, configured, present } of categories) {
    completeness += (category.weight / totalCategoryWeight) * (present / configured);
    const share = present > 0 ? category.weight / presentCategoryWeight : 0;
    let categoryScore = 0;
    for (const m of measures) {
      const inCategory = m.points === null ? 0 : m.weight / present;
      const effective = share * inCategory;
      const explanation: MeasureExplanation = {
        category: m.category,
        metric: m.metric,
        label: m.label,
        raw: m.input.raw,
        ...(m.isPercentile && m.input.percentile !== null ? { percentile: m.input.percentile } : {}),
        points: m.points,
        weight_in_category: inCategory,
        effective_weight: effective,
        contribution: m.points === null ? 0 : m.points * effective,
      };
      explained.push(explanation);
      if (m.points !== null) categoryScore += m.points * inCategory;
      if (m.target !== undefined) candidates.push({ measure: explanation, target: m.target });
    }
    categoryResults.push({
      key: category.key,
      name: category.name,
      score: present > 0 ? round(categoryScore, 1) : null,
      weight: share,
      completeness: round(present / configured, 3),
    });
  }

  const score = presentCategoryWeight > 0 ? round(sum(explained.map((m) => m.contribution)), 1) : null;
  const configured = new Set<string>(scorecard.critical_signals);
  const signals = input.signals
    .filter((s) => configured.has(s.name))
    .map((s) => presentSignal(s.name, s.detail));
  const { band, reason } = decideBand(score, scorecard.bands, signals);

  return {
    score,
    band,
    categories: categoryResults,
    completeness: round(completeness, 3),
    signals,
    explanation: {
      band_reason: reason,
      measures: explained,
      drags: topDrags(explained),
      improvements: topImprovements(candidates),
    },
  };
}
