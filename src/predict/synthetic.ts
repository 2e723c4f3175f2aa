import { dayDate, dayNumber, type FeatureMatrix, type Labels } from "./dataset.js";
import { type Random, seededRandom } from "./random.js";

/**
 * Synthetic churn observations for tests and benchmarks: accounts observed on
 * monthly dates, features of mixed kinds (skewed counts, normals, binaries,
 * noise; some with missing values) and a label drawn from a known signal with
 * a linear part, a threshold and an interaction (so trees have something to find).
 */

export interface SyntheticOptions {
  accounts: number;
  /** Monthly observation dates per account. */
  dates: number;
  /** At least 8. */
  features: number;
  seed: number;
  /** First observation date. Default 2024-01-01. */
  start?: string;
  /** Intercept of the true log-odds (sets the churn rate). Default −2.5. */
  intercept?: number;
}

export interface SyntheticData {
  matrix: FeatureMatrix;
  labels: Labels;
  accounts: string[];
  dates: string[];
  /** The true log-odds of each row. */
  truth: Float64Array;
}

export function normal(random: Random): number {
  let u = random.next();
  while (u === 0) u = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** Kind of feature j: counts, normals, binaries, noise, in that rotation. */
function kindOf(j: number): "count" | "normal" | "binary" | "noise" {
  return (
    (["count", "normal", "normal", "binary", "count", "normal", "noise", "normal"] as const)[j % 8] ?? "noise"
  );
}

export function syntheticChurn(options: SyntheticOptions): SyntheticData {
  const random = seededRandom(options.seed, 11);
  const rows = options.accounts * options.dates;
  const p = Math.max(8, options.features);
  const names = Array.from({ length: p }, (_, j) => `${kindOf(j)}_${j}`);
  const columns = names.map(() => new Float64Array(rows));
  const labels = new Uint8Array(rows);
  const truth = new Float64Array(rows);
  const accounts: string[] = [];
  const dates: string[] = [];
  const start = dayNumber(options.start ?? "2024-01-01");
  const monthDates = Array.from({ length: options.dates }, (_, m) => dayDate(start + Math.round(m * 30.44)));
  const intercept = options.intercept ?? -2.5;
  let i = 0;
  for (let a = 0; a < options.accounts; a++) {
    const health = normal(random);
    const id = `acct_${String(a).padStart(6, "0")}`;
    for (let d = 0; d < options.dates; d++, i++) {
      accounts.push(id);
      dates.push(monthDates[d] as string);
      for (let j = 0; j < p; j++) {
        const kind = kindOf(j);
        const z = 0.6 * health + 0.8 * normal(random);
        let v: number;
        if (kind === "count") v = Math.round(Math.exp(1.5 + z + 0.3 * normal(random)));
        else if (kind === "normal") v = z;
        else if (kind === "binary") v = random.next() < 0.3 ? 1 : 0;
        else v = random.next();
        if (j % 5 === 2 && random.next() < 0.15) v = Number.NaN;
        (columns[j] as Float64Array)[i] = v;
      }
      const x = (j: number) => (columns[j] as Float64Array)[i] as number;
      const known = (j: number, fallback: number) => (Number.isNaN(x(j)) ? fallback : x(j));
      let logit = intercept;
      logit -= 0.8 * (Math.log1p(x(0)) - 1.5); // usage: more is safer
      logit -= 0.7 * known(1, 0); // a normal: higher is safer
      logit += 0.5 * x(3); // a binary risk flag
      logit += known(2, 0) < -0.8 ? 1.2 : 0; // a threshold
      logit += x(5) * x(7) > 0.3 ? 1.0 : 0; // an interaction
      truth[i] = logit;
      labels[i] = random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    }
  }
  return { matrix: { names, columns, rows }, labels, accounts, dates, truth };
}
