export { applyCalibration, type Calibration, chooseCalibration, fitIsotonic, fitPlatt } from "./calibrate.js";
export {
  alignColumns,
  columnOf,
  countPositives,
  dayDate,
  dayNumber,
  emptyMatrix,
  type FeatureMatrix,
  type Labels,
  matrixFromRecords,
  type Observations,
  range,
  rowRecord,
  selectRows,
  selectValues,
} from "./dataset.js";
export {
  averagePrecision,
  brierScore,
  type CalibrationBin,
  calibrationTable,
  type FlagQuality,
  flagQuality,
  type RankingReport,
  rankingReport,
  rocAuc,
  thresholdForPrecision,
  topLift,
} from "./evaluate.js";
export { type ChurnForecast, churnForecast, type ForecastGroup } from "./forecast.js";
export { fitGbdt, GBDT_DEFAULTS, type GbdtOptions, type GbdtParams } from "./gbdt.js";
export { type GbdtTree, gbdtContributions, gbdtMargins } from "./gbdt-trees.js";
// The database side: observations from the score history, stored models, the backtest report, predictions.
export {
  type DataSpan,
  dataSpan,
  type EnsureHistoryResult,
  ensureHistory,
  metricsMissingFromHistory,
  observationMonths,
} from "./history.js";
export { type ChurnerLead, type FlagObservation, type LeadTimeReport, leadTimes } from "./lead-time.js";
export {
  fitLogistic,
  type LogisticOptions,
  type LogisticParams,
  logisticContributions,
  logisticMargins,
  predictLogistic,
  sigmoid,
} from "./logistic.js";
export { measureKey, measurePoints, type PointsMatrix } from "./measure-points.js";
export {
  type Backtest,
  type CandidateBacktest,
  type Contribution,
  explain,
  explainRows,
  type FlagThreshold,
  MODEL_FORMAT,
  type ModelKind,
  modelMargins,
  predict,
  type TrainedModel,
} from "./model.js";
export {
  latestModel,
  latestModelHead,
  latestReport,
  type ModelVersionSummary,
  modelHistory,
  modelVersions,
  type StoredModel,
  saveModel,
} from "./model-store.js";
export {
  CATEGORY_PREFIX,
  featureRecord,
  labelFor,
  labelledRows,
  loadObservations,
  type ObservationOptions,
  type ObservationSet,
} from "./observations.js";
export { type Proposal, proposeScorecard } from "./propose.js";
export { type Random, seededRandom, shuffleInPlace } from "./random.js";
export {
  type CategoryReason,
  type MeasureDirection,
  type MeasureReason,
  measureDirection,
  POINTS_UNIT,
  pointsCoefficients,
  type Recommendation,
  type RecommendOptions,
  recommendWeights,
  roundToTotal,
} from "./recommend.js";
export {
  type AccountPrediction,
  type ChurnDriver,
  featureLabel,
  type RefreshResult,
  refreshAfterScoring,
  refreshCurrentPredictions,
  refreshHistoryPredictions,
} from "./refresh.js";
export {
  type BacktestReport,
  backtestReport,
  type ModelSide,
  REPORT_FORMAT,
  type ScorecardSide,
  type SideReport,
  scorecardScores,
} from "./report.js";
export { formatReport } from "./report-text.js";
export {
  applyScorecard,
  type BacktestOptions,
  type BacktestResult,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_SEED,
  type Prepared,
  type PrepareOptions,
  predictCurrent,
  prepareObservations,
  runBacktest,
  type TrainFlowResult,
  trainAndStore,
} from "./service.js";
export {
  chooseSplits,
  crossPredict,
  groupKFold,
  type OutOfFold,
  type RollingOriginOptions,
  rollingOriginSplits,
  type Split,
  type SplitMethod,
  type SplitOptions,
} from "./splits.js";
export {
  DEFAULT_FLAG_PRECISION,
  type TrainingData,
  type TrainOptions,
  type TrainResult,
  trainModel,
  trainModelInParallel,
} from "./train.js";
export {
  applyTransform,
  baseFeature,
  type FeatureTransform,
  fitTransform,
  MISSING_SUFFIX,
  type Transform,
  type TransformOptions,
} from "./transform.js";
export { trainingThreads } from "./worker-pool.js";
