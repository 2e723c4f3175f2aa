/**
 * Account profiles: who a customer is (segment, plan, seats, contract) and
 * the plot of its story, decided up front from its own sub-seed: when it
 * renews, whether and why it churns, when health dips, when it expands, and
 * when its champion leaves. The generators only render this plot as records.
 */
import { healthTrajectory } from "./health.js";
import { ACQUIRERS, COMPETITORS, CSM_TEAM, CSM_WEIGHTS, companyName } from "./names.js";
import type { Segment, World } from "./options.js";
import { SEGMENTS } from "./options.js";
import { clamp, Rng } from "./random.js";

export type ChurnCause =
  | "gradual"
  | "sudden:acquisition"
  | "sudden:budget_cut"
  | "sudden:champion_left"
  | "none";
export type Archetype = "healthy" | "expander" | "at_risk_renewed" | "gradual_churn" | "sudden_churn";
export type Plan = "starter" | "growth" | "business" | "enterprise";

/** One stretch of an unchanged subscription. `endDay` null: still running. */
export interface Period {
  startDay: number;
  endDay: number | null;
  plan: Plan;
  seats: number;
  /** List price per seat per month, before discount. */
  seatPrice: number;
  discountPct: number;
  reason: "new" | "expansion" | "concession" | "downsell";
}

/** A temporary slump in health that recovers (the at-risk account that renews anyway). */
export interface Dip {
  start: number;
  bottom: number;
  end: number;
  floor: number;
}

export interface Profile {
  index: number;
  id: string;
  name: string;
  domain: string;
  segment: Segment;
  owner: string;
  billing: "monthly" | "annual";
  /** Months between invoices: 1, 3 or 12. */
  invoiceMonths: number;
  /** The day the customer signed (negative: before the window). */
  startDay: number;
  /** Days on which a new contract term begins, from the window's start to the fate horizon. */
  renewals: number[];
  /** The day the customer leaves, if within the fate horizon (may be after the window). */
  churnDay: number | null;
  cause: ChurnCause;
  archetype: Archetype;
  churnReason: string | null;
  /** Gradual churners: the day the decline starts. */
  declineStart: number | null;
  /** Sudden churn: the day an acquisition or budget cut becomes known to the customer. */
  noticeDay: number | null;
  acquirer: string | null;
  dip: Dip | null;
  /** The renewal day on which an at-risk account got a concession (discount or fewer seats). */
  concessionDay: number | null;
  expansionDays: number[];
  championLeaveDay: number | null;
  championReplacedDay: number | null;
  sponsorLeaveDay: number | null;
  periods: Period[];
  competitor: string;
  baseHealth: number;
  /** Latent health (0–1) per window day; meaningless outside the active days. */
  health: Float32Array;
  /** First and one-past-last active window day. */
  activeStart: number;
  activeEnd: number;
}

const PLANS: Readonly<Record<Segment, Readonly<Partial<Record<Plan, number>>>>> = {
  smb: { starter: 0.6, growth: 0.4 },
  mid_market: { growth: 0.5, business: 0.5 },
  enterprise: { business: 0.2, enterprise: 0.8 },
};
const SEAT_PRICE: Readonly<Record<Plan, number>> = { starter: 25, growth: 45, business: 70, enterprise: 95 };
const SEATS: Readonly<Record<Segment, { median: number; sigma: number; min: number; max: number }>> = {
  smb: { median: 8, sigma: 0.6, min: 1, max: 60 },
  mid_market: { median: 45, sigma: 0.5, min: 12, max: 400 },
  enterprise: { median: 250, sigma: 0.6, min: 80, max: 5000 },
};
const DISCOUNTS: Readonly<Record<Segment, { values: number[]; weights: number[] }>> = {
  smb: { values: [0, 10, 20], weights: [0.8, 0.15, 0.05] },
  mid_market: { values: [0, 10, 15, 25], weights: [0.4, 0.35, 0.2, 0.05] },
  enterprise: { values: [10, 15, 20, 30], weights: [0.3, 0.3, 0.25, 0.15] },
};
const MONTHLY_SHARE: Readonly<Record<Segment, number>> = { smb: 0.6, mid_market: 0.15, enterprise: 0 };
const EXPANDER_SHARE: Readonly<Record<Segment, number>> = { smb: 0.2, mid_market: 0.3, enterprise: 0.35 };
const AT_RISK_SHARE = 0.12;
const PREEXISTING_SHARE = 0.7;

export const pad = (n: number, width: number): string => String(n).padStart(width, "0");
export const accountId = (index: number): string => `acc_${pad(index + 1, 5)}`;

function segmentOf(world: World, rng: Rng): Segment {
  return rng.weighted(
    SEGMENTS,
    SEGMENTS.map((s) => world.segmentMix[s]),
  );
}

function renewalDays(world: World, startDay: number, term: number): number[] {
  const { cal } = world;
  const limit = cal.days + world.horizonDays;
  const out: number[] = [];
  let k = startDay < 0 ? Math.max(1, Math.floor(-startDay / (31 * term))) : 1;
  for (; ; k++) {
    const day = cal.addMonths(startDay, k * term);
    if (day >= limit) break;
    if (day > 0) out.push(day);
  }
  return out;
}

