import { describe, expect, it } from "vitest";
import { applyCalibration } from "./calibrate.js";
import { selectRows } from "./dataset.js";
import { sigmoid } from "./logistic.js";
import { explain, explainRows, modelMargins, predict } from "./model.js";
import { syntheticChurn } from "./synthetic.js";
import { trainModel, trainModelInParallel } from "./train.js";

const data = syntheticChurn({ accounts: 400, dates: 12, features: 12, seed: 21 });
const options = { seed: 5, gbdt: { trees: 40 } };

describe("trainModel", () => {
  const { model, outOfFold } = trainModel(data, options);

  it("backtests both learners on rolling-origin splits and keeps the better one", () => {
    expect(model.backtest.method).toBe("rolling_origin");
    expect(model.backtest.candidates.map((c) => c.kind)).toEqual(["logistic", "gbdt"]);
    const best = Math.max(...model.backtest.candidates.map((c) => c.auc ?? 0));
    expect(model.backtest.candidates.find((c) => c.kind === model.kind)?.auc).toBe(best);
    expect(model.backtest.chosen).toBe(model.kind);
    expect(best).toBeGreaterThan(0.7);
    expect(model.backtest.report?.auc).toBeCloseTo(best, 2);
    // Only observations from the sixth date on are tested.
    expect(outOfFold.rows.length).toBe(400 * 7);
  });

  it("is plain JSON and deterministic for a seed", () => {
    const json = JSON.stringify(model);
    expect(JSON.stringify(trainModel(data, options).model)).toBe(json);
    const stored = JSON.parse(json);
    expect(predict(stored, data.matrix)).toEqual(predict(model, data.matrix));
  });

  it("trains the same model on worker threads", async () => {
    const parallel = await trainModelInParallel(data, options, 2);
    expect(JSON.stringify(parallel.model)).toBe(JSON.stringify(model));
    expect(Array.from(parallel.outOfFold.probability)).toEqual(Array.from(outOfFold.probability));
  });

  it("reports a fit that fails, on the calling thread and on worker threads alike", async () => {
    const bad = { ...options, gbdt: { trees: 5, learningRate: 0 } };
    expect(() => trainModel(data, bad)).toThrow(/gbdt option learningRate must be in \(0, 1\], got 0/);
    await expect(trainModelInParallel(data, bad, 2)).rejects.toThrow(
      /training thread failed: RangeError: gbdt option learningRate must be in \(0, 1\], got 0/,
    );
  });

  it("predicts calibrated probabilities and flags at the backtest threshold", () => {
    const p = predict(model, data.matrix);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    expect(p).toEqual(applyCalibration(model.calibration, modelMargins(model, data.matrix).map(sigmoid)));
    expect(model.flag?.precision).toBeGreaterThanOrEqual(0.4);
  });

  it("flags at the precision asked for, and refuses one outside (0, 1)", () => {
    const loose = trainModel(data, { ...options, flagPrecision: 0.2 }).model;
    expect(loose.flag?.min_precision).toBe(0.2);
    expect(loose.flag?.precision).toBeGreaterThanOrEqual(0.2);
    expect(loose.flag?.threshold).toBeLessThanOrEqual(model.flag?.threshold ?? 0);
    expect(loose.flag?.recall).toBeGreaterThanOrEqual(model.flag?.recall ?? 1);
    for (const bad of [0, 1, Number.NaN])
      expect(() => trainModel(data, { ...options, flagPrecision: bad })).toThrow(/flagPrecision/);
  });

  it("explains a prediction by its top features", () => {
    const top = explain(model, data.matrix, 3, 4);
    expect(top).toHaveLength(4);
    for (const c of top) expect(data.matrix.names).toContain(c.feature);
    const sizes = top.map((c) => Math.abs(c.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(explainRows(model, selectRows(data.matrix, [3]), 4)[0]).toEqual(top);
  });

  it("explains a logistic model with missing indicators folded into their features", () => {
    const logistic = trainModel(data, { ...options, candidates: ["logistic"] }).model;
    expect(logistic.kind).toBe("logistic");
    const rows = explainRows(logistic, data.matrix, 100);
    const row = rows.find((r) => r.some((c) => c.value === null));
    expect(row).toBeDefined();
    for (const c of row ?? []) expect(c.feature.endsWith(":missing")).toBe(false);
    if (logistic.kind !== "logistic") throw new Error("expected logistic");
    // Contributions (all features) add up to the margin minus the intercept.
    const margin = modelMargins(logistic, data.matrix)[0] ?? 0;
    const sum = (rows[0] ?? []).reduce((s, c) => s + c.contribution, 0);
    expect(logistic.params.intercept + sum).toBeCloseTo(margin, 10);
  });

  it("trains without failing when nobody churned", () => {
    const quiet = { ...data, labels: new Uint8Array(data.labels.length) };
    const result = trainModel(quiet, { seed: 1, gbdt: { trees: 5 } });
    expect(result.model.calibration.method).toBe("none");
    expect(result.model.flag).toBeNull();
    expect(predict(result.model, data.matrix).every((p) => p < 0.01)).toBe(true);
  });

  it("falls back to group k-fold for a short history", () => {
    const short = syntheticChurn({ accounts: 300, dates: 4, features: 10, seed: 22 });
    const result = trainModel(short, { seed: 1, gbdt: { trees: 20 } });
    expect(result.model.backtest.method).toBe("group_kfold");
    expect(result.model.backtest.splits).toHaveLength(5);
    expect(result.outOfFold.rows.length).toBe(300 * 4);
  });
});
