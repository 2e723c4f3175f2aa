import { choleskySolve } from "./cholesky.js";
import { alignColumns, type FeatureMatrix, type Labels } from "./dataset.js";

/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS) with a
 * Cholesky solve and a backtracking line search: exact and fast for the few
 * dozen (transformed, standardised) features Keepwell has. Minimises
 *   Σᵢ logloss(yᵢ, b + x·β) + (l2 / 2)·‖β‖²   (the intercept b is not penalised).
 * The input must have no missing values (apply the transform first).
 */

export interface LogisticOptions {
  /** L2 penalty on the coefficients (on the summed, not averaged, loss). Default 1. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no parameter moves by more than this. Default 1e-8. */
  tolerance?: number;
}

export interface LogisticParams {
  names: string[];
  intercept: number;
  /** One per name: the change in log-odds for one unit of the (transformed) feature. */
  coefficients: number[];
  l2: number;
  iterations: number;
  converged: boolean;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z), without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function objective(eta: Float64Array, y: Labels, beta: Float64Array, l2: number): number {
  let loss = 0;
  for (let i = 0; i < eta.length; i++) {
    const z = eta[i] as number;
    loss += softplus(z) - (y[i] as number) * z;
  }
  let penalty = 0;
  for (let j = 1; j < beta.length; j++) penalty += (beta[j] as number) ** 2;
  return loss + 0.5 * l2 * penalty;
}

/** b + Σⱼ βⱼ·xⱼ for every row (`beta[0]` is the intercept). */
function linear(beta: ArrayLike<number>, columns: readonly Float64Array[], n: number): Float64Array {
  const eta = new Float64Array(n).fill(beta[0] as number);
  columns.forEach((column, j) => {
    const b = beta[j + 1] as number;
    if (b === 0) return;
    for (let i = 0; i < n; i++) eta[i] = (eta[i] as number) + b * (column[i] as number);
  });
  return eta;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** The gradient and Hessian of the objective at `eta` (row-major Hessian, size d × d). */
function derivatives(
  eta: Float64Array,
  y: Labels,
  x: readonly Float64Array[],
  beta: Float64Array,
  l2: number,
) {
  const n = eta.length;
  const d = beta.length;
  const residual = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = sigmoid(eta[i] as number);
    residual[i] = p - (y[i] as number);
    weight[i] = Math.max(p * (1 - p), 1e-12);
  }
  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const all = [new Float64Array(n).fill(1), ...x];
  const wx = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    const xj = all[j] as Float64Array;
    grad[j] = dot(residual, xj) + (j > 0 ? l2 * (beta[j] as number) : 0);
    for (let i = 0; i < n; i++) wx[i] = (weight[i] as number) * (xj[i] as number);
    rowOfProducts(wx, all, j, hess, j * d);
    if (j > 0) hess[j * d + j] = (hess[j * d + j] as number) + l2;
    for (let k = 0; k < j; k++) hess[k * d + j] = hess[j * d + k] as number;
  }
  return { grad, hess };
}

/** out[at + k] = wx · all[k] for k ≤ j, four columns per pass (four independent sums run faster). */
function rowOfProducts(
  wx: Float64Array,
  all: readonly Float64Array[],
  j: number,
  out: Float64Array,
  at: number,
) {
  const n = wx.length;
  let k = 0;
  for (; k + 3 <= j; k += 4) {
    const a = all[k] as Float64Array;
    const b = all[k + 1] as Float64Array;
    const c = all[k + 2] as Float64Array;
    const e = all[k + 3] as Float64Array;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let i = 0; i < n; i++) {
      const w = wx[i] as number;
      s0 += w * (a[i] as number);
      s1 += w * (b[i] as number);
      s2 += w * (c[i] as number);
      s3 += w * (e[i] as number);
    }
    out[at + k] = s0;
    out[at + k + 1] = s1;
    out[at + k + 2] = s2;
    out[at + k + 3] = s3;
  }
  for (; k <= j; k++) out[at + k] = dot(wx, all[k] as Float64Array);
}

function solveWithJitter(hess: Float64Array, grad: Float64Array, d: number): Float64Array {
  let jitter = 0;
  for (;;) {
    const a = Float64Array.from(hess);
    for (let j = 0; j < d; j++) a[j * d + j] = (a[j * d + j] as number) + jitter;
    const step = choleskySolve(a, grad, d);
    if (step) return step;
    jitter = jitter === 0 ? 1e-8 : jitter * 100;
  }
}

/** Fits the model on every row of `x` (no NaN) against labels `y`. */
export function fitLogistic(x: FeatureMatrix, y: Labels, options: LogisticOptions = {}): LogisticParams {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-8;
  const n = x.rows;
  const d = x.names.length + 1;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = Math.min(Math.max((positives + 0.5) / (n + 1), 1e-6), 1 - 1e-6);
  const beta = new Float64Array(d);
  beta[0] = Math.log(rate / (1 - rate));
  let eta = linear(beta, x.columns, n);
  let current = objective(eta, y, beta, l2);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const { grad, hess } = derivatives(eta, y, x.columns, beta, l2);
    const step = solveWithJitter(hess, grad, d);
    const direction = linear(step, x.columns, n);
    const slope = dot(grad, step);
    let t = 1;
    let nextBeta = beta;
    let nextEta = eta;
    let next = current;
    for (let tries = 0; tries < 40; tries++, t /= 2) {
      nextBeta = beta.map((b, j) => b - t * (step[j] as number));
      nextEta = eta.map((e, i) => e - t * (direction[i] as number));
      next = objective(nextEta, y, nextBeta, l2);
      if (next <= current - 1e-4 * t * slope) break;
    }
    let moved = 0;
    for (let j = 0; j < d; j++) moved = Math.max(moved, Math.abs(t * (step[j] as number)));
    if (next > current) {
      converged = true; // no descent left: at the optimum to machine precision
      break;
    }
    beta.set(nextBeta);
    eta = nextEta;
    current = next;
    converged = moved < tolerance;
  }
  return {
    names: [...x.names],
    intercept: beta[0] as number,
    coefficients: Array.from(beta.subarray(1)),
    l2,
    iterations,
    converged,
  };
}

/** Log-odds for every row of `x` (columns matched by name). */
export function logisticMargins(params: LogisticParams, x: FeatureMatrix): Float64Array {
  return linear([params.intercept, ...params.coefficients], alignColumns(x, params.names), x.rows);
}

/** Probabilities for every row of `x`. */
export function predictLogistic(params: LogisticParams, x: FeatureMatrix): Float64Array {
  return logisticMargins(params, x).map(sigmoid);
}

/** coefficient × value of each feature for row `row`: they sum to the margin minus the intercept. */
export function logisticContributions(params: LogisticParams, x: FeatureMatrix, row: number): Float64Array {
  const columns = alignColumns(x, params.names);
  return Float64Array.from(params.coefficients, (c, j) => c * ((columns[j] as Float64Array)[row] as number));
}
