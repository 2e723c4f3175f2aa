import type { LinearScale, PercentileScale, Scale, StepsScale } from "./scorecard-schema.js";

/** What a measure has to work with: its raw value and, for percentile scales, its rank in the segment. */
export interface MeasureInput {
  raw: number | null;
  /** 0..1, the account's rank for this metric within its segment (0 lowest value, 1 highest). */
  percentile: number | null;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** True for a usable number: missing data is undefined, null or NaN (and never zero). */
export function isPresent(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function linearPoints(scale: LinearScale, raw: number): number {
  return clamp(((raw - scale.worst) / (scale.best - scale.worst)) * 100, 0, 100);
}

/** Index of the step that applies to `raw`, or -1 when none does (0 points). */
function stepIndex(scale: StepsScale, raw: number): number {
  const { steps } = scale;
  if (steps[0]?.min !== undefined) {
    // Higher is better: the last step whose min the value reaches.
    for (let i = steps.length - 1; i >= 0; i--)
      if (raw >= (steps[i]?.min ?? Number.POSITIVE_INFINITY)) return i;
    return -1;
  }
  // Lower is better: the first step whose max the value stays within.
  return steps.findIndex((step) => step.max !== undefined && raw <= step.max);
}

function stepsPoints(scale: StepsScale, raw: number): number {
  return scale.steps[stepIndex(scale, raw)]?.points ?? 0;
}

function percentilePoints(scale: PercentileScale, rank: number): number {
  const r = clamp(rank, 0, 1);
  return scale.direction === "higher_is_better" ? r * 100 : 100 - r * 100;
}

/**
 * Points (0–100) a measure earns, or null when it has no data: linear clamps
 * between worst (0) and best (100); steps give the points of the step reached
 * (0 below the first `min` or above the last `max`); percentile gives rank × 100
 * (or (1 − rank) × 100 when lower is better) and needs a percentile.
 */
export function scalePoints(scale: Scale, input: MeasureInput): number | null {
  if (scale.type === "percentile") {
    return isPresent(input.percentile) ? percentilePoints(scale, input.percentile) : null;
  }
  if (!isPresent(input.raw)) return null;
  return scale.type === "linear" ? linearPoints(scale, input.raw) : stepsPoints(scale, input.raw);
}

/** A raw value that would earn more points: `to` is null for percentile scales (no raw target). */
export interface ScaleTarget {
  to: number | null;
  points: number;
}

/**
 * The next target for a measure that is not at full points: linear → `best`
 * (100 points); steps → the nearest threshold that earns more points;
 * percentile → the best rank in the segment. Undefined when nothing scores higher.
 */
export function scaleTarget(scale: Scale, input: MeasureInput): ScaleTarget | undefined {
  const points = scalePoints(scale, input);
  if (points === null || points >= 100) return undefined;
  if (scale.type === "linear") return { to: scale.best, points: 100 };
  if (scale.type === "percentile") return { to: null, points: 100 };
  const raw = input.raw as number;
  const current = stepIndex(scale, raw);
  const { steps } = scale;
  if (steps[0]?.min !== undefined) {
    for (let i = current + 1; i < steps.length; i++) {
      const step = steps[i];
      if (step?.min !== undefined && step.points > points) return { to: step.min, points: step.points };
    }
    return undefined;
  }
  for (let i = (current === -1 ? steps.length : current) - 1; i >= 0; i--) {
    const step = steps[i];
    if (step?.max !== undefined && step.points > points) return { to: step.max, points: step.points };
  }
  return undefined;
}
