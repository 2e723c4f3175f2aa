import {
  applyTransform,
  explainRows,
  fitGbdt,
  fitLogistic,
  fitTransform,
  gbdtMargins,
  predict,
  predictLogistic,
  rocAuc,
  trainModel,
} from "../src/predict/index.js";
import { syntheticChurn } from "../src/predict/synthetic.js";
import { argValue, peakRssMb } from "./store-for-bench.js";

/** Starts a stopwatch; `stop()` gives wall and CPU seconds (CPU is steadier on a busy machine). */
function stopwatch() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      s: Math.round((performance.now() - wall) / 10) / 100,
      cpu_s: Math.round((used.user + used.system) / 10_000) / 100,
    };
  };
}
const round3 = (x: number | null | undefined) => (typeof x === "number" ? Math.round(x * 1000) / 1000 : null);

/**
 * `npm run bench -- predict [--rows 100000] [--features 40] [--trees 100] [--predict 10000] [--seed 7] [--select yes|no]`
 *
 * Synthetic observations (20 monthly dates per account; skewed counts, missing
 * values, a threshold and an interaction in the signal): times fitting each
 * learner on every row, the full selection (both learners backtested on
 * rolling-origin splits, calibration, refit), and predicting + explaining a
 * fresh hold-out set. Targets (issue 5): train 100,000 × 40 < 30 s; predict 10,000 < 2 s.
 */
export async function main(args: string[]): Promise<void> {
  const rows = Number(argValue(args, "rows", "100000"));
  const features = Number(argValue(args, "features", "40"));
  const trees = Number(argValue(args, "trees", "100"));
  const predictRows = Number(argValue(args, "predict", "10000"));
  const seed = Number(argValue(args, "seed", "7"));
  const runSelect = argValue(args, "select", "yes") !== "no";
  const dates = 20;
  const data = syntheticChurn({ accounts: Math.ceil(rows / dates), dates, features, seed });
  const holdout = syntheticChurn({
    accounts: Math.ceil(predictRows / dates),
    dates,
    features,
    seed: seed + 1,
  });
  const result: Record<string, unknown> = {
    rows: data.matrix.rows,
    features: data.matrix.names.length,
    churn_rate: round3(data.labels.reduce((a, b) => a + b, 0) / data.labels.length),
  };

  let stop = stopwatch();
  const transform = fitTransform(data.matrix);
  const logistic = fitLogistic(applyTransform(transform, data.matrix), data.labels);
  result.logistic_train = { ...stop(), iterations: logistic.iterations };

  stop = stopwatch();
  const gbdt = fitGbdt(data.matrix, data.labels, { trees, seed });
  result.gbdt_train = { ...stop(), trees: gbdt.trees.length };

  result.holdout_auc = {
    logistic: round3(
      rocAuc(predictLogistic(logistic, applyTransform(transform, holdout.matrix)), holdout.labels),
    ),
    gbdt: round3(rocAuc(gbdtMargins(gbdt, holdout.matrix), holdout.labels)),
    truth: round3(rocAuc(holdout.truth, holdout.labels)),
  };

  if (runSelect) {
    stop = stopwatch();
    const { model } = trainModel(data, { seed, gbdt: { trees } });
    result.select_train = stop();
    result.select = {
      method: model.backtest.method,
      splits: model.backtest.splits.length,
      chosen: model.kind,
      backtest_auc: Object.fromEntries(model.backtest.candidates.map((c) => [c.kind, round3(c.auc)])),
      calibration: model.calibration.method,
      model_json_kb: Math.round(JSON.stringify(model).length / 1024),
    };
    stop = stopwatch();
    const p = predict(model, holdout.matrix);
    result.predict = { ...stop(), rows: holdout.matrix.rows };
    stop = stopwatch();
    explainRows(model, holdout.matrix, 5);
    result.explain_top5 = stop();
    result.holdout_auc_selected = round3(rocAuc(p, holdout.labels));
  }
  result.peak_rss_mb = peakRssMb();
  console.log(JSON.stringify(result));
}
