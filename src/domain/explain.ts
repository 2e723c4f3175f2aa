import type { ScaleTarget } from "./scales.js";

/** How one measure fed the score. Missing measures are listed with null raw/points and zero weights. */
export interface MeasureExplanation {
  /** The category's key. */
  category: string;
  metric: string;
  label: string;
  raw: number | null;
  /** The rank within the segment (0..1), for percentile measures. */
  percentile?: number;
  points: number | null;
  /** Share of its category after missing measures' weight is redistributed (0..1). */
  weight_in_category: number;
  /** Share of the whole score (0..1); the effective weights of all measures add up to 1. */
  effective_weight: number;
  /** points × effective_weight: contributions add up to the score (before rounding). */
  contribution: number;
}

export interface Drag {
  category: string;
  metric: string;
  label: string;
  raw: number | null;
  points: number;
  /** effective_weight × (100 − points): what the measure costs the score. */
  lost_points: number;
}

export interface Improvement {
  category: string;
  metric: string;
  label: string;
  from: number | null;
  /** The raw value to reach; null for percentile measures (the target is the best rank in the segment). */
  to: number | null;
  points_gained: number;
  sentence: string;
}

/** A raw value for a sentence: 0.31 → "0.31", 0.6 → "0.60", 4.25 → "4.3", 12 → "12". */
export function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) < 1) return value.toFixed(2);
  return String(Math.round(value * 10) / 10);
}

/** Score points for a sentence: 1 decimal, "1 point", "less than 0.1 points". */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return "less than 0.1 points";
  return rounded === 1 ? "1 point" : `${rounded} points`;
}

/** e.g. "raising seat utilisation from 0.31 to 0.60 adds 7 points". */
export function improvementSentence(
  label: string,
  from: number | null,
  to: number | null,
  gained: number,
): string {
  const adds = `adds ${formatPoints(gained)}`;
  if (to === null || from === null) return `bringing ${label} to the best in its segment ${adds}`;
  const verb = to >= from ? "raising" : "lowering";
  return `${verb} ${label} from ${formatValue(from)} to ${formatValue(to)} ${adds}`;
}

/** Sort by a number, largest first, keeping configuration order on ties. */
function largestFirst<T>(items: T[], by: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, key: by(item) }))
    .sort((a, b) => b.key - a.key || a.index - b.index)
    .map(({ item }) => item);
}

/** The measures that cost the score most (effective_weight × (100 − points)), largest first. */
export function topDrags(measures: readonly MeasureExplanation[], limit = 3): Drag[] {
  const drags: Drag[] = [];
  for (const m of measures) {
    if (m.points === null) continue;
    const lost = m.effective_weight * (100 - m.points);
    if (lost <= 0) continue;
    drags.push({
      category: m.category,
      metric: m.metric,
      label: m.label,
      raw: m.raw,
      points: m.points,
      lost_points: lost,
    });
  }
  return largestFirst(drags, (d) => d.lost_points).slice(0, limit);
}

/**
 * The single-measure changes that would raise the score most, largest first.
 * Weights depend only on which measures have data, so moving one measure to its
 * target raises the score by exactly effective_weight × (target points − points).
 */
export function topImprovements(
  candidates: readonly { measure: MeasureExplanation; target: ScaleTarget }[],
  limit = 3,
): Improvement[] {
  const improvements: Improvement[] = [];
  for (const { measure: m, target } of candidates) {
    if (m.points === null) continue;
    const gained = m.effective_weight * (target.points - m.points);
    if (gained <= 0) continue;
    improvements.push({
      category: m.category,
      metric: m.metric,
      label: m.label,
      from: m.raw,
      to: target.to,
      points_gained: gained,
      sentence: improvementSentence(m.label, m.raw, target.to, gained),
    });
  }
  return largestFirst(improvements, (i) => i.points_gained).slice(0, limit);
}
