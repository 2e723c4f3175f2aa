/**
 * Known dissatisfaction signals. When a scorecard lists one and it is present
 * for an account, the account is `critical` whatever its score.
 */
export const CRITICAL_SIGNALS = [
  "open_cancellation_or_escalation_ticket",
  "executive_detractor",
  "executive_sponsor_inactive",
  "churn_notice",
] as const;

export type CriticalSignal = (typeof CRITICAL_SIGNALS)[number];

export const CRITICAL_SIGNAL_LABELS: Record<CriticalSignal, string> = {
  open_cancellation_or_escalation_ticket: "open cancellation or escalation ticket",
  executive_detractor: "executive detractor",
  executive_sponsor_inactive: "executive sponsor inactive",
  churn_notice: "churn notice",
};

const KNOWN = new Set<string>(CRITICAL_SIGNALS);

export function isCriticalSignal(name: string): name is CriticalSignal {
  return KNOWN.has(name);
}

export function signalLabel(name: string): string {
  return isCriticalSignal(name) ? CRITICAL_SIGNAL_LABELS[name] : name.replaceAll("_", " ");
}
