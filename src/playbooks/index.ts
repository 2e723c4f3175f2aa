export { type EscalationRun, escalatePlays } from "./escalate.js";
export { type EvaluateOptions, type EvaluationSummary, evaluatePlaybooks, PLAYS_LOCK } from "./evaluate.js";
export { loadFacts, loadTeam } from "./facts-sql.js";
export {
  type ChangeScope,
  canChangePlay,
  changeScope,
  EVERY_PLAY,
  requireChangePlay,
  scopeAllows,
} from "./play-access.js";
export {
  type ChangeOptions,
  changePlay,
  checkedInput,
  closeInput,
  noteInput,
  type PlayChange,
  reassignInput,
  snoozeInput,
} from "./play-changes.js";
export {
  accountPlays,
  getPlay,
  listPlays,
  OUTCOMES,
  type Outcome,
  PLAY_STATES,
  type Play,
  type PlayEvent,
  type PlayQuery,
  type PlayState,
  STATE_FILTERS,
  type StateFilter,
} from "./plays.js";
export {
  checkSimulationRange,
  type SimulateStoredOptions,
  type SimulationReport,
  simulateStored,
} from "./simulate.js";
export { type TeamPlays, teamPlays, teamScope } from "./team-plays.js";
export {
  activePlaybooks,
  checkPlaybooks,
  type PlaybooksVersion,
  playbooksFileText,
  playbooksVersion,
  playbooksYaml,
  playbookVersions,
  savePlaybooks,
  syncPlaybooksFile,
  validatePlaybooks,
  writePlaybooksFile,
} from "./versions.js";
