import { describe, expect, it } from "vitest";
import { fitLogistic, logisticContributions, logisticMargins, sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";
import { normal } from "./synthetic.js";

function linearData(n: number, seed: number, beta: readonly number[], intercept: number) {
  const random = seededRandom(seed);
  const columns = beta.map(() => new Float64Array(n));
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = intercept;
    beta.forEach((b, j) => {
      const v = normal(random);
      (columns[j] as Float64Array)[i] = v;
      z += b * v;
    });
    labels[i] = random.next() < sigmoid(z) ? 1 : 0;
  }
  return { matrix: { names: beta.map((_, j) => `x${j + 1}`), columns, rows: n }, labels };
}

describe("logistic regression", () => {
  it("recovers known coefficients", () => {
    const { matrix, labels } = linearData(20_000, 1, [1, -2, 0], 0.5);
    const model = fitLogistic(matrix, labels, { l2: 0.01 });
    expect(model.converged).toBe(true);
    expect(model.iterations).toBeLessThan(15);
    expect(model.intercept).toBeCloseTo(0.5, 1);
    expect(model.coefficients[0]).toBeCloseTo(1, 1);
    expect(model.coefficients[1]).toBeCloseTo(-2, 1);
    expect(Math.abs(model.coefficients[2] ?? 1)).toBeLessThan(0.06);
  });

  it("shrinks coefficients as the L2 penalty grows, and stays finite on separable data", () => {
    const { matrix, labels } = linearData(2_000, 2, [1, -2, 0], 0.5);
    const loose = fitLogistic(matrix, labels, { l2: 0.01 });
    const tight = fitLogistic(matrix, labels, { l2: 1000 });
    expect(Math.abs(tight.coefficients[1] ?? 0)).toBeLessThan(Math.abs(loose.coefficients[1] ?? 0));
    const separable = {
      names: ["x"],
      columns: [Float64Array.from([-2, -1, 1, 2])],
      rows: 4,
    };
    const fit = fitLogistic(separable, Uint8Array.from([0, 0, 1, 1]), { l2: 0.1 });
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(fit.coefficients[0]).toBeGreaterThan(1);
  });

  it("contributions add up to the margin", () => {
    const { matrix, labels } = linearData(500, 3, [0.5, -1], 0);
    const model = fitLogistic(matrix, labels);
    const margins = logisticMargins(model, matrix);
    for (const row of [0, 7, 99]) {
      const sum = logisticContributions(model, matrix, row).reduce((a, b) => a + b, 0);
      expect(model.intercept + sum).toBeCloseTo(margins[row] ?? 0, 10);
    }
  });
});
