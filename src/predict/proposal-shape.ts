/**
 * Shaping a proposed scorecard (pure): band thresholds that keep the current
 * band mix under new weights, and keys in the order people write them.
 */

/** The q-quantile (0..1) of sorted values, by linear interpolation. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (b - a) * (pos - lo);
}

/**
 * Band thresholds for `proposed` scores that keep the band mix of `current`
 * scores: the same share under `watch` and under `healthy` (whole numbers,
 * healthy > watch, within 0–100). Unchanged when there is nothing to match.
 */
export function matchBands(
  current: readonly (number | null)[],
  proposed: readonly (number | null)[],
  bands: { healthy: number; watch: number },
): { healthy: number; watch: number } {
  const now = current.filter((x): x is number => x !== null);
  const next = proposed.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (now.length === 0 || next.length === 0) return { ...bands };
  const share = (t: number) => now.filter((x) => x < t).length / now.length;
  const clamp = (x: number) => Math.min(100, Math.max(0, Math.round(x)));
  const watch = Math.min(99, clamp(quantile(next, share(bands.watch))));
  const healthy = Math.max(watch + 1, clamp(quantile(next, share(bands.healthy))));
  return { healthy, watch };
}

const KEY_ORDER = [
  "name",
  "key",
  "metric",
  "label",
  "type",
  "bands",
  "healthy",
  "watch",
  "core_features",
  "critical_signals",
  "weight",
  "worst",
  "best",
  "direction",
  "steps",
  "min",
  "max",
  "points",
  "scale",
  "categories",
  "measures",
];

/** A scorecard with its keys in the order people write them (the store keeps jsonb order). */
export function orderedScorecard<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => orderedScorecard(v)) as T;
  if (value === null || typeof value !== "object") return value;
  const rank = (k: string) => {
    const i = KEY_ORDER.indexOf(k);
    return i === -1 ? KEY_ORDER.length : i;
  };
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(entries.map(([k, v]) => [k, orderedScorecard(v)])) as T;
}
