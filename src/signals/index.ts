export { DETECTORS, type DetectContext, type Detected, detectSignals } from "./detect.js";
export {
  DEFAULT_SEVERITY,
  DISPLACEMENT_KINDS,
  isSignalKind,
  SIGNAL_KINDS,
  SIGNAL_LABELS,
  type SignalKind,
  type SignalSeverity,
  TEXT_FINDING_KINDS,
  type TextFindingKind,
} from "./kinds.js";
export { type RefreshResult, refreshSignals } from "./refresh.js";
export {
  type DetectedSignal,
  type Evidence,
  type NumberEvidence,
  type RecordEvidence,
  signalKey,
} from "./types.js";
