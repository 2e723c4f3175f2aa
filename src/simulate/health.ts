/**
 * The hidden health trajectory of an account: a mean-reverting monthly walk
 * around its base health, bent by its plot (a steady decline before churn,
 * a dip that recovers, small knocks from an acquisition, a budget freeze or a
 * departing champion, a lift before an expansion). Every signal the
 * generators emit is drawn from this curve.
 */
import type { Calendar } from "./calendar.js";
import { clamp, type Rng } from "./random.js";
import type { Profile } from "./world.js";

const STEP = 30;

/** Fraction of the way from `from` to `to` that day `d` has gone, in [0, 1]. */
function progress(d: number, from: number, to: number): number {
  return to <= from ? (d >= from ? 1 : 0) : clamp((d - from) / (to - from), 0, 1);
}

/** Latent health per window day. */
export function healthTrajectory(p: Profile, cal: Calendar, rng: Rng): Float32Array {
  const D = cal.days;
  const anchors: number[] = [];
  let v = clamp(p.baseHealth + rng.normal(0, 0.04), 0.05, 0.97);
  for (let k = 0; k <= Math.ceil(D / STEP) + 1; k++) {
    anchors.push(v);
    v = clamp(v + 0.3 * (p.baseHealth - v) + rng.normal(0, 0.05), 0.05, 0.97);
  }
  const floor = rng.uniform(0.06, 0.28);
  const out = new Float32Array(D);
  const churn = p.churnDay ?? Number.POSITIVE_INFINITY;
  for (let d = 0; d < D; d++) {
    const k = Math.floor(d / STEP);
    const f = (d - k * STEP) / STEP;
    let h = anchors[k]! * (1 - f) + anchors[k + 1]! * f;
    for (const e of p.expansionDays) h += 0.07 * progress(d, e - 60, e);
    if (p.declineStart !== null && d >= p.declineStart) {
      h -= (h - floor) * progress(d, p.declineStart, churn);
    }
    if (p.dip !== null && d >= p.dip.start && d < p.dip.end) {
      const { start, bottom, end, floor: low } = p.dip;
      const hold = bottom + (end - bottom) / 2;
      const depth = d < bottom ? progress(d, start, bottom) : d < hold ? 1 : 1 - progress(d, hold, end);
      h -= (h - low) * depth;
    }
    if (p.noticeDay !== null && d >= p.noticeDay) {
      h -= (p.cause === "sudden:acquisition" ? 0.07 : 0.05) * progress(d, p.noticeDay, p.noticeDay + 14);
    }
    if (p.championLeaveDay !== null && d >= p.championLeaveDay) {
      const gone = p.championReplacedDay === null || d < p.championReplacedDay;
      h -= gone ? 0.09 : 0.03;
    }
    if (p.sponsorLeaveDay !== null && d >= p.sponsorLeaveDay) h -= 0.04;
    out[d] = clamp(h, 0.02, 0.98);
  }
  return out;
}

/** Mean latent health per calendar month of the window, over the account's active days. */
export function monthlyHealth(p: Profile, cal: Calendar): Array<{ month: string; health: number }> {
  const out: Array<{ month: string; health: number }> = [];
  for (const m of cal.months) {
    const from = Math.max(m.startDay, p.activeStart);
    const to = Math.min(m.endDay, p.activeEnd);
    if (to <= from) continue;
    let sum = 0;
    for (let d = from; d < to; d++) sum += p.health[d]!;
    out.push({ month: m.label, health: Math.round((sum / (to - from)) * 1000) / 1000 });
  }
  return out;
}