function churnReason(
  cause: ChurnCause,
  competitor: string,
  acquirer: string | null,
  rng: Rng,
): string | null {
  switch (cause) {
    case "none":
      return null;
    case "sudden:acquisition":
      return `Acquired by ${acquirer}; consolidating on the parent company's tools`;
    case "sudden:budget_cut":
      return rng.choice(["Budget cuts", "Vendor spend freeze", "Cost reduction program"]);
    case "sudden:champion_left":
      return rng.choice(["Champion left; no internal owner", "Main sponsor left the company"]);
    case "gradual":
      return rng.weighted(
        [
          `Switched to ${competitor}`,
          "Low adoption",
          "Product did not meet needs",
          "Price vs. value",
          "Poor support experience",
          "Missing features",
        ],
        [0.3, 0.25, 0.15, 0.12, 0.08, 0.1],
      );
  }
}

/**
 * How many days before its churn a gradual churner starts to decline: 30 to
 * 180, most of them long. A B2B customer that leaves has usually been drifting
 * for a quarter or two (a failed rollout, a new priority, a champion who lost
 * interest) and waits for the renewal to say so; only a few collapse within
 * weeks. Those that do look sudden 60 days ahead, which is the sudden churners'
 * part (about a fifth of churn), not the gradual ones'. The length is
 * 180 − 150·u² for u uniform in [0, 1): median about 140 days, a fifth under 90.
 */
function declineDays(rng: Rng): number {
  const u = rng.next();
  return Math.round(180 - 150 * u * u);
}

