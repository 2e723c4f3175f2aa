import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";
import { applyTransform, fitTransform } from "./transform.js";

const matrix = (columns: Record<string, number[]>) => {
  const names = Object.keys(columns);
  return {
    names,
    columns: names.map((n) => Float64Array.from(columns[n] ?? [])),
    rows: columns[names[0] ?? ""]?.length ?? 0,
  };
};

describe("feature transform", () => {
  it("uses the training rows' statistics only", () => {
    const m = matrix({ x: [1, 2, 3, 100, 200, Number.NaN] });
    const t = fitTransform(m, { rows: [0, 1, 2], log: [] });
    // Training values 1, 2, 3: mean 2, sd √(2/3), median 2, nothing missing → no indicator.
    expect(t.features[0]).toEqual({
      name: "x",
      log: false,
      median: 2,
      mean: 2,
      sd: Math.sqrt(2 / 3),
      indicator: false,
    });
    const out = applyTransform(t, m);
    expect(out.names).toEqual(["x"]);
    expect(out.columns[0]?.[3]).toBeCloseTo(98 / Math.sqrt(2 / 3), 10);
    expect(out.columns[0]?.[5]).toBe(0); // imputed with the training median, standardised
  });

  it("imputes the median and adds an indicator for features missing in training", () => {
    const m = matrix({ x: [1, Number.NaN, 3, 4, Number.NaN] });
    const t = fitTransform(m, { log: [] });
    // Present 1, 3, 4: median 3, mean 8/3.
    expect(t.outputs).toEqual(["x", "x:missing"]);
    const out = applyTransform(t, m);
    const sd = t.features[0]?.sd ?? 1;
    expect(out.columns[0]?.[1]).toBeCloseTo((3 - 8 / 3) / sd, 12);
    expect([...(out.columns[1] ?? [])]).toEqual([0, 1, 0, 0, 1]);
  });

  it("gives features missing on the same training rows one indicator", () => {
    const N = Number.NaN;
    const m = matrix({ a: [N, 1, 2, 3], b: [N, 5, 6, 7], c: [8, N, 6, 7], d: [N, 1, 1, N] });
    const t = fitTransform(m, { log: [] });
    expect(t.outputs).toEqual(["a", "a:missing", "b", "c", "c:missing", "d", "d:missing"]);
    const out = applyTransform(t, m);
    expect(Array.from(out.columns[1] ?? [])).toEqual([1, 0, 0, 0]);
    // Judged on the training rows only: outside them b's missing rows differ from a's, yet it shares.
    const u = fitTransform(matrix({ a: [N, 1, 2, 3], b: [N, 5, 6, N] }), { log: [], rows: [0, 1, 2] });
    expect(u.outputs).toEqual(["a", "a:missing", "b"]);
  });

  it("takes the median of an even count as the mean of the middle two", () => {
    expect(fitTransform(matrix({ x: [4, 1, Number.NaN, 3, 2] }), { log: [] }).features[0]?.median).toBe(2.5);
    const random = seededRandom(3);
    for (const n of [1, 2, 7, 50, 51]) {
      const values = Array.from({ length: n }, () => Math.floor(random.next() * 10));
      const sorted = [...values].sort((a, b) => a - b);
      const expected = n % 2 ? sorted[n >> 1] : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2;
      expect(fitTransform(matrix({ x: values }), { log: [] }).features[0]?.median).toBe(expected);
    }
  });

  it("logs skewed non-negative counts only", () => {
    const skewed = [0, 0, 1, 1, 2, 3, 5, 8, 40, 300];
    const t = fitTransform(
      matrix({
        count: skewed,
        normal: [-1.2, 0.3, 0.5, -0.4, 1.1, 0.2, -0.7, 0.9, 0, -0.1],
        binary: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        negative: skewed.map((v) => v - 1),
      }),
    );
    expect(t.features.map((f) => [f.name, f.log])).toEqual([
      ["count", true],
      ["normal", false],
      ["binary", false],
      ["negative", false],
    ]);
    const mean = skewed.reduce((s, v) => s + Math.log1p(v), 0) / skewed.length;
    expect(t.features[0]?.mean).toBeCloseTo(mean, 12);
  });

  it("is plain JSON, matches columns by name and treats an absent column as missing", () => {
    const m = matrix({ a: [1, 2, Number.NaN], b: [5, 6, 7] });
    const t = JSON.parse(JSON.stringify(fitTransform(m, { log: [] })));
    const swapped = applyTransform(t, matrix({ b: [5, 6, 7], a: [1, 2, Number.NaN] }));
    expect(swapped).toEqual(applyTransform(t, m));
    const withoutA = applyTransform(t, matrix({ b: [5, 6, 7] }));
    expect([...(withoutA.columns[1] ?? [])]).toEqual([1, 1, 1]);
  });
});
