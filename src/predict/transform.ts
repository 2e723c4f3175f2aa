import { alignColumns, type FeatureMatrix } from "./dataset.js";

/**
 * Feature transforms for the linear model, fitted on training rows only and
 * stored as plain JSON beside the model: `log1p` for skewed non-negative
 * counts, then standardisation (training mean and sd), missing values imputed
 * with the training median plus a 0/1 missing-indicator column for features
 * that had missing values in training (one per pattern of missing rows, see
 * fitTransform). Non-finite values count as missing.
 */

export interface FeatureTransform {
  name: string;
  /** log1p applied before everything else (values below 0 are clamped to 0 first). */
  log: boolean;
  /** Training median (after log), the value a missing entry takes. */
  median: number;
  /** Training mean and sd (after log) of the present values; sd is 1 for a constant column. */
  mean: number;
  sd: number;
  /** Whether a `<name>:missing` indicator column follows this feature. */
  indicator: boolean;
}

export interface Transform {
  features: FeatureTransform[];
  /** Output column names: each feature, then its indicator when it has one. */
  outputs: string[];
}

export interface TransformOptions {
  /** Features to log1p: "auto" (non-negative with skewness ≥ 1) or an explicit list. */
  log?: "auto" | readonly string[];
  /** Training rows (indices into the matrix); all rows when omitted. */
  rows?: ArrayLike<number>;
}

export const MISSING_SUFFIX = ":missing";

/** The feature a transformed column belongs to (`x:missing` → `x`). */
export function baseFeature(output: string): string {
  return output.endsWith(MISSING_SUFFIX) ? output.slice(0, -MISSING_SUFFIX.length) : output;
}

function presentValues(column: Float64Array, rows: ArrayLike<number> | undefined): Float64Array {
  const n = rows === undefined ? column.length : rows.length;
  const out = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const v = column[rows === undefined ? k : (rows[k] as number)] as number;
    if (Number.isFinite(v)) out[m++] = v;
  }
  return out.subarray(0, m);
}

function isSkewedCount(values: Float64Array): boolean {
  const n = values.length;
  if (n < 3) return false;
  let mean = 0;
  let binary = true;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v < 0) return false;
    if (v !== 0 && v !== 1) binary = false;
    mean += v;
  }
  if (binary) return false;
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 && m3 / m2 ** 1.5 >= 1;
}

/** The k-th smallest value (0-based) of `a`, by quickselect; reorders `a`. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i++] = a[j] as number;
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k] as number;
  }
  return a[k] as number;
}

/** The median of `a` (reorders it). */
function medianOf(a: Float64Array): number {
  const n = a.length;
  const upper = select(a, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) lower = Math.max(lower, a[i] as number);
  return (lower + upper) / 2;
}

const log1pClamped = (v: number) => Math.log1p(Math.max(v, 0));

function fitFeature(name: string, column: Float64Array, options: TransformOptions): FeatureTransform {
  const raw = presentValues(column, options.rows);
  const total = options.rows === undefined ? column.length : options.rows.length;
  const log =
    options.log === undefined || options.log === "auto" ? isSkewedCount(raw) : options.log.includes(name);
  const values = log ? raw.map(log1pClamped) : raw;
  const n = values.length;
  if (n === 0) return { name, log, median: 0, mean: 0, sd: 1, indicator: total > 0 };
  const median = medianOf(Float64Array.from(values));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  return { name, log, median, mean, sd: sd > 1e-12 ? sd : 1, indicator: n < total };
}

/** Where `column` is missing on the training rows, as a string key (one character per row). */
function missingMask(column: Float64Array, rows: ArrayLike<number> | undefined): string {
  const n = rows === undefined ? column.length : rows.length;
  const bytes = new Uint8Array(n);
  for (let k = 0; k < n; k++)
    bytes[k] = Number.isFinite(column[rows === undefined ? k : (rows[k] as number)] as number) ? 48 : 49;
  return new TextDecoder().decode(bytes);
}

/**
 * Fits the transform on the training rows of `matrix` (all rows unless
 * `options.rows`). Features missing on exactly the same training rows (the
 * changes over a month are all missing in an account's first month) share
 * one indicator, the first's: identical indicator columns would only slow
 * the solver down and split one effect between them.
 */
export function fitTransform(matrix: FeatureMatrix, options: TransformOptions = {}): Transform {
  const seen = new Set<string>();
  const features = matrix.names.map((name, j) => {
    const column = matrix.columns[j] as Float64Array;
    const feature = fitFeature(name, column, options);
    if (feature.indicator) {
      const mask = missingMask(column, options.rows);
      if (seen.has(mask)) feature.indicator = false;
      else seen.add(mask);
    }
    return feature;
  });
  const outputs: string[] = [];
  for (const f of features) {
    outputs.push(f.name);
    if (f.indicator) outputs.push(f.name + MISSING_SUFFIX);
  }
  return { features, outputs };
}

/**
 * Applies a fitted transform; columns are matched by name (a feature the matrix
 * lacks counts as missing everywhere). The result has no NaN.
 */
export function applyTransform(transform: Transform, matrix: FeatureMatrix): FeatureMatrix {
  const inputs = alignColumns(
    matrix,
    transform.features.map((f) => f.name),
  );
  const n = matrix.rows;
  const columns: Float64Array[] = [];
  transform.features.forEach((f, j) => {
    const source = inputs[j] as Float64Array;
    const out = new Float64Array(n);
    const flag = f.indicator ? new Float64Array(n) : undefined;
    const filled = (f.median - f.mean) / f.sd;
    for (let i = 0; i < n; i++) {
      const v = source[i] as number;
      if (!Number.isFinite(v)) {
        out[i] = filled;
        if (flag) flag[i] = 1;
      } else {
        out[i] = ((f.log ? log1pClamped(v) : v) - f.mean) / f.sd;
      }
    }
    columns.push(out);
    if (flag) columns.push(flag);
  });
  return { names: [...transform.outputs], columns, rows: n };
}
