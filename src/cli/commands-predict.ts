import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { AppError } from "../errors.js";
import {
  applyScorecard,
  type ChurnForecast,
  churnForecast,
  DEFAULT_FLAG_PRECISION,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_SEED,
  formatReport,
  predictCurrent,
  proposeScorecard,
  runBacktest,
  trainAndStore,
} from "../predict/index.js";
import { syncScorecardFile, validateScorecard } from "../scoring/index.js";
import { configOf, withStore } from "./context.js";
import { reportError } from "./output.js";

/** `keepwell train`, `backtest`, `predict`, `recommend` and `scorecard apply`. */

interface PredictFlags {
  horizon?: string;
  seed?: string;
  json?: boolean;
  scorecard?: string;
  out?: string;
  precision?: string;
}

/** Where recommend writes its proposal: beside the store's scorecard, named after it. */
function proposedFileOf(scorecardFile: string): string {
  const name = basename(scorecardFile)
    .replace(/\.ya?ml$/i, "")
    .replace(/\.scorecard$/, "");
  return join(dirname(scorecardFile), `${name}.scorecard.proposed.yaml`);
}

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError("bad_request", `--${name} must be a whole number of at least 1, got "${value}"`);
  return n;
}

/** `--precision`: a share strictly between 0 and 1 (default DEFAULT_FLAG_PRECISION). */
function precisionOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_FLAG_PRECISION;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 1)
    throw new AppError(
      "bad_request",
      `--precision must be a share between 0 and 1 (such as 0.4), got "${value}"`,
    );
  return n;
}

/** "expect N (lo–hi) of A accounts, ARR X (lo–hi), to churn within H days; F flagged (ARR)". */
function forecastLine(f: ChurnForecast): string {
  const money = (x: number) => Math.round(x).toLocaleString("en-US");
  const t = f.total;
  const [lo, hi] = t.expected_churns_range;
  const [arrLo, arrHi] = t.expected_churned_arr_range;
  return `  expect ${t.expected_churns.toFixed(1)} (80%: ${lo.toFixed(0)}-${hi.toFixed(0)}) of ${t.accounts} accounts, ARR ${money(t.expected_churned_arr)} (80%: ${money(arrLo)}-${money(arrHi)}), to churn within ${f.horizon_days} days; ${t.flagged} flagged (ARR ${money(t.flagged_arr)})`;
}

const say = (json: boolean | undefined) => (message: string) => {
  if (!json) process.stderr.write(`  ${message}\n`);
};

const round3 = (x: number | null) => (x === null ? "-" : x.toFixed(3));
const pct = (x: number | null) => (x === null ? "-" : `${(x * 100).toFixed(1)}%`);

