export {
  type ContactEngagement,
  contactEngagement,
  KEY_METRICS,
  type MetricTrends,
  metricTrends,
  type TimelineItem,
  timeline,
} from "./account-story.js";
export {
  BANDS,
  type BandCounts,
  bandThresholds,
  type GroupDistribution,
  groupDistributions,
  type HistogramBucket,
  type ScoreHistogram,
  scoreHistogram,
} from "./distributions.js";
export { type BandMovement, type BandTransition, bandMovement } from "./movement.js";
export {
  checkScorecard,
  type Mover,
  type RescoreEffect,
  rescoreWithEffect,
  type ScorecardCheck,
} from "./rescore.js";
export { type MetricSeparation, metricSeparation } from "./separation.js";
export { type Sparklines, sparklines } from "./sparklines.js";
