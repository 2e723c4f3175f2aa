export {
  type Baseline,
  type DecideInput,
  type Decision,
  decide,
  type LastClosed,
  type NewPlay,
  type OpenPlay,
} from "./decide.js";
export { DEFAULT_PLAYBOOKS, DEFAULT_PLAYBOOKS_YAML } from "./default-playbooks.js";
export { addMs, DAY_MS, durationMs, durationWords, isDuration } from "./durations.js";
export { dueEscalations, type EscalationState, escalationSchedule, escalationTime } from "./escalation.js";
export type { AccountFacts, BandThresholds, TeamMember } from "./facts.js";
export { type Resolved, resolveOwner, Team } from "./owners.js";
export { namedUsers, parsePlaybooks, parsePlaybooksYaml } from "./parse-playbooks.js";
export {
  type Audience,
  type EscalationRule,
  type OwnerRule,
  type Playbook,
  type PlaybookStep,
  type Playbooks,
  type PlaybooksInput,
  playbooksSchema,
  type Trigger,
} from "./schema.js";
export {
  type HistoryPoint,
  monthSteps,
  type SimulatedAccount,
  type SimulationInput,
  type SimulationReport,
  simulatePlaybooks,
} from "./simulate.js";
export {
  evaluateTrigger,
  inAudience,
  lookBackDays,
  metricsUsed,
  scoreDaysAgo,
  type TriggerContext,
  type TriggerResult,
} from "./triggers.js";
