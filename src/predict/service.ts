import { metricLabel } from "../domain/index.js";
import { AppError } from "../errors.js";
import {
  activeScorecard,
  runScoring,
  type ScorecardVersion,
  saveScorecard,
  validateScorecard,
  writeScorecardFile,
} from "../scoring/index.js";
import type { Db } from "../store/index.js";
import { type FeatureMatrix, type Labels, selectRows, selectValues } from "./dataset.js";
import { type EnsureHistoryResult, ensureHistory, observationMonths } from "./history.js";
import type { TrainedModel } from "./model.js";
import { latestModel, saveModel } from "./model-store.js";
import { labelledRows, loadObservations, type ObservationSet } from "./observations.js";
import { orderedScorecard } from "./proposal-shape.js";
import { type RefreshResult, refreshCurrentPredictions, refreshHistoryPredictions } from "./refresh.js";
import { type BacktestReport, backtestReport } from "./report.js";
import { type TrainOptions, trainModelInParallel } from "./train.js";

/**
 * The prediction engine over the store: observations from the score history
 * (backfilled when missing), training with a fixed seed, the backtest report,
 * storing the model and writing its predictions.
 */

export const DEFAULT_SEED = 1;
export const DEFAULT_HORIZON_DAYS = 90;

export interface PrepareOptions {
  horizonDays?: number;
  /** The last known date (default: the newest dated fact). */
  knownUntil?: string;
  /** The scorecard that backfills missing history (default: the active one). */
  scorecard?: ScorecardVersion;
  onProgress?: (message: string) => void;
}

export interface Prepared {
  set: ObservationSet;
  /** Labelled rows (indices into the set): what the model learns from. */
  trainRows: Int32Array;
  data: { matrix: FeatureMatrix; labels: Labels; accounts: string[]; dates: string[] };
  history: EnsureHistoryResult;
  scorecard: ScorecardVersion;
}

/** Backfills what the history lacks, then reads the observations. Throws when nothing can be learned. */
export async function prepareObservations(db: Db, opts: PrepareOptions = {}): Promise<Prepared> {
  const scorecard = opts.scorecard ?? (await activeScorecard(db));
  const history = await ensureHistory(db, scorecard, {
    onMonth: (asOf, accounts) => opts.onProgress?.(`backfilled ${asOf.slice(0, 7)}: ${accounts} accounts`),
  });
  const months = observationMonths(history.span);
  if (history.missing_metrics.length > 0 && months.length > 0) {
    opts.onProgress?.(
      `the history was scored before Keepwell computed ${history.missing_metrics.map(metricLabel).join(", ")}: the model cannot learn from ${history.missing_metrics.length === 1 ? "it" : "them"} until \`keepwell score --backfill --from ${months[0]?.slice(0, 10)} --to ${months.at(-1)?.slice(0, 10)}\` replays the history`,
    );
  }
  const set = await loadObservations(db, {
    horizonDays: opts.horizonDays ?? DEFAULT_HORIZON_DAYS,
    knownUntil: opts.knownUntil,
  });
  const trainRows = labelledRows(set);
  let positives = 0;
  for (const i of trainRows) positives += set.labels[i] as number;
  if (trainRows.length === 0 || positives === 0 || positives === trainRows.length) {
    throw new AppError(
      "bad_request",
      `cannot learn churn from this history: ${set.accounts.length} observations, ${trainRows.length} with a known outcome, ${positives} of them churned within ${set.horizonDays} days (needs both churned and retained accounts, and history older than the horizon)`,
    );
  }
  const data = {
    matrix: selectRows(set.matrix, trainRows),
    labels: selectValues(set.labels, trainRows),
    accounts: Array.from(trainRows, (i) => set.accounts[i] as string),
    dates: Array.from(trainRows, (i) => set.dates[i] as string),
  };
  return { set, trainRows, data, history, scorecard };
}

export interface BacktestOptions extends PrepareOptions {
  seed?: number;
  /** Evaluate this scorecard instead of the active one. */
  evaluate?: { scorecard: ScorecardVersion["scorecard"]; version: number | null; source: string };
  train?: Omit<TrainOptions, "horizonDays" | "seed">;
}

