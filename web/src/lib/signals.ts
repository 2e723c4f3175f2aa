/** Signals as the API gives them (src/api/signal-schemas.ts), and how the dashboard names them. */

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

/** Labels for people, as titles (the API's labels are in lower case). */
export const SIGNAL_TITLES: Record<SignalKind, string> = {
  competitor_mention: "Competitor mentioned",
  feature_parity_request: "Feature parity request",
  evaluating_alternatives: "Evaluating alternatives",
  stakeholder_silence: "Stakeholder silence",
  champion_departure: "Champion departure",
  negotiation_friction: "Negotiation friction",
  critical_dissatisfaction: "Critical dissatisfaction",
};

export function isSignalKind(v: string): v is SignalKind {
  return (SIGNAL_KINDS as readonly string[]).includes(v);
}

export function signalTitle(kind: string): string {
  return isSignalKind(kind) ? SIGNAL_TITLES[kind] : kind.replaceAll("_", " ");
}

export type Severity = "critical" | "high" | "medium" | "low";

export interface Evidence {
  entity?: string;
  id?: string;
  date?: string;
  text: string;
  match?: [number, number];
  values?: Record<string, number | string | null>;
}

export interface Signal {
  id: string;
  kind: string;
  label: string;
  account: { id: string; name: string };
  contact: { id: string; name: string | null; role: string | null } | null;
  competitor: string | null;
  severity: Severity;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  active: boolean;
  cleared_at: string | null;
  summary: string;
  evidence: Evidence[];
}

export interface SignalPage {
  items: Signal[];
  next_cursor: string | null;
}

export interface AccountSignals {
  active: Signal[];
  recent: Signal[];
}

export interface KindSummary {
  kind: SignalKind;
  label: string;
  accounts: number;
  arr: number;
  signals: number;
  accounts_30d_ago: number;
  accounts_90d_ago: number;
  arr_30d_ago: number;
  arr_90d_ago: number;
}

export interface LandscapeCompetitor {
  competitor: string;
  accounts: number;
  arr: number;
  active_accounts: number;
  mentions: number;
  last_seen: string;
  top_accounts: { id: string; name: string; arr: number | null; active: boolean; last_seen: string }[];
}

export interface SignalSummary {
  as_of: string;
  total: { accounts: number; arr: number };
  kinds: KindSummary[];
  landscape: { since: string; competitors: LandscapeCompetitor[] };
}

/** The record an evidence item came from, for people: "ticket T-12". */
const ENTITY_WORD: Record<string, string> = {
  tickets: "ticket",
  notes: "note",
  surveys: "survey answer",
  opportunities: "deal",
  contacts: "contact",
  meetings: "meeting",
};
export function recordName(e: Evidence): string | null {
  if (!e.entity) return null;
  const word = ENTITY_WORD[e.entity] ?? e.entity;
  return e.id ? `${word} ${e.id}` : word;
}

/** Where on the account page a record shows (the timeline, the contacts); null where the dashboard has none. */
export function recordAnchor(e: Evidence): string | null {
  if (!e.entity) return null;
  if (["tickets", "notes", "surveys", "meetings"].includes(e.entity)) return "timeline-title";
  if (e.entity === "contacts") return "contacts-title";
  return null;
}

const SMALL = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** A count in words: "once", "twice", "3 times"; "one account", "12 accounts". */
export function times(n: number): string {
  return n === 1 ? "once" : n === 2 ? "twice" : `${n} times`;
}
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  const w = n >= 0 && n < SMALL.length && Number.isInteger(n) ? SMALL[n] : String(n);
  return `${w} ${n === 1 ? noun : plural}`;
}
