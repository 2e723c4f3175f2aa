/**
 * What every detector is asked and the pieces they share: the point-in-time
 * scope (T and the accounts, as the metrics' Scope), the role a contact held
 * at T, evidence as JSON built in SQL, and counts in words.
 */
import { Scope } from "../../metrics/scope.js";
import type { DetectedSignal, Evidence } from "../types.js";

export interface DetectContext {
  /** An ISO instant: only facts dated strictly before it count. */
  asOf: string;
  /** The accounts to detect for; all accounts when absent. */
  accounts?: readonly string[];
}

/** A metrics Scope for a detector's query: `$1` is T, then the account ids when given. */
export function scopeOf(ctx: DetectContext): Scope {
  return new Scope({ asOf: ctx.asOf, accounts: ctx.accounts, coreFeatures: [] });
}

/** How many pieces of evidence a signal keeps (the most telling first). */
export const MAX_EVIDENCE = 10;

/**
 * The role a contact held at T: a role changed at or after T was still the
 * previous one then (`c` is the contacts alias; the day expression is T's day).
 */
export function roleAtSql(c: string, day: string): string {
  return `CASE WHEN ${c}.role_changed_at >= ${day} AND ${c}.previous_role IS NOT NULL THEN ${c}.previous_role ELSE ${c}.role END`;
}

/**
 * A record's evidence as jsonb, from columns of `r`: entity, id, at
 * (timestamptz), text, match_start and match_end (null when nothing is highlighted).
 */
export function evidenceJsonSql(r: string): string {
  return `jsonb_strip_nulls(jsonb_build_object('entity', ${r}.entity, 'id', ${r}.id,
    'date', to_char(${r}.at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'text', ${r}.text,
    'match', CASE WHEN ${r}.match_start IS NULL THEN NULL ELSE jsonb_build_array(${r}.match_start, ${r}.match_end) END))`;
}

/** A day as a UTC midnight ISO instant. */
export function dayInstant(day: string): string {
  return new Date(`${day.slice(0, 10)}T00:00:00.000Z`).toISOString();
}

/** An ISO instant from a store value (timestamptz strings come back ISO already). */
export function iso(v: string): string {
  return new Date(v).toISOString();
}

const ENTITY_WORDS: Record<string, [string, string]> = {
  tickets: ["ticket", "tickets"],
  notes: ["note", "notes"],
  surveys: ["survey comment", "survey comments"],
  opportunities: ["lost deal", "lost deals"],
};

/** "2 tickets, 1 note and 1 lost deal", from counts by entity (zero counts left out). */
export function countsInWords(counts: Record<string, number>, words = ENTITY_WORDS): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([entity, n]) => {
      const [one, many] = words[entity] ?? [entity, entity];
      return `${n} ${n === 1 ? one : many}`;
    });
  return listInWords(parts);
}

const order = (entity: string): number => {
  const i = Object.keys(ENTITY_WORDS).indexOf(entity);
  return i < 0 ? 99 : i;
};

/** "a", "a and b", "a, b and c". */
export function listInWords(parts: readonly string[]): string {
  if (parts.length <= 1) return parts[0] ?? "";
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** "champion", "executive sponsor". */
export function roleWords(role: string | null): string {
  return (role ?? "contact").replaceAll("_", " ");
}

/** A number of days for people: whole when whole, else one decimal. */
export function daysWords(n: number): string {
  const r = Math.round(n * 10) / 10;
  return `${r} ${r === 1 ? "day" : "days"}`;
}

/** Evidence newest first, at most MAX_EVIDENCE (records by date; numbers keep their place). */
export function newestFirst(list: Evidence[]): Evidence[] {
  return list
    .map((e, i) => ({ e, i }))
    .sort((a, b) => {
      const da = "date" in a.e ? a.e.date : "";
      const db = "date" in b.e ? b.e.date : "";
      return db.localeCompare(da) || a.i - b.i;
    })
    .map((x) => x.e)
    .slice(0, MAX_EVIDENCE);
}

/** A detected signal with how many times its evidence occurs in the detector's window (the store's occurrences). */
export type Detected = DetectedSignal & { occurrences: number };
