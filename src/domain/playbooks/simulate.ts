import type { Band } from "../bands.js";
import { decide, type LastClosed, type OpenPlay } from "./decide.js";
import { DAY_MS } from "./durations.js";
import type { AccountFacts, BandThresholds } from "./facts.js";
import type { Team } from "./owners.js";
import type { Playbooks } from "./schema.js";
import { lookBackDays } from "./triggers.js";

/**
 * The playbook simulator: replays playbooks over the monthly score history,
 * point in time, with the same decisions evaluation makes (decide.ts), and
 * says what they would have cost (plays per week, per owner) and caught
 * (churners reached, how far ahead). Pure: no store, no clock.
 */

/** An account as the simulator needs it (its current record: owner, segment, plan, ARR, churn). */
export interface SimulatedAccount {
  id: string;
  name: string;
  owner_user: string | null;
  segment: string | null;
  plan: string | null;
  arr: number | null;
  /** YYYY-MM-DD: the next renewal as the store knows it today. */
  renewal_date: string | null;
  /** ISO instant; null while a customer. */
  churned_at: string | null;
}

/** One month of an account's score history. */
export interface HistoryPoint {
  account: string;
  /** YYYY-MM-DD, the first of the month: the scores are as of that day. */
  month: string;
  score: number | null;
  band: Band | null;
  churn_probability: number | null;
  /** Flagged by the churn model; when absent, from `flagThreshold`. */
  flagged?: boolean;
  signals: string[];
  metrics: Record<string, number | null>;
  /** The next renewal as of that month (YYYY-MM-DD) when known; else the account's. */
  renewal_date?: string | null;
}

export interface SimulationInput {
  playbooks: Playbooks;
  team: Team;
  bands: BandThresholds;
  /** Any order; months before `from` serve as look-back only. */
  history: readonly HistoryPoint[];
  accounts: readonly SimulatedAccount[];
  /** YYYY-MM-DD: the months replayed are the month starts from `from` to `to`, both included. */
  from: string;
  to: string;
  /** The churn model's flag threshold (the newest model's); null: nothing is flagged. */
  flagThreshold: number | null;
}

export interface SimulationReport {
  from: string;
  to: string;
  /** Monthly steps replayed. */
  months: number;
  /** From the first month replayed to the end of the last, in weeks. */
  weeks: number;
  /** Accounts scored in at least one month replayed. */
  accounts: number;
  plays_opened: number;
  /** Plays opened at the first month: the backlog switching the playbooks on would open at once. */
  first_month_plays: number;
  plays_per_week: number | null;
  /** Plays with an owner, per owner who got any, per week. */
  plays_per_owner_per_week: number | null;
  per_owner: { owner: { id: string; name: string; email: string } | null; plays: number; per_week: number }[];
  /**
   * Plays per 7-day week from the first month. The history is monthly, so a
   * month's plays open on its first day in the replay; a daily evaluation
   * would open them through the month, so each month's plays are spread
   * evenly over its days.
   */
  per_week: { week_start: string; plays: number }[];
  per_playbook: {
    playbook: string;
    name: string;
    plays: number;
    churners_reached: number;
    plays_on_churners_share: number | null;
  }[];
  /** Accounts scored in the range that churned from `from` to 90 days after `to`. */
  churners: number;
  /** Churners with a play opened before they churned (and within 365 days of it). */
  churners_reached: number;
  churners_reached_share: number | null;
  /** Shares of all churners reached at least 60 / 90 days before they churned. */
  churners_reached_60d_share: number | null;
  churners_reached_90d_share: number | null;
  /** Days from a reached churner's first play to its churn, the median. */
  median_days_ahead: number | null;
  /** Share of plays on accounts that churned within 90 days of the play's opening. */
  plays_on_churners_share: number | null;
  /** ARR of the accounts scored in the range, and of those among them that got a play. */
  arr_total: number;
  arr_covered: number;
  arr_covered_share: number | null;
  /** Wall time of the whole simulation (set by the caller that measures it). */
  seconds: number;
}

/** What the replay opened: enough to count it. */
export interface SimulatedPlay {
  id: string;
  account: string;
  playbook: string;
  owner_user: string | null;
  opened_at: number;
}

const REACH_DAYS = 365;
const CHURN_WINDOW_DAYS = 90;

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const share = (n: number, of: number) => (of > 0 ? round(n / of, 3) : null);
const dayOf = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

function addMonths(t: number, n: number): number {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.getTime();
}

