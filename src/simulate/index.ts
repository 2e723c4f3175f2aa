/**
 * A simulated B2B SaaS company with known futures, for demos, tests and
 * benchmarks: `simulate(options, sink, truth?)` streams every account's
 * records to a sink, deterministically for a seed.
 */
export { type SimulateToDirOptions, type SimulateToDirResult, simulateToDir } from "./cli-entry.js";
export {
  CORE_FEATURES,
  type CoreFeature,
  type Feature,
  SECONDARY_FEATURES,
  type SecondaryFeature,
} from "./features.js";
export { COMPETITORS, CSM_TEAM } from "./names.js";
export { NdjsonDirSink } from "./ndjson-sink.js";
export { DEFAULT_CHURN_RATES, SEGMENTS, type Segment, type SimulateOptions } from "./options.js";
export { SIGNAL_COMPETITORS, type SimCompetitor } from "./signal-competitors.js";
export { type SignalTruth, signalTruth } from "./signals-truth.js";
export { type SimulateSummary, simulate } from "./simulate.js";
export {
  CountingSink,
  ENTITY_NAMES,
  type EntityName,
  MemorySink,
  type RecordSink,
  type SimRecord,
} from "./sink.js";
export { StoreSink } from "./store-sink.js";
export { simulatedTeam, type TeamMemberSpec } from "./team.js";
export { NEGATIVE_MARKERS } from "./text.js";
export { type AccountTruth, MemoryTruth, NdjsonTruthWriter, type TruthSink } from "./truth.js";
export type { Archetype, ChurnCause } from "./world.js";
