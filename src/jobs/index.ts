export { type AfterScoringDeps, afterScoring } from "./after-scoring.js";
export {
  type EvaluatePlaybooksPayload,
  JOBS,
  type JobDefinition,
  type RescoreAccountsPayload,
} from "./definitions/index.js";
export { queueFreshScores } from "./fresh-scores.js";
export type { RescoreResult } from "./handlers/rescore-accounts.js";
export { JobQueue, type WorkOptions } from "./queue.js";
export { startWorkers, type WorkerDeps } from "./workers.js";
