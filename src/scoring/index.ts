export { runScoring, scoreAccounts, type RunOptions, type RunSummary, type Scored } from "./run.js";
export { FreshScores, type FreshScoresOptions } from "./fresh.js";
export {
  activeScorecard,
  saveScorecard,
  scorecardVersions,
  syncScorecardFile,
  validateScorecard,
  writeScorecardFile,
  type ScorecardVersion,
} from "./scorecards.js";
export { currentScore, scoreHistory, portfolio } from "./read.js";
export { backfill, monthStarts } from "./backfill.js";
