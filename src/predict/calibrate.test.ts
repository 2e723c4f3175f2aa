import { describe, expect, it } from "vitest";
import {
  applyCalibration,
  chooseCalibration,
  crossFitCalibration,
  fitIsotonic,
  fitPlatt,
} from "./calibrate.js";
import { brierScore } from "./evaluate.js";
import { sigmoid } from "./logistic.js";
import { seededRandom } from "./random.js";
import { normal } from "./synthetic.js";

/** Overconfident scores: the truth is sigmoid(z), the model says sigmoid(2.5·z + 1). */
function miscalibrated(n: number, seed: number) {
  const random = seededRandom(seed);
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = normal(random) - 1.5;
    scores[i] = sigmoid(2.5 * z + 1);
    labels[i] = random.next() < sigmoid(z) ? 1 : 0;
  }
  return { scores, labels };
}

const isNonDecreasing = (values: Float64Array) =>
  values.every((v, i) => i === 0 || v >= (values[i - 1] as number));
const grid = Float64Array.from({ length: 1001 }, (_, i) => i / 1000);

describe("isotonic regression", () => {
  it("pools adjacent violators", () => {
    // Labels 0, 1, 0, 1 by score: the middle 1, 0 violate order and pool to ½.
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.4], Uint8Array.from([0, 1, 0, 1]));
    // One point per block, at its mean score: {0.1}, {0.2, 0.3}, {0.4}.
    expect(fit).toEqual({ method: "isotonic", x: [0.1, 0.25, 0.4], y: [1e-4, 0.5, 1 - 1e-4] });
    // Between points it interpolates; outside it holds the end values.
    const at = applyCalibration(fit, [0.175, 0.25, 0, 1]);
    [(1e-4 + 0.5) / 2, 0.5, 1e-4, 1 - 1e-4].forEach((expected, i) => {
      expect(at[i]).toBeCloseTo(expected, 12);
    });
  });

  it("keeps apart the scores it pooled, so a flag threshold can fall between any two", () => {
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.4], Uint8Array.from([0, 1, 0, 1]));
    const [low, high] = applyCalibration(fit, [0.2, 0.3]);
    expect(low).toBeLessThan(high as number);
    // On many scores: as many distinct probabilities as distinct scores between the end points.
    const { scores, labels } = miscalibrated(5_000, 4);
    const iso = fitIsotonic(scores, labels);
    if (iso.method !== "isotonic") throw new Error("expected isotonic");
    const first = iso.x[0] as number;
    const last = iso.x[iso.x.length - 1] as number;
    const inside = scores.filter((s) => s > first && s < last);
    expect(new Set(applyCalibration(iso, inside)).size).toBe(new Set(inside).size);
    expect(iso.x.length).toBeLessThan(200);
  });

  it("pools tied scores before fitting", () => {
    const fit = fitIsotonic([0.5, 0.5, 0.5, 0.9], Uint8Array.from([1, 0, 0, 1]));
    expect(fit).toEqual({ method: "isotonic", x: [0.5, 0.9], y: [1 / 3, 1 - 1e-4] });
  });
});

describe("calibration", () => {
  const train = miscalibrated(20_000, 1);
  const test = miscalibrated(20_000, 2);

  it.each([
    ["platt", fitPlatt],
    ["isotonic", fitIsotonic],
  ] as const)("%s is monotone and lowers the Brier score of overconfident scores", (_, method) => {
    const calibration = method(train.scores, train.labels);
    expect(isNonDecreasing(applyCalibration(calibration, grid))).toBe(true);
    const before = brierScore(test.scores, test.labels);
    const after = brierScore(applyCalibration(calibration, test.scores), test.labels);
    expect(after).toBeLessThan(before * 0.95);
  });

  it("Platt recovers the distortion", () => {
    // logit(score) = 2.5·z + 1, so the truth is sigmoid(0.4·logit(score) − 0.4).
    const fit = fitPlatt(train.scores, train.labels);
    if (fit.method !== "platt") throw new Error("expected platt");
    expect(fit.a).toBeCloseTo(0.4, 1);
    expect(fit.b).toBeCloseTo(-0.4, 1);
  });

  it("cross-fits: no held-out probability comes from a calibration that saw its own outcome", () => {
    const heldOut = crossFitCalibration(train.scores, train.labels, fitIsotonic, 3);
    const inSample = applyCalibration(fitIsotonic(train.scores, train.labels), train.scores);
    // Flip one outcome: the in-sample fit moves for that row, the held-out probability does not.
    const i = train.labels.findIndex((y, k) => y === 1 && (train.scores[k] as number) > 0.5);
    const flipped = Uint8Array.from(train.labels);
    flipped[i] = 0;
    expect(crossFitCalibration(train.scores, flipped, fitIsotonic, 3)[i]).toBe(heldOut[i]);
    expect(applyCalibration(fitIsotonic(train.scores, flipped), train.scores)[i]).toBeLessThan(
      inSample[i] as number,
    );
    // The chosen method's held-out probabilities are what its Brier score was measured on.
    const chosen = chooseCalibration(train.scores, train.labels, 3);
    const score = chosen.calibration.method === "isotonic" ? chosen.brier.isotonic : chosen.brier.platt;
    expect(brierScore(chosen.heldOut, train.labels)).toBeCloseTo(score as number, 12);
  });

  it("chooses a method by held-out Brier score and never reverses the ranking", () => {
    const { calibration, brier } = chooseCalibration(train.scores, train.labels, 1);
    expect(["platt", "isotonic"]).toContain(calibration.method);
    expect(brier.isotonic).not.toBeNull();
    expect(isNonDecreasing(applyCalibration(calibration, grid))).toBe(true);
    // Scores that rank backwards get a flat Platt fit, not an inverted one.
    const reversed = fitPlatt(
      train.scores.map((s) => 1 - s),
      train.labels,
    );
    expect(reversed).toMatchObject({ method: "platt", a: 0 });
  });
});
