/**
 * Product usage: one event per user, feature and active day, whose `value`
 * is that day's count. Tracked users are capped per account to keep volume
 * sane; how many of them stay active, how often they come back and how many
 * features they touch all follow the account's latent health. New accounts
 * ramp up over their first weeks; weekends, holidays and August are quiet.
 */
import type { Calendar } from "./calendar.js";
import { championOn, type People } from "./contacts.js";
import {
  CORE_FEATURES,
  CORE_WEIGHTS,
  FEATURE_INTENSITY,
  type Feature,
  SECONDARY_FEATURES,
} from "./features.js";
import { clamp, type Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { type Profile, pad, periodAt } from "./world.js";

/** Tracked users per account at most, by segment. */
const TRACKED_CAP = { smb: 4, mid_market: 8, enterprise: 14 } as const;
/** Sunday … Saturday. */
const WEEKDAY = [0.07, 1, 1.06, 1.05, 1, 0.84, 0.09] as const;

interface Tenure {
  from: number;
  to: number;
  user: string;
}

interface Slot {
  /** How engaged this user is (0–1). */
  u: number;
  primary: number;
  /** Usual minute of day they start work (UTC). */
  minute: number;
  tenures: Tenure[];
  cursor: number;
  lastActive: number;
}

interface Adoption {
  feature: Feature;
  from: number;
  /** Below this health the feature is dropped. */
  threshold: number;
}

const dayFactorCache = new WeakMap<Calendar, Float32Array>();

/** Weekday rhythm times seasonal dips, per window day. */
export function dayFactors(cal: Calendar): Float32Array {
  let out = dayFactorCache.get(cal);
  if (out) return out;
  out = new Float32Array(cal.days);
  for (let d = 0; d < cal.days; d++) {
    const { month, dom } = cal.monthDay(d);
    let season = 1;
    if ((month === 11 && dom >= 22) || (month === 0 && dom <= 2)) season = 0.35;
    else if (month === 11 && dom >= 15) season = 0.8;
    else if (month === 7) season = 0.88;
    out[d] = WEEKDAY[cal.weekday(d)]! * season;
  }
  dayFactorCache.set(cal, out);
  return out;
}

function buildSlots(p: Profile, people: People, rng: Rng): Slot[] {
  const seats = periodAt(p, p.activeStart).seats;
  const n = Math.max(1, Math.min(seats, Math.round(TRACKED_CAP[p.segment] * rng.uniform(0.6, 1.15))));
  const end = p.activeEnd;
  const isNew = p.startDay >= 0;
  const rampDays = rng.int(20, 75);
  const slots: Slot[] = [];
  let nextUser = 1;
  const productUser = (): string => `usr_${pad(p.index + 1, 5)}_${pad(nextUser++, 3)}`;
  const us = Array.from({ length: n }, () => clamp(rng.normal(0.62, 0.2), 0.15, 1)).sort((a, b) => b - a);
  for (let s = 0; s < n; s++) {
    const join = isNew
      ? p.startDay + Math.round(rampDays * (s / n) ** 0.7 * rng.uniform(0.5, 1.3))
      : p.activeStart;
    const tenures: Tenure[] = [];
    if (s === 0) {
      const c = people.champion;
      tenures.push({ from: join, to: c.leaveDay ?? end, user: c.id });
      const next = people.nextChampion;
      if (next) tenures.push({ from: next.joinDay, to: end, user: next.id });
    } else if (s <= people.users.length) {
      tenures.push({ from: join, to: end, user: people.users[s - 1]!.id });
    } else {
      let from = join;
      while (from < end) {
        const to = Math.min(end, from + Math.round(rng.exponential(365 / 0.18)));
        tenures.push({ from, to, user: productUser() });
        from = to + rng.int(0, 30);
      }
    }
    const primary = rng.weighted([0, 1, 2, 3], CORE_WEIGHTS);
    slots.push({
      u: us[s]!,
      primary,
      minute: rng.int(6 * 60, 16 * 60),
      tenures,
      cursor: 0,
      lastActive: -1e9,
    });
  }
  return slots;
}

function buildAdoption(p: Profile, rng: Rng): Adoption[] {
  const out: Adoption[] = [];
  const boost = p.segment === "enterprise" ? 0.1 : p.segment === "smb" ? -0.1 : 0;
  for (const feature of SECONDARY_FEATURES) {
    if (!rng.bool(clamp(0.1 + 0.7 * p.baseHealth + boost, 0.05, 0.95))) continue;
    const from = p.startDay >= 0 || rng.bool(0.2) ? p.activeStart + rng.int(20, 240) : p.activeStart;
    out.push({ feature, from, threshold: rng.uniform(0.2, 0.55) });
  }
  return out;
}

function userOn(slot: Slot, day: number): string | null {
  while (slot.cursor < slot.tenures.length && slot.tenures[slot.cursor]!.to <= day) slot.cursor++;
  const t = slot.tenures[slot.cursor];
  return t !== undefined && t.from <= day ? t.user : null;
}

interface DayEvent {
  minute: number;
  user: string;
  name: Feature;
  value: number;
}

/** Emits the account's events (chronological, ids ascending) and its monthly metrics rows. */
export function emitUsage(
  p: Profile,
  people: People,
  cal: Calendar,
  metrics: boolean,
  rng: Rng,
  emit: Emit,
): void {
  const slots = buildSlots(p, people, rng);
  const adoption = buildAdoption(p, rng);
  const factors = dayFactors(cal);
  const n = slots.length;
  const acc = pad(p.index + 1, 5);
  const monthStarts = new Set(
    cal.months.filter((m) => cal.date(m.startDay).endsWith("-01")).map((m) => m.startDay),
  );
  const today: DayEvent[] = [];
  let secondary: Adoption[] = [];
  let secondaryDay = -1;
  let seq = 0;
  for (let d = p.activeStart; d < p.activeEnd; d++) {
    if (metrics && monthStarts.has(d) && d - p.activeStart >= 30) {
      let recent = 0;
      for (const s of slots) if (d - s.lastActive <= 30) recent++;
      emit("metrics", {
        account: p.id,
        date: cal.date(d),
        name: "product_qualified_seats",
        value: Math.round((periodAt(p, d).seats * recent) / n),
      });
    }
    const h = p.health[d]!;
    const activeShare = clamp(0.12 + 1.05 * h, 0.1, 1);
    const dayP = 0.85 * factors[d]! * (0.25 + 0.9 * h);
    const champion = championOn(people, d);
    for (let s = 0; s < n; s++) {
      const slot = slots[s]!;
      const user = userOn(slot, d);
      if (user === null) continue;
      if ((s + 0.5) / n > activeShare && user !== champion?.id) continue;
      const ramp = clamp(0.3 + (0.7 * (d - slot.tenures[slot.cursor]!.from)) / 30, 0.3, 1);
      if (rng.next() >= slot.u * dayP * ramp) continue;
      slot.lastActive = d;
      const features = 1 + (rng.next() < 0.15 + 0.45 * h ? 1 : 0) + (rng.next() < 0.3 * h ? 1 : 0);
      let minute = slot.minute + rng.int(-60, 240);
      let used = -1;
      for (let k = 0; k < features; k++) {
        let name: Feature;
        if (k === 0) {
          used = rng.next() < 0.75 ? slot.primary : rng.int(0, CORE_FEATURES.length - 1);
          name = CORE_FEATURES[used]!;
        } else {
          if (secondaryDay !== d) {
            secondaryDay = d;
            secondary = adoption.filter((a) => d >= a.from && h >= a.threshold);
          }
          if (secondary.length > 0 && rng.next() < 0.5) name = rng.choice(secondary).feature;
          else {
            const core = (used + 1 + rng.int(0, CORE_FEATURES.length - 2)) % CORE_FEATURES.length;
            name = CORE_FEATURES[core]!;
          }
          if (today.some((e) => e.user === user && e.name === name)) continue;
          minute += rng.int(5, 120);
        }
        const mean = FEATURE_INTENSITY[name] * (0.35 + h) * (0.5 + slot.u) * 0.6;
        today.push({ minute: clamp(minute, 0, 1439), user, name, value: 1 + rng.poisson(mean) });
      }
    }
    if (today.length === 0) continue;
    today.sort((a, b) => a.minute - b.minute);
    const base = d * 1440;
    for (const e of today) {
      seq++;
      emit("events", {
        id: `evt_${acc}_${pad(seq, 6)}`,
        account: p.id,
        user: e.user,
        ts: cal.iso(base + e.minute),
        name: e.name,
        value: e.value,
        source: "product",
      });
    }
    today.length = 0;
  }
}
