export { backfill, monthStarts } from "./backfill.js";
export { FreshScores, type FreshScoresOptions } from "./fresh.js";
export { currentScore, portfolio, scoreHistory } from "./read.js";
export { type RunOptions, type RunSummary, runScoring, type Scored, scoreAccounts } from "./run.js";
export {
  activeScorecard,
  type ScorecardVersion,
  saveScorecard,
  scorecardVersions,
  syncScorecardFile,
  validateScorecard,
  writeScorecardFile,
} from "./scorecards.js";
