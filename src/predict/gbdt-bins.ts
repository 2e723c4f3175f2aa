/**
 * Histogram bins for the tree learner, computed on training data: up to
 * `maxBins − 1` value bins per feature at quantiles (or one per distinct value
 * when there are few), plus bin 0 for missing (NaN or non-finite) values.
 * A value v falls in bin 1 + #(edges < v), so "bin ≤ t" ⇔ "v ≤ edges[t − 1]"
 * and a tree stored with raw thresholds predicts exactly as it was trained.
 */

/** The missing-value bin. */
export const MISSING_BIN = 0;

/** Quantile edges are taken from at most this many values (an evenly strided sample). */
const EDGE_SAMPLE = 25_000;

/**
 * Strictly increasing upper edges of the value bins (there are edges.length + 1
 * value bins). A feature with few distinct values (counted over every row, so a
 * rare value is never lost) gets one bin per value; otherwise edges sit at
 * quantiles of an evenly strided sample of the present values.
 */
export function binEdges(column: Float64Array, maxBins: number): Float64Array {
  const valueBins = Math.max(2, Math.min(255, maxBins) - 1);
  const distinct = new Set<number>();
  let present = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (!Number.isFinite(v)) continue;
    present++;
    if (distinct.size <= valueBins) distinct.add(v);
  }
  if (present === 0) return new Float64Array(0);
  if (distinct.size <= valueBins) {
    const values = Float64Array.from(distinct).sort();
    return values.subarray(1).map((v, i) => ((values[i] as number) + v) / 2);
  }
  const stride = Math.ceil(present / EDGE_SAMPLE);
  const sample = new Float64Array(Math.ceil(present / stride));
  let m = 0;
  for (let i = 0, k = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (Number.isFinite(v) && k++ % stride === 0) sample[m++] = v;
  }
  const sorted = sample.subarray(0, m).sort();
  const max = sorted[m - 1] as number;
  const edges: number[] = [];
  for (let q = 1; q < valueBins; q++) {
    const v = sorted[Math.max(0, Math.floor((q * m) / valueBins) - 1)] as number;
    if (v < max && (edges.length === 0 || v > (edges[edges.length - 1] as number))) edges.push(v);
  }
  return Float64Array.from(edges);
}

/** The bin of each value of `column` (0 for missing). */
export function binColumn(column: Float64Array, edges: Float64Array): Uint8Array {
  const out = new Uint8Array(column.length);
  const count = edges.length;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (!Number.isFinite(v)) continue;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((edges[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo + 1;
  }
  return out;
}