export interface BacktestResult {
  prepared: Prepared;
  model: TrainedModel;
  report: BacktestReport;
}

/** Trains on the history (deterministic for the seed) and reports model and scorecard side by side. */
export async function runBacktest(db: Db, opts: BacktestOptions = {}): Promise<BacktestResult> {
  const prepared = await prepareObservations(db, opts);
  const { set, trainRows, data, scorecard } = prepared;
  opts.onProgress?.(
    `training on ${data.matrix.rows} observations × ${data.matrix.names.length} features (horizon ${set.horizonDays} days)`,
  );
  const { model, outOfFold } = await trainModelInParallel(data, {
    ...opts.train,
    horizonDays: set.horizonDays,
    seed: opts.seed ?? DEFAULT_SEED,
  });
  opts.onProgress?.(`trained: ${model.kind}, backtest AUC ${model.backtest.report?.auc?.toFixed(3) ?? "-"}`);
  const report = backtestReport({
    set,
    trainRows,
    model,
    outOfFold,
    scorecard: opts.evaluate ?? {
      scorecard: scorecard.scorecard,
      version: scorecard.version,
      source: "active",
    },
  });
  return { prepared, model, report };
}

export interface TrainFlowResult {
  version: number;
  model: TrainedModel;
  report: BacktestReport;
  predictions: RefreshResult;
  history: EnsureHistoryResult;
  /** Set when there were no current scores: the accounts were scored as of the last known date first. */
  scored_as_of: string | null;
}

/**
 * `keepwell train`: backtest and train, store the model (a new version) with
 * its report, then write its predictions for the current accounts (scoring
 * them as of the last known date first when nothing is scored) and for the
 * history's observations.
 */
export async function trainAndStore(
  db: Db,
  opts: BacktestOptions & { history?: boolean } = {},
): Promise<TrainFlowResult> {
  const { prepared, model, report } = await runBacktest(db, opts);
  const version = await saveModel(db, model, report);
  let scoredAsOf: string | null = null;
  const [current] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM current_scores");
  if ((current?.n ?? 0) === 0 && prepared.set.knownUntil) {
    scoredAsOf = prepared.set.knownUntil;
    opts.onProgress?.(`no current scores: scoring as of ${scoredAsOf}`);
    await runScoring(db, { asOf: scoredAsOf, scorecard: prepared.scorecard, target: "current" });
  }
  const written = await refreshCurrentPredictions(db, { version, model });
  opts.onProgress?.(`stored model v${version}; predicted ${written.accounts} current accounts`);
  const historyRows = opts.history === false ? 0 : await refreshHistoryPredictions(db, model, prepared.set);
  return {
    version,
    model,
    report,
    predictions: { ...written, history_rows: historyRows },
    history: prepared.history,
    scored_as_of: scoredAsOf,
  };
}

/** `keepwell predict`: the stored model's predictions for the current accounts (no retraining). */
export async function predictCurrent(
  db: Db,
  opts: { accounts?: readonly string[] } = {},
): Promise<RefreshResult> {
  const stored = await latestModel(db);
  if (!stored) throw new AppError("not_found", "no churn model yet: run keepwell train");
  return { ...(await refreshCurrentPredictions(db, stored, opts)), history_rows: 0 };
}

/**
 * `keepwell scorecard apply FILE`: validates the scorecard text and makes it
 * the active version (source "recommend"), then writes the active scorecard file.
 */
export async function applyScorecard(
  db: Db,
  text: string,
  opts: { file?: string; activeFile?: string } = {},
): Promise<{ version: number; previous_version: number; changed: boolean }> {
  const scorecard = await validateScorecard(db, text).catch((err: unknown) => {
    if (err instanceof AppError && opts.file)
      throw new AppError(err.code, `${opts.file}: ${err.message}`, { details: err.details });
    throw err;
  });
  const previous = await activeScorecard(db);
  const saved = await saveScorecard(db, scorecard, "recommend");
  if (opts.activeFile) writeScorecardFile(opts.activeFile, orderedScorecard(saved.scorecard));
  return {
    version: saved.version,
    previous_version: previous.version,
    changed: saved.version !== previous.version,
  };
}
