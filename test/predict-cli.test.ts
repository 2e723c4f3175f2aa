import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { storeName } from "./helpers/db.js";

const run = promisify(execFile);

/** `keepwell train`, `backtest`, `recommend` and `scorecard apply` as a person runs them, on their own store. */
describe.skipIf(storeName !== "pglite")(
  "keepwell train / backtest / recommend / scorecard apply (commands)",
  () => {
    const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
    const dir = mkdtempSync(join(tmpdir(), "keepwell-predict-cli-"));
    const dataDir = join(dir, ".keepwell");
    const { DATABASE_URL: _url, KEEPWELL_DATA_DIR: _dir, KEEPWELL_SCORECARD: _file, ...env } = process.env;
    const keepwell = (...args: string[]) => run("node", [cli, "--data-dir", dataDir, ...args], { env });

    it("trains, backtests as JSON, recommends a scorecard file and applies it", async () => {
      await keepwell(
        "simulate",
        "--accounts",
        "80",
        "--months",
        "12",
        "--seed",
        "predict-cli",
        "--end",
        "2025-07-01",
      );

      const train = JSON.parse((await keepwell("train", "--json")).stdout);
      expect(train.version).toBe(1);
      expect(train.predictions.accounts).toBeGreaterThan(40);

      const backtest = JSON.parse((await keepwell("backtest", "--json", "--horizon", "90")).stdout);
      for (const key of ["model", "scorecard"]) {
        expect(backtest[key].auc).toBeGreaterThanOrEqual(0);
        expect(backtest[key].auc).toBeLessThanOrEqual(1);
        expect(backtest[key]).toHaveProperty("lead_60_share");
      }
      expect(backtest.model.auc).toBe(train.report.model.auc);

      // A lower precision flags more: it warns as early or earlier, and catches as many or more.
      const at = async (precision: string) =>
        JSON.parse((await keepwell("backtest", "--json", "--precision", precision)).stdout).model;
      const [loose, strict] = [await at("0.1"), await at("0.3")];
      expect([loose.flag_min_precision, strict.flag_min_precision]).toEqual([0.1, 0.3]);
      expect(loose.precision).toBeGreaterThanOrEqual(0.1);
      expect(strict.precision).toBeGreaterThanOrEqual(0.3);
      expect(loose.flag_threshold).toBeLessThan(strict.flag_threshold);
      expect(loose.recall).toBeGreaterThan(strict.recall);
      expect(loose.lead_60_share).toBeGreaterThanOrEqual(strict.lead_60_share);

      const predicted = JSON.parse((await keepwell("predict", "--json")).stdout);
      expect(predicted.accounts).toBe(train.predictions.accounts);
      expect(predicted.forecast.total.accounts).toBe(predicted.accounts);
      expect(predicted.forecast.total.expected_churns).toBeGreaterThan(0);
      const [lo, hi] = predicted.forecast.total.expected_churns_range as [number, number];
      expect(lo).toBeLessThanOrEqual(predicted.forecast.total.expected_churns);
      expect(hi).toBeGreaterThan(predicted.forecast.total.expected_churns);
      expect((await keepwell("predict")).stdout).toMatch(
        new RegExp(
          `expect \\d+\\.\\d \\(80%: ${lo.toFixed(0)}-${hi.toFixed(0)}\\) of \\d+ accounts, ARR [\\d,]+ \\(80%: [\\d,]+-[\\d,]+\\), to churn within 90 days`,
        ),
      );

      const human = await keepwell("backtest");
      expect(human.stdout).toMatch(/ROC AUC/);
      expect(human.stdout).toMatch(/warned >= 60 days/);

      const recommend = JSON.parse((await keepwell("recommend", "--json")).stdout);
      const proposed = join(dir, "keepwell.scorecard.proposed.yaml");
      expect(recommend.file).toBe(proposed);
      expect(readFileSync(proposed, "utf8")).toMatch(/^# Keepwell proposed scorecard/);

      const applied = JSON.parse((await keepwell("scorecard", "apply", proposed, "--json")).stdout);
      expect(applied).toMatchObject({ previous_version: 1, version: 2, changed: true });
      expect(existsSync(join(dir, "keepwell.scorecard.yaml"))).toBe(true);

      const bad = await keepwell("backtest", "--horizon", "0", "--json").catch((e) => e);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).error.message).toMatch(/--horizon/);
      const badPrecision = await keepwell("train", "--precision", "1.5", "--json").catch((e) => e);
      expect(badPrecision.code).toBe(1);
      expect(JSON.parse(badPrecision.stdout).error.message).toMatch(
        /--precision must be a share between 0 and 1/,
      );
    }, 120_000);
  },
);