/** The month starts (ms) from `from` to `to`, both included. */
export function monthSteps(from: string, to: string): number[] {
  const start = dayOf(from);
  const end = dayOf(to);
  let m = Date.parse(`${from.slice(0, 7)}-01T00:00:00Z`);
  if (m < start) m = addMonths(m, 1);
  const out: number[] = [];
  for (; m <= end; m = addMonths(m, 1)) out.push(m);
  return out;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Replays the playbooks month by month: the plays they would have opened, in order. */
export function replayPlays(input: SimulationInput): SimulatedPlay[] {
  const steps = monthSteps(input.from, input.to);
  const accounts = new Map(input.accounts.map((a) => [a.id, a]));
  const lookBackMs = lookBackDays(input.playbooks.playbooks.map((p) => p.trigger)) * DAY_MS;
  const rowsByMonth = new Map<number, HistoryPoint[]>();
  const scoresOf = new Map<string, { t: number; at: string; score: number | null }[]>();
  for (const h of input.history) {
    const t = dayOf(h.month);
    const list = rowsByMonth.get(t);
    if (list) list.push(h);
    else rowsByMonth.set(t, [h]);
    const scores = scoresOf.get(h.account);
    const point = { t, at: h.month.slice(0, 10), score: h.score };
    if (scores) scores.push(point);
    else scoresOf.set(h.account, [point]);
  }

  const open = new Map<string, OpenPlay>();
  const plays: SimulatedPlay[] = [];
  const lastClosed = new Map<string, LastClosed>();
  const close = (p: OpenPlay, at: number) => {
    open.delete(p.id);
    const key = `${p.account}\u0000${p.playbook}`;
    lastClosed.set(key, { account: p.account, playbook: p.playbook, closed_at: new Date(at).toISOString() });
  };
  const churnTimes = new Map(
    input.accounts.filter((a) => a.churned_at).map((a) => [a.id, Date.parse(a.churned_at as string)]),
  );
  const churnedAt = (id: string) => churnTimes.get(id) ?? null;

  for (const now of steps) {
    // An account's plays close when it churns.
    for (const p of [...open.values()]) {
      const c = churnedAt(p.account);
      if (c !== null && c <= now) close(p, c);
    }
    const facts: AccountFacts[] = [];
    for (const h of rowsByMonth.get(now) ?? []) {
      const a = accounts.get(h.account);
      if (!a) continue;
      const c = churnedAt(a.id);
      if (c !== null && c <= now) continue;
      const p = h.churn_probability;
      facts.push({
        account: a.id,
        name: a.name,
        segment: a.segment,
        plan: a.plan,
        arr: a.arr,
        renewal_date: h.renewal_date !== undefined ? h.renewal_date : a.renewal_date,
        owner_user: a.owner_user,
        score: h.score,
        band: h.band,
        churn_probability: p,
        flagged: h.flagged ?? (input.flagThreshold !== null && p !== null && p >= input.flagThreshold),
        signals: h.signals,
        metrics: h.metrics,
        history: (scoresOf.get(a.id) ?? [])
          .filter((s) => s.t < now && s.t >= now - lookBackMs)
          .map((s) => ({ at: s.at, score: s.score })),
      });
    }
    const decisions = decide({
      playbooks: input.playbooks,
      facts,
      open: [...open.values()],
      lastClosed: [...lastClosed.values()],
      team: input.team,
      bands: input.bands,
      now: new Date(now),
    });
    for (const d of decisions) {
      // A cleared condition: the owner closes the play (its cooldown starts).
      if (d.kind === "cleared") {
        const p = open.get(d.play_id);
        if (p) close(p, now);
        continue;
      }
      if (d.kind !== "open") continue;
      for (const old of d.play.supersedes) {
        const p = open.get(old);
        if (p) close(p, now);
      }
      const id = `sim_${plays.length + 1}`;
      open.set(id, {
        id,
        account: d.play.account,
        playbook: d.play.playbook,
        tier: d.play.tier,
        state: "open",
        owner_user: d.play.owner_user,
        condition_cleared_at: null,
      });
      plays.push({
        id,
        account: d.play.account,
        playbook: d.play.playbook,
        owner_user: d.play.owner_user,
        opened_at: now,
      });
    }
  }
  return plays;
}

type Churn = { account: string; at: number };

/** Churners reached by `plays`: each reached one's days from its first play (within 365 days before) to churning. */
function reach(churners: readonly Churn[], plays: readonly SimulatedPlay[]): number[] {
  const firstBefore = new Map<string, number>();
  const churnOf = new Map(churners.map((c) => [c.account, c.at]));
  for (const p of plays) {
    const c = churnOf.get(p.account);
    if (c === undefined || p.opened_at >= c || p.opened_at < c - REACH_DAYS * DAY_MS) continue;
    const first = firstBefore.get(p.account);
    if (first === undefined || p.opened_at < first) firstBefore.set(p.account, p.opened_at);
  }
  return [...firstBefore.entries()].map(([account, t]) => ((churnOf.get(account) as number) - t) / DAY_MS);
}

function onChurners(plays: readonly SimulatedPlay[], churnedAt: (id: string) => number | null): number {
  return plays.filter((p) => {
    const c = churnedAt(p.account);
    return c !== null && c > p.opened_at && c - p.opened_at <= CHURN_WINDOW_DAYS * DAY_MS;
  }).length;
}

/** Runs the playbooks over the history and reports their cost and reach. */
export function simulatePlaybooks(input: SimulationInput): Omit<SimulationReport, "seconds"> {
  const steps = monthSteps(input.from, input.to);
  const plays = replayPlays(input);
  const start = steps[0];
  const end = start === undefined ? undefined : addMonths(steps[steps.length - 1] as number, 1);
  const weeks = start === undefined || end === undefined ? 0 : (end - start) / (7 * DAY_MS);
  const perWeek = (n: number) => (weeks > 0 ? round(n / weeks, 2) : null);

  const stepSet = new Set(steps);
  const active = new Set(input.history.filter((h) => stepSet.has(dayOf(h.month))).map((h) => h.account));
  const accounts = input.accounts.filter((a) => active.has(a.id));
  const churnedAtOf = new Map(
    input.accounts.filter((a) => a.churned_at).map((a) => [a.id, Date.parse(a.churned_at as string)]),
  );
  const churnedAt = (id: string) => churnedAtOf.get(id) ?? null;
  const windowEnd = dayOf(input.to) + (CHURN_WINDOW_DAYS + 1) * DAY_MS;
  const churners: Churn[] = accounts
    .filter((a) => {
      const c = churnedAt(a.id);
      return c !== null && c >= dayOf(input.from) && c < windowEnd;
    })
    .map((a) => ({ account: a.id, at: churnedAt(a.id) as number }));
  const ahead = reach(churners, plays);

  const byOwner = new Map<string | null, number>();
  for (const p of plays) byOwner.set(p.owner_user, (byOwner.get(p.owner_user) ?? 0) + 1);
  const per_owner = [...byOwner.entries()]
    .map(([id, n]) => {
      const u = id === null ? undefined : input.team.byId.get(id);
      return {
        owner: id === null ? null : { id, name: u?.name ?? id, email: u?.email ?? "" },
        plays: n,
        per_week: perWeek(n) ?? 0,
      };
    })
    .sort((a, b) => b.plays - a.plays || (a.owner?.email ?? "~").localeCompare(b.owner?.email ?? "~"));
  const owned = plays.filter((p) => p.owner_user !== null).length;
  const owners = per_owner.filter((o) => o.owner !== null).length;

  // Each month's plays spread evenly over its days, summed into 7-day weeks.
  const per_week: SimulationReport["per_week"] = [];
  if (start !== undefined && end !== undefined) {
    const byMonth = new Map<number, number>();
    for (const p of plays) byMonth.set(p.opened_at, (byMonth.get(p.opened_at) ?? 0) + 1);
    for (let w = start; w < end; w += 7 * DAY_MS) {
      const wEnd = Math.min(w + 7 * DAY_MS, end);
      let n = 0;
      for (const m of steps) {
        const mEnd = addMonths(m, 1);
        const overlap = Math.min(wEnd, mEnd) - Math.max(w, m);
        if (overlap > 0) n += ((byMonth.get(m) ?? 0) * overlap) / (mEnd - m);
      }
      per_week.push({ week_start: new Date(w).toISOString().slice(0, 10), plays: round(n, 2) });
    }
  }

  const per_playbook = input.playbooks.playbooks.map((pb) => {
    const mine = plays.filter((p) => p.playbook === pb.key);
    return {
      playbook: pb.key,
      name: pb.name,
      plays: mine.length,
      churners_reached: reach(churners, mine).length,
      plays_on_churners_share: share(onChurners(mine, churnedAt), mine.length),
    };
  });

  const covered = new Set(plays.map((p) => p.account));
  const arr = (list: readonly SimulatedAccount[]) => list.reduce((s, a) => s + (a.arr ?? 0), 0);
  const arrTotal = arr(accounts);
  const arrCovered = arr(accounts.filter((a) => covered.has(a.id)));
  const med = median(ahead);
  return {
    from: input.from,
    to: input.to,
    months: steps.length,
    weeks: round(weeks, 2),
    accounts: accounts.length,
    plays_opened: plays.length,
    first_month_plays: plays.filter((p) => p.opened_at === start).length,
    plays_per_week: perWeek(plays.length),
    plays_per_owner_per_week: owners > 0 ? perWeek(owned / owners) : null,
    per_owner,
    per_week,
    per_playbook,
    churners: churners.length,
    churners_reached: ahead.length,
    churners_reached_share: share(ahead.length, churners.length),
    churners_reached_60d_share: share(ahead.filter((d) => d >= 60).length, churners.length),
    churners_reached_90d_share: share(ahead.filter((d) => d >= 90).length, churners.length),
    median_days_ahead: med === null ? null : round(med, 1),
    plays_on_churners_share: share(onChurners(plays, churnedAt), plays.length),
    arr_total: round(arrTotal, 2),
    arr_covered: round(arrCovered, 2),
    arr_covered_share: share(arrCovered, arrTotal),
  };
}
