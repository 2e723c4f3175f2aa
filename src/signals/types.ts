import type { SignalKind, SignalSeverity } from "./kinds.js";

/** A record that raised a signal: the entity and id, its date, and the sentence with the match. */
export type RecordEvidence = {
  entity: "tickets" | "notes" | "surveys" | "opportunities" | "contacts" | "meetings";
  id: string;
  /** YYYY-MM-DD. */
  date: string;
  /** The sentence that matched (text detectors), or what the record says in words. */
  text: string;
  /** Where in `text` the match is: [start, end) in UTF-16 units; absent when nothing is highlighted. */
  match?: [number, number];
};

/** Numbers that raised a signal, in words: "champion Ravi Martin: last two-way contact 74 days ago; usual gap 9 days". */
export type NumberEvidence = { text: string; values?: Record<string, number | string | null> };

export type Evidence = RecordEvidence | NumberEvidence;

/**
 * A signal as a detector sees it as of a date: present now, from facts
 * before that date. The store keeps its life (first and last seen, cleared).
 */
export type DetectedSignal = {
  kind: SignalKind;
  account: string;
  /** The person it is about (a silent or departed stakeholder), when one. */
  contact: string | null;
  /** The competitor named, when one. */
  competitor: string | null;
  severity: SignalSeverity;
  /** When the earliest evidence dates from (ISO). */
  first_evidence_at: string;
  /** When the latest evidence dates from (ISO). */
  last_evidence_at: string;
  /** One line for people: "Northwind Analytics named in 2 tickets". */
  summary: string;
  /** The most telling evidence first; at most 10 items. */
  evidence: Evidence[];
};

/** A signal's identity in the store: one row per (kind, account, contact or competitor). */
export function signalKey(s: Pick<DetectedSignal, "kind" | "account" | "contact" | "competitor">): string {
  return `${s.kind}|${s.account}|${s.contact ?? s.competitor ?? ""}`;
}
