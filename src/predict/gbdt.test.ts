import { describe, expect, it } from "vitest";
import { range, selectRows, selectValues } from "./dataset.js";
import { rocAuc } from "./evaluate.js";
import { fitGbdt } from "./gbdt.js";
import { binColumn, binEdges } from "./gbdt-bins.js";
import { gbdtContributions, gbdtMargins } from "./gbdt-trees.js";
import { fitLogistic, predictLogistic, sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";

/** Two signal features x1, x2 in (−1, 1) plus noise; `signal` gives the true log-odds. */
function dataset(n: number, seed: number, signal: (x1: number, x2: number) => number) {
  const random = seededRandom(seed);
  const names = ["x1", "x2", "noise1", "noise2", "noise3"];
  const columns = names.map(() => new Float64Array(n));
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (const c of columns) c[i] = random.next() * 2 - 1;
    labels[i] = random.next() < sigmoid(signal(columns[0]![i]!, columns[1]![i]!)) ? 1 : 0;
  }
  return { matrix: { names, columns, rows: n }, labels };
}

function compare(signal: (x1: number, x2: number) => number) {
  const { matrix, labels } = dataset(6000, 4, signal);
  const train = range(4000);
  const test = Int32Array.from({ length: 2000 }, (_, i) => 4000 + i);
  const xTrain = selectRows(matrix, train);
  const yTrain = selectValues(labels, train);
  const xTest = selectRows(matrix, test);
  const yTest = selectValues(labels, test);
  const trees = gbdtMargins(fitGbdt(xTrain, yTrain, { trees: 60, seed: 1 }), xTest);
  const linear = predictLogistic(fitLogistic(xTrain, yTrain), xTest);
  return { gbdt: rocAuc(trees, yTest), logistic: rocAuc(linear, yTest) };
}

describe("gradient-boosted trees", () => {
  it("beat logistic regression on an XOR-like signal", () => {
    const auc = compare((x1, x2) => (x1 * x2 > 0 ? 2.5 : -2.5));
    expect(auc.gbdt).toBeGreaterThan(0.85);
    expect(auc.logistic).toBeLessThan(0.6);
  });

  it("match logistic regression on a linear signal", () => {
    const auc = compare((x1, x2) => 2 * x1 - 1.5 * x2);
    expect(auc.logistic).toBeGreaterThan(0.75);
    expect(Math.abs(auc.gbdt - auc.logistic)).toBeLessThan(0.02);
  });

  it("learn a default direction for missing values", () => {
    const random = seededRandom(9);
    const n = 3000;
    const x = new Float64Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const missing = random.next() < 0.3;
      x[i] = missing ? Number.NaN : random.next();
      labels[i] = random.next() < (missing ? 0.8 : 0.1) ? 1 : 0;
    }
    const model = fitGbdt({ names: ["x"], columns: [x], rows: n }, labels, { trees: 20 });
    const p = gbdtMargins(model, {
      names: ["x"],
      columns: [Float64Array.from([Number.NaN, 0.5])],
      rows: 2,
    }).map(sigmoid);
    expect(p[0]).toBeGreaterThan(0.7);
    expect(p[1]).toBeLessThan(0.2);
  });

  it("attribute each prediction to its features (Saabas): bias + contributions = margin", () => {
    const { matrix, labels } = dataset(2000, 5, (x1, x2) => 2 * x1 + (x2 > 0.5 ? 1 : 0));
    const model = fitGbdt(matrix, labels, { trees: 30 });
    const margins = gbdtMargins(model, matrix);
    for (const row of [0, 1, 500, 1999]) {
      const { bias, contributions } = gbdtContributions(model, matrix, row);
      expect(bias + contributions.reduce((a, b) => a + b, 0)).toBeCloseTo(margins[row] ?? 0, 10);
    }
    // Over all rows, the signal features carry far more attribution than the noise.
    const total = new Float64Array(5);
    for (let row = 0; row < 2000; row += 10) {
      gbdtContributions(model, matrix, row).contributions.forEach((c, j) => {
        total[j] = (total[j] ?? 0) + Math.abs(c);
      });
    }
    expect(total[0]).toBeGreaterThan(3 * Math.max(total[2]!, total[3]!, total[4]!));
  });

  it("are deterministic for a seed", () => {
    const { matrix, labels } = dataset(1500, 6, (x1) => 2 * x1);
    const a = JSON.stringify(fitGbdt(matrix, labels, { trees: 10, seed: 3 }));
    const b = JSON.stringify(fitGbdt(matrix, labels, { trees: 10, seed: 3 }));
    const c = JSON.stringify(fitGbdt(matrix, labels, { trees: 10, seed: 4 }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});

describe("bins", () => {
  it("give each of few distinct values its own bin, missing bin 0", () => {
    const column = Float64Array.from([3, 1, 2, Number.NaN, 2, 1]);
    const edges = binEdges(column, 64);
    expect([...edges]).toEqual([1.5, 2.5]);
    expect([...binColumn(column, edges)]).toEqual([3, 1, 2, 0, 2, 1]);
  });

  it("use at most maxBins − 1 value bins, and bin ≤ t ⇔ value ≤ edges[t − 1]", () => {
    const random = seededRandom(2);
    const column = Float64Array.from({ length: 5000 }, () => Math.floor(Math.exp(random.next() * 8)));
    const edges = binEdges(column, 16);
    const bins = binColumn(column, edges);
    expect(edges.length).toBeLessThanOrEqual(14);
    for (let i = 0; i < column.length; i += 7) {
      for (let t = 1; t <= edges.length; t++) expect(bins[i]! <= t).toBe(column[i]! <= edges[t - 1]!);
    }
  });
});
