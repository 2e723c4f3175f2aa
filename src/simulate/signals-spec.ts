/**
 * When a structured signal is present, by the definitions (with the
 * parameters the detectors use), computed from the account's own final
 * records — so the truth covers a silence or a stopped use the story made as
 * well as the planted ones. Days are window days; `on[T]` means "present as
 * of the start of day T" (facts strictly before T).
 */
import type { AccountRecords } from "./signal-records.js";
import type { SimRecord } from "./sink.js";

export const STAKEHOLDERS = ["executive_sponsor", "champion", "decision_maker"];
export const LEADS = ["champion", "executive_sponsor"];

/** The role a contact held on day T (a role change applies from the day after it). */
export function roleAt(c: SimRecord, recs: AccountRecords, T: number): string {
  if (c.previous_role && c.role_changed_at && recs.day(c.role_changed_at) >= T)
    return String(c.previous_role);
  return String(c.role);
}

const inactiveBefore = (c: SimRecord, recs: AccountRecords, T: number): boolean =>
  c.inactive_since ? recs.day(c.inactive_since) < T : c.active === false;

/** Sorted distinct days of each contact's two-way contact: inbound notes, held meetings attended, own product use. */
export function touchDays(recs: AccountRecords): Map<string, number[]> {
  const sets = new Map<string, Set<number>>();
  const add = (id: unknown, day: number): void => {
    if (typeof id !== "string") return;
    const set = sets.get(id) ?? new Set<number>();
    set.add(day);
    sets.set(id, set);
  };
  for (const n of recs.of("notes")) if (n.direction === "inbound") add(n.contact, recs.day(n.ts));
  for (const m of recs.of("meetings")) {
    if (m.status !== "held") continue;
    const d = recs.day(m.scheduled_at);
    for (const a of m.attendees as string[]) add(a, d);
  }
  for (const [user, days] of recs.userDays()) for (const d of days) add(user, d);
  return new Map([...sets].map(([id, s]) => [id, [...s].sort((a, b) => a - b)]));
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Silent on T: at least 4 contact days in the 365 days before T, and the days
 * since the last one more than 3 × the median gap between them and ≥ 30.
 */
export function silenceDays(c: SimRecord, days: number[], recs: AccountRecords, D: number): Uint8Array {
  const on = new Uint8Array(D + 1);
  const ends = [...days, D + 1];
  for (let i = 0; i < days.length; i++) {
    const last = days[i]!;
    for (let T = last + 30; T <= Math.min(D, ends[i + 1]!); T++) {
      if (!STAKEHOLDERS.includes(roleAt(c, recs, T)) || inactiveBefore(c, recs, T)) continue;
      const w = days.filter((d) => d >= T - 365 && d < T);
      if (w.length < 4) continue;
      const gaps = w.slice(1).map((d, k) => d - w[k]!);
      if (T - last > 3 * median(gaps)) on[T] = 1;
    }
  }
  return on;
}

/**
 * Use stopped on T: none in the 30 days before T, use on ≥ 8 distinct days in
 * the 90 before those, and colleagues used the product in the last 14 days.
 */
export function stoppedUseDays(
  c: SimRecord,
  own: number[],
  others: number[],
  recs: AccountRecords,
  D: number,
): Uint8Array {
  const on = new Uint8Array(D + 1);
  if (own.length < 8) return on;
  // Prefix counts: use days before day d.
  const prefix = (xs: number[]): Int32Array => {
    const p = new Int32Array(D + 2);
    for (const x of xs) if (x >= 0 && x <= D) p[x + 1]!++;
    for (let d = 1; d <= D + 1; d++) p[d]! += p[d - 1]!;
    return p;
  };
  const mine = prefix(own);
  const theirs = prefix(others);
  const count = (p: Int32Array, lo: number, hi: number): number =>
    p[Math.max(0, Math.min(D + 1, hi))]! - p[Math.max(0, Math.min(D + 1, lo))]!;
  for (let T = own[7]! + 31; T <= D; T++) {
    if (count(mine, T - 30, T) > 0 || count(mine, T - 120, T - 30) < 8) continue;
    if (count(theirs, T - 14, T) > 0 && LEADS.includes(roleAt(c, recs, T))) on[T] = 1;
  }
  return on;
}

/** Stage order the friction rule reads (discovery counts as qualification). */
const RANK: Record<string, number> = {
  prospecting: 1,
  qualification: 2,
  discovery: 2,
  proposal: 3,
  negotiation: 4,
  commit: 5,
  closed: 6,
};

/**
 * Friction on T for a deal with a history: open then (its newest entry before
 * T not closed, closing within 120 days after T or past due) with a discount
 * ask ≥ 15% and 10 points over the account's earlier deals' median, 2+ close
 * date slips, a stage moved back, or procurement pushback in the 60 days before T.
 */
export function frictionDays(
  deal: SimRecord,
  others: SimRecord[],
  pushback: number[],
  recs: AccountRecords,
  D: number,
): Uint8Array {
  const on = new Uint8Array(D + 1);
  type E = { day: number; stage: string; close: number; discount: number };
  const hist: E[] = (deal.history as Array<Record<string, unknown>>).map((h) => ({
    day: recs.day(h.at),
    stage: String(h.stage),
    close: recs.day(h.close_date),
    discount: Number(h.discount_requested_pct ?? 0),
  }));
  for (let T = hist[0]!.day + 1; T <= D; T++) {
    const seen = hist.filter((h) => h.day < T);
    const state = seen[seen.length - 1]!;
    if (state.stage === "closed" || state.close > T + 120) continue;
    const prior = others
      .filter((o) => recs.day(o.close_date) < T)
      .map((o) => Number(o.discount_requested_pct ?? 0));
    const norm = prior.length > 0 ? median(prior) : 0;
    const discount = state.discount >= 15 && state.discount >= norm + 10;
    const slips = seen.filter((h, k) => k > 0 && h.close > seen[k - 1]!.close).length >= 2;
    const back = seen.some(
      (h, k) => k > 0 && (RANK[h.stage] ?? 0) < Math.max(...seen.slice(0, k).map((x) => RANK[x.stage] ?? 0)),
    );
    const pushed = pushback.some((n) => n < T && T <= n + 60);
    if (discount || slips || back || pushed) on[T] = 1;
  }
  return on;
}