/** The whole plot of account `index`, from its own sub-seed. */
export function buildProfile(world: World, index: number): Profile {
  const { cal } = world;
  const D = cal.days;
  const rng = Rng.of(world.seed, index, "profile");
  const segment = segmentOf(world, rng);
  const { name, domain } = companyName(index, world.seed, rng);
  const owner = rng.weighted(CSM_TEAM, CSM_WEIGHTS[segment]);
  const plan = rng.pick(PLANS[segment] as Record<Plan, number>);
  const s = SEATS[segment];
  const seats = Math.round(clamp(rng.logNormal(s.median, s.sigma), s.min, s.max));
  const seatPrice = Math.round(SEAT_PRICE[plan] * rng.uniform(0.9, 1.1));
  const discountPct = rng.weighted(DISCOUNTS[segment].values, DISCOUNTS[segment].weights);
  const billing = rng.bool(MONTHLY_SHARE[segment]) ? "monthly" : "annual";
  const invoiceMonths = billing === "monthly" ? 1 : segment !== "smb" && rng.bool(0.3) ? 3 : 12;
  const startDay = rng.bool(PREEXISTING_SHARE)
    ? -Math.round(Math.exp(rng.uniform(Math.log(20), Math.log(1800))))
    : rng.int(0, D - 21);
  const term = billing === "monthly" ? 1 : 12;
  const renewals = renewalDays(world, startDay, term);
  const competitor = rng.choice(COMPETITORS);
  const rate = world.churnRates[segment];
  const perRenewal = term === 12 ? rate : 1 - (1 - rate) ** (1 / 12);

  let churnDay: number | null = null;
  for (const day of renewals) {
    if (rng.bool(perRenewal)) {
      churnDay = day;
      break;
    }
  }
  const activeStart = Math.max(0, startDay);
  const earliest = startDay + 14;
  let cause: ChurnCause = "none";
  let archetype: Archetype = "healthy";
  let declineStart: number | null = null;
  let noticeDay: number | null = null;
  let acquirer: string | null = null;
  let championLeaveDay: number | null = null;
  let championReplacedDay: number | null = null;
  let sponsorLeaveDay: number | null = null;
  let dip: Dip | null = null;
  let concessionDay: number | null = null;
  const expansionDays: number[] = [];
  let baseHealth = clamp(rng.normal(0.74, 0.09), 0.4, 0.95);

  if (churnDay !== null) {
    if (rng.bool(world.suddenChurnShare)) {
      archetype = "sudden_churn";
      cause = rng.weighted(
        ["sudden:acquisition", "sudden:budget_cut", "sudden:champion_left"] as const,
        [0.35, 0.35, 0.3],
      );
      if (cause === "sudden:acquisition") {
        acquirer = rng.choice(ACQUIRERS);
        const prev = renewals.filter((d) => d < churnDay!).pop() ?? earliest;
        if (rng.bool(0.5)) churnDay = Math.max(1, prev + 1, earliest + 20, churnDay - rng.int(10, 100));
        noticeDay = Math.max(earliest, churnDay - rng.int(20, 75));
      } else if (cause === "sudden:budget_cut") {
        noticeDay = Math.max(earliest, churnDay - rng.int(25, 90));
      } else {
        championLeaveDay = Math.max(earliest, churnDay - rng.int(30, 120));
      }
    } else {
      archetype = "gradual_churn";
      cause = "gradual";
      baseHealth = clamp(rng.normal(0.62, 0.1), 0.3, 0.9);
      declineStart = Math.max(earliest - 7, churnDay - declineDays(rng));
      if (rng.bool(0.25)) championLeaveDay = rng.int(Math.max(activeStart, declineStart), churnDay - 1);
    }
  } else if (baseHealth > 0.6 && rng.bool(EXPANDER_SHARE[segment])) {
    const lo = Math.max(30, startDay + 60);
    if (lo < D - 10) {
      archetype = "expander";
      const first = rng.int(lo, D - 10);
      expansionDays.push(first);
      if (rng.bool(0.25) && first + 90 < D - 10) expansionDays.push(rng.int(first + 90, D - 10));
    }
  } else if (rng.bool(AT_RISK_SHARE / (1 - EXPANDER_SHARE[segment] * 0.93))) {
    archetype = "at_risk_renewed";
    const candidates =
      billing === "annual" ? renewals.filter((d) => d >= Math.max(90, startDay + 120) && d < D) : [];
    const floor = rng.uniform(0.2, 0.42);
    if (candidates.length > 0) {
      const r = rng.choice(candidates);
      const start = r - rng.int(60, 150);
      dip = { start, bottom: Math.min(r, start + rng.int(30, 60)), end: r + rng.int(20, 80), floor };
      concessionDay = r;
    } else {
      const start = rng.int(activeStart + 30, Math.max(activeStart + 31, D - 120));
      const bottom = start + rng.int(30, 60);
      dip = { start, bottom, end: bottom + rng.int(30, 90), floor };
    }
  }
  const activeEnd = Math.min(D, churnDay ?? D);
  if (championLeaveDay === null && rng.bool(0.15) && activeEnd - activeStart > 120) {
    championLeaveDay = rng.int(activeStart + 30, activeEnd - 60);
    championReplacedDay = championLeaveDay + rng.int(10, 60);
  }
  if (rng.bool(0.08) && activeEnd - activeStart > 120)
    sponsorLeaveDay = rng.int(activeStart + 30, activeEnd - 30);

  const periods: Period[] = [{ startDay, endDay: null, plan, seats, seatPrice, discountPct, reason: "new" }];
  const change = (day: number, patch: Partial<Period>): void => {
    const last = periods[periods.length - 1]!;
    last.endDay = day;
    periods.push({ ...last, ...patch, startDay: day, endDay: null });
  };
  for (const day of expansionDays) {
    const last = periods[periods.length - 1]!;
    const grown = Math.max(last.seats + 1, Math.round(last.seats * rng.uniform(1.15, 1.7)));
    const upgrade: Plan =
      last.plan === "starter" && rng.bool(0.3)
        ? "growth"
        : last.plan === "growth" && rng.bool(0.2)
          ? "business"
          : last.plan;
    change(day, {
      seats: grown,
      plan: upgrade,
      seatPrice:
        upgrade === last.plan ? last.seatPrice : Math.round(SEAT_PRICE[upgrade] * rng.uniform(0.9, 1.1)),
      reason: "expansion",
    });
  }
  if (concessionDay !== null) {
    const last = periods[periods.length - 1]!;
    if (rng.bool(0.6))
      change(concessionDay, {
        discountPct: Math.min(50, last.discountPct + rng.choice([5, 10, 15])),
        reason: "concession",
      });
    else
      change(concessionDay, {
        seats: Math.max(1, Math.round(last.seats * rng.uniform(0.7, 0.9))),
        reason: "downsell",
      });
  }
  if (churnDay !== null) periods[periods.length - 1]!.endDay = churnDay;

  const profile: Profile = {
    index,
    id: accountId(index),
    name,
    domain,
    segment,
    owner,
    billing,
    invoiceMonths,
    startDay,
    renewals,
    churnDay,
    cause,
    archetype,
    churnReason: churnReason(cause, competitor, acquirer, rng),
    declineStart,
    noticeDay,
    acquirer,
    dip,
    concessionDay,
    expansionDays,
    championLeaveDay,
    championReplacedDay,
    sponsorLeaveDay,
    periods,
    competitor,
    baseHealth,
    health: new Float32Array(0),
    activeStart,
    activeEnd,
  };
  profile.health = healthTrajectory(profile, world.cal, Rng.of(world.seed, index, "health"));
  return profile;
}

/** The subscription period in force on a day (the first one before the customer started). */
export function periodAt(p: Profile, day: number): Period {
  for (let i = p.periods.length - 1; i >= 0; i--) {
    const period = p.periods[i]!;
    if (period.startDay <= day) return period;
  }
  return p.periods[0]!;
}

/** Monthly recurring revenue of a period, after discount. */
export function mrrOf(period: Period): number {
  return Math.round(period.seats * period.seatPrice * (1 - period.discountPct / 100) * 100) / 100;
}

/** Latent health on a window day (clamped to the window). */
export function healthAt(p: Profile, day: number): number {
  const h = p.health;
  if (h.length === 0) return p.baseHealth;
  return h[day < 0 ? 0 : day >= h.length ? h.length - 1 : day]!;
}
