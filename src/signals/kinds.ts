/**
 * The kinds of signal Keepwell detects: one meaning of "signal" — an early
 * warning about an account, detected from its facts with evidence.
 */
export const SIGNAL_KINDS = [
  "competitor_mention",
  "feature_parity_request",
  "evaluating_alternatives",
  "stakeholder_silence",
  "champion_departure",
  "negotiation_friction",
  "critical_dissatisfaction",
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** The kinds that, two within 30 days, say a competitor may be displacing us (the win-back play's trigger). */
export const DISPLACEMENT_KINDS: readonly SignalKind[] = [
  "competitor_mention",
  "feature_parity_request",
  "evaluating_alternatives",
  "negotiation_friction",
  "stakeholder_silence",
];

export type SignalSeverity = "critical" | "high" | "medium" | "low";

export const SIGNAL_LABELS: Record<SignalKind, string> = {
  competitor_mention: "competitor mentioned",
  feature_parity_request: "feature parity request",
  evaluating_alternatives: "evaluating alternatives",
  stakeholder_silence: "stakeholder silence",
  champion_departure: "champion departure",
  negotiation_friction: "negotiation friction",
  critical_dissatisfaction: "critical dissatisfaction",
};

/** How serious each kind is unless a detector says otherwise (an account gone dark is high). */
export const DEFAULT_SEVERITY: Record<SignalKind, SignalSeverity> = {
  competitor_mention: "medium",
  feature_parity_request: "medium",
  evaluating_alternatives: "high",
  stakeholder_silence: "medium",
  champion_departure: "high",
  negotiation_friction: "high",
  critical_dissatisfaction: "critical",
};

const KINDS = new Set<string>(SIGNAL_KINDS);
export function isSignalKind(v: string): v is SignalKind {
  return KINDS.has(v);
}

/** Finding kinds text analysis writes (text_findings.kind): the text kinds above, and two that feed other detectors. */
export const TEXT_FINDING_KINDS = [
  "competitor_mention",
  "feature_parity_request",
  "evaluating_alternatives",
  // "no longer with the company", "has left", "moved on": champion_departure
  "departure",
  // procurement, legal, redlines, budget freeze near a renewal: negotiation_friction
  "procurement_pushback",
] as const;
export type TextFindingKind = (typeof TEXT_FINDING_KINDS)[number];
