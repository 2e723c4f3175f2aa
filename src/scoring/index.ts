export { backfill, monthStarts } from "./backfill.js";
export {
  currentScore,
  type GroupSummary,
  type Portfolio,
  portfolio,
  type ScoreHistoryPoint,
  type ScoreSnapshot,
  scoreHistory,
} from "./read.js";
export {
  type RunChanges,
  type RunOptions,
  type RunResult,
  type RunSummary,
  runScoring,
  type ScoreChange,
  type Scored,
  scoreAccounts,
  summaryOf,
} from "./run.js";
export {
  type ActiveScorecard,
  activeScorecard,
  type ScorecardVersion,
  type ScorecardVersionSummary,
  saveScorecard,
  scorecardVersions,
  syncScorecardFile,
  validateScorecard,
  writeScorecardFile,
} from "./scorecards.js";
export { withScoresLock } from "./snapshots.js";