export function predictCommands(program: Command): void {
  const horizon = `label horizon: churn within this many days (default ${DEFAULT_HORIZON_DAYS})`;
  const precision = `the flag's precision on the backtest: of the accounts flagged, the share that churned within the horizon (default ${DEFAULT_FLAG_PRECISION}); lower warns earlier and more often`;

  program
    .command("train")
    .description(
      "learn churn from the score history (backfilled when missing), store the model and its backtest, and predict every current account",
    )
    .option("--horizon <days>", horizon)
    .option("--precision <share>", precision)
    .option("--seed <n>", `random seed (default ${DEFAULT_SEED}); the same data and seed give the same model`)
    .option("--json", "print the model version, its backtest and the predictions written as JSON")
    .action(async (flags: PredictFlags) => {
      try {
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const scorecard = await syncScorecardFile(db, config.scorecardFile);
          const r = await trainAndStore(db, {
            horizonDays: wholeNumber(flags.horizon, "horizon", DEFAULT_HORIZON_DAYS),
            seed: wholeNumber(flags.seed, "seed", DEFAULT_SEED),
            train: { flagPrecision: precisionOf(flags.precision) },
            scorecard,
            onProgress: say(flags.json),
          });
          if (flags.json) {
            console.log(
              JSON.stringify(
                {
                  version: r.version,
                  kind: r.model.kind,
                  horizon_days: r.model.horizon_days,
                  features: r.model.feature_names.length,
                  training: r.model.training,
                  flag: r.model.flag,
                  predictions: r.predictions,
                  scored_as_of: r.scored_as_of,
                  backfilled_months: r.history.months.length,
                  history_missing_metrics: r.history.missing_metrics,
                  report: r.report,
                },
                null,
                2,
              ),
            );
            return;
          }
          console.log(
            `model v${r.version} (${r.model.kind}, churn within ${r.model.horizon_days} days) trained on ${r.model.training.rows} observations (${r.model.training.positives} churned), ${r.model.feature_names.length} features`,
          );
          console.log(
            `  backtest AUC ${round3(r.report.model.auc)} (scorecard ${round3(r.report.scorecard.auc)}); churners warned >= 60 days ahead: ${pct(r.report.model.lead_60_share)} at flag precision ${pct(r.report.model.precision)} (scorecard ${pct(r.report.scorecard.lead_60_share)} at ${pct(r.report.scorecard.precision)})`,
          );
          console.log(
            `  churn probability and top drivers written for ${r.predictions.accounts} current accounts${r.predictions.history_rows ? ` and ${r.predictions.history_rows} history snapshots` : ""}`,
          );
          const forecast = await churnForecast(db);
          if (forecast) console.log(forecastLine(forecast));
          console.log("  full report: keepwell backtest, or GET /api/v1/model/report");
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  program
    .command("backtest")
    .description(
      "how early and how accurately the learned model and the scorecard would have warned of past churn, side by side",
    )
    .option("--horizon <days>", horizon)
    .option("--precision <share>", precision)
    .option(
      "--scorecard <file>",
      "evaluate this scorecard YAML instead of the active one (nothing is stored)",
    )
    .option("--seed <n>", `random seed (default ${DEFAULT_SEED})`)
    .option("--json", "print the report as JSON (model.auc, model.lead_60_share, scorecard.auc, …)")
    .action(async (flags: PredictFlags) => {
      try {
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const active = await syncScorecardFile(db, config.scorecardFile);
          let evaluate: { scorecard: typeof active.scorecard; version: null; source: string } | undefined;
          if (flags.scorecard) {
            const file = resolve(flags.scorecard);
            if (!existsSync(file)) throw new AppError("not_found", `no scorecard file at ${file}`);
            const scorecard = await validateScorecard(db, readFileSync(file, "utf8")).catch(
              (err: unknown) => {
                if (err instanceof AppError)
                  throw new AppError(err.code, `${file}: ${err.message}`, { details: err.details });
                throw err;
              },
            );
            evaluate = { scorecard, version: null, source: file };
          }
          const { report } = await runBacktest(db, {
            horizonDays: wholeNumber(flags.horizon, "horizon", DEFAULT_HORIZON_DAYS),
            seed: wholeNumber(flags.seed, "seed", DEFAULT_SEED),
            train: { flagPrecision: precisionOf(flags.precision) },
            scorecard: active,
            evaluate,
            onProgress: say(flags.json),
          });
          console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  program
    .command("predict")
    .description(
      "write the stored model's churn probability and drivers for every current account (no retraining)",
    )
    .option("--json", "print what was written as JSON")
    .action(async (flags: PredictFlags) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const r = await predictCurrent(db);
          const forecast = (await churnForecast(db)) ?? null;
          if (flags.json) console.log(JSON.stringify({ ...r, forecast }, null, 2));
          else {
            console.log(`model v${r.model_version}: churn probability written for ${r.accounts} accounts`);
            if (forecast) console.log(forecastLine(forecast));
          }
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  program
    .command("recommend")
    .description(
      "propose scorecard weights learned from the history, in a scorecard file with its backtest beside the current one's",
    )
    .option(
      "--out <file>",
      "where to write it (default keepwell.scorecard.proposed.yaml beside the scorecard)",
    )
    .option("--horizon <days>", horizon)
    .option("--json", "print the proposal as JSON (weights, reasons, both backtests)")
    .action(async (flags: PredictFlags) => {
      try {
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const scorecard = await syncScorecardFile(db, config.scorecardFile);
          const p = await proposeScorecard(db, {
            horizonDays: wholeNumber(flags.horizon, "horizon", DEFAULT_HORIZON_DAYS),
            scorecard,
            onProgress: say(flags.json),
          });
          const out = resolve(flags.out ?? proposedFileOf(config.scorecardFile));
          writeFileSync(out, p.yaml);
          if (flags.json) {
            const { yaml: _yaml, ...rest } = p;
            console.log(JSON.stringify({ file: out, ...rest }, null, 2));
            return;
          }
          console.log(`proposed scorecard written to ${out}`);
          console.log(
            `  proposed:   AUC ${round3(p.proposed.auc)}, warned >= 60 days ${pct(p.proposed.lead_60_share)}, flag precision ${pct(p.proposed.precision)}, recall ${pct(p.proposed.recall)}`,
          );
          console.log(
            `  current v${scorecard.version}: AUC ${round3(p.current.auc)}, warned >= 60 days ${pct(p.current.lead_60_share)}, flag precision ${pct(p.current.precision)}, recall ${pct(p.current.recall)}`,
          );
          for (const c of p.recommendation.categories)
            console.log(
              `  ${c.key.padEnd(24)} ${String(c.current_weight).padStart(3)} -> ${c.proposed_weight}`,
            );
          console.log(`  review it, then: keepwell scorecard apply ${out}`);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  const scorecard = program.command("scorecard").description("manage the scorecard");
  scorecard
    .command("apply <file>")
    .description(
      "validate a scorecard file and make it the new active version (and the active scorecard file)",
    )
    .option("--json", "print the new version as JSON")
    .action(async (file: string, flags: PredictFlags) => {
      try {
        const config = configOf(program);
        const path = resolve(file);
        if (!existsSync(path)) throw new AppError("not_found", `no scorecard file at ${path}`);
        await withStore(program, { config }, async ({ db }) => {
          await syncScorecardFile(db, config.scorecardFile);
          const r = await applyScorecard(db, readFileSync(path, "utf8"), {
            file: path,
            activeFile: config.scorecardFile,
          });
          if (flags.json)
            console.log(JSON.stringify({ ...r, scorecard_file: config.scorecardFile }, null, 2));
          else if (!r.changed) console.log(`${path} is already the active scorecard (v${r.version})`);
          else
            console.log(
              `scorecard v${r.version} is active (was v${r.previous_version}); written to ${config.scorecardFile}\n  rescore with: keepwell score (and keepwell score --backfill --from DATE for the history), then keepwell train`,
            );
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });
}
