/**
 * The data the learners work on: a column-major feature matrix (one
 * Float64Array per feature, NaN = missing) and 0/1 labels. Row metadata
 * (account id, observation date) is kept alongside by the caller, in arrays
 * indexed like the rows.
 */

export interface FeatureMatrix {
  names: string[];
  /** One column per name, each `rows` long; NaN marks a missing value. */
  columns: Float64Array[];
  rows: number;
}

/** 1 = the account churned within the horizon after the observation, 0 = it did not. */
export type Labels = Uint8Array;

/** Row metadata for observations: `accounts[i]` observed on `dates[i]` (ISO date, YYYY-MM-DD…). */
export interface Observations {
  accounts: readonly string[];
  dates: readonly string[];
}

const MS_PER_DAY = 86_400_000;

/** Whole days since 1970-01-01 (UTC) of an ISO date or timestamp. */
export function dayNumber(date: string): number {
  const ms = Date.parse(date.length === 10 ? `${date}T00:00:00Z` : date);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date: "${date}"`);
  return Math.floor(ms / MS_PER_DAY);
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function dayDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A matrix of `rows` rows, every value missing. */
export function emptyMatrix(names: readonly string[], rows: number): FeatureMatrix {
  return { names: [...names], columns: names.map(() => new Float64Array(rows).fill(Number.NaN)), rows };
}

/** A matrix from row records; absent, null and non-finite values are missing. */
export function matrixFromRecords(
  names: readonly string[],
  records: ReadonlyArray<Readonly<Record<string, number | null | undefined>>>,
): FeatureMatrix {
  const matrix = emptyMatrix(names, records.length);
  names.forEach((name, j) => {
    const column = matrix.columns[j] as Float64Array;
    records.forEach((record, i) => {
      const value = record[name];
      if (typeof value === "number" && Number.isFinite(value)) column[i] = value;
    });
  });
  return matrix;
}

/** The column called `name`, or undefined. */
export function columnOf(matrix: FeatureMatrix, name: string): Float64Array | undefined {
  const j = matrix.names.indexOf(name);
  return j === -1 ? undefined : matrix.columns[j];
}

/**
 * The matrix's columns in the order of `names`; a name the matrix lacks gives an
 * all-missing column, a column it has but `names` lacks is dropped.
 */
export function alignColumns(matrix: FeatureMatrix, names: readonly string[]): Float64Array[] {
  const index = new Map(matrix.names.map((name, j) => [name, j]));
  let missing: Float64Array | undefined;
  return names.map((name) => {
    const j = index.get(name);
    if (j !== undefined) return matrix.columns[j] as Float64Array;
    missing ??= new Float64Array(matrix.rows).fill(Number.NaN);
    return missing;
  });
}

/** The rows at `indices` (in that order), as a new matrix. */
export function selectRows(matrix: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const n = indices.length;
  const columns = matrix.columns.map((source) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = source[indices[i] as number] as number;
    return out;
  });
  return { names: [...matrix.names], columns, rows: n };
}

/** The entries of a typed array at `indices`. */
export function selectValues<T extends Uint8Array | Float64Array | Int32Array>(
  values: T,
  indices: ArrayLike<number>,
): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}

/** Row `i` as a record by feature name (NaN stays NaN). */
export function rowRecord(matrix: FeatureMatrix, i: number): Record<string, number> {
  const out: Record<string, number> = {};
  matrix.names.forEach((name, j) => {
    out[name] = matrix.columns[j]?.[i] ?? Number.NaN;
  });
  return out;
}

/** 0, 1, …, n − 1. */
export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/** Number of 1s among the labels (optionally only at `indices`). */
export function countPositives(labels: Labels, indices?: ArrayLike<number>): number {
  let count = 0;
  if (indices === undefined) for (let i = 0; i < labels.length; i++) count += labels[i] as number;
  else for (let i = 0; i < indices.length; i++) count += labels[indices[i] as number] as number;
  return count;
}
