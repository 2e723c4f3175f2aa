export { BANDS, type Band, bandForScore, decideBand, type PresentSignal } from "./bands.js";
export {
  CRITICAL_SIGNAL_LABELS,
  CRITICAL_SIGNALS,
  type CriticalSignal,
  isCriticalSignal,
  signalLabel,
} from "./critical-signals.js";
export { DEFAULT_CORE_FEATURES, DEFAULT_SCORECARD, DEFAULT_SCORECARD_YAML } from "./default-scorecard.js";
export {
  type CategoryResult,
  type Evaluation,
  type EvaluationInput,
  evaluate,
  type SignalInput,
} from "./evaluate.js";
export type { Drag, Improvement, MeasureExplanation } from "./explain.js";
export { isMetricName, METRIC_LABELS, METRIC_NAMES, type MetricName, metricLabel } from "./metric-names.js";
export {
  formatScorecardErrors,
  type ParseScorecardResult,
  parseScorecard,
  parseScorecardYaml,
  type ScorecardError,
} from "./parse-scorecard.js";
export { type PercentileRow, percentileRanks } from "./percentile-ranks.js";
export { isPresent, type MeasureInput, type ScaleTarget, scalePoints, scaleTarget } from "./scales.js";
export {
  type Bands,
  DEFAULT_BANDS,
  type LinearScale,
  type Measure,
  makeScorecardSchema,
  type PercentileScale,
  type Scale,
  type Scorecard,
  type ScorecardCategory,
  type ScorecardInput,
  type ScorecardSchemaOptions,
  type Step,
  type StepsScale,
  scorecardSchema,
} from "./scorecard-schema.js";
