/**
 * Renewal and expansion opportunities. Annual contracts get a renewal deal
 * per term (won, lost at churn, or open past the window's end); friction
 * shows as discount requests and stalled stages. Expansions that happen are
 * won deals; healthy accounts also have expansion deals that are lost or open.
 */
import type { Calendar } from "./calendar.js";
import type { Rng } from "./random.js";
import type { Emit, SimRecord } from "./sink.js";
import { mrrOf, type Profile, pad, periodAt } from "./world.js";

const annual = (mrr: number): number => Math.round(mrr * 12 * 100) / 100;

function openStage(daysToClose: number, health: number, futureChurn: boolean, rng: Rng): string {
  if ((futureChurn || health < 0.4) && daysToClose < 60 && rng.bool(0.6)) return "stalled";
  if (daysToClose > 60) return "discovery";
  if (daysToClose > 30) return "proposal";
  return "negotiation";
}

function renewalDiscount(p: Profile, renewal: number, lost: boolean, rng: Rng): number | undefined {
  if (renewal === p.concessionDay) return rng.choice([10, 15, 20, 25]);
  if (lost && p.cause === "sudden:budget_cut") return rng.choice([20, 25, 30, 40]);
  if (lost && p.cause === "gradual" && rng.bool(0.45)) return rng.choice([15, 20, 25, 30]);
  if (!lost && p.health[Math.min(renewal, p.health.length - 1)]! < 0.45 && rng.bool(0.6))
    return rng.choice([10, 15, 20]);
  if (!lost && rng.bool(0.12)) return rng.choice([5, 10]);
  return undefined;
}

export function emitOpportunities(p: Profile, cal: Calendar, rng: Rng, emit: Emit): void {
  const D = cal.days;
  const deals: Array<SimRecord & { close: number }> = [];
  const futureChurn = p.churnDay !== null && p.churnDay >= D;
  if (p.billing === "annual") {
    for (const renewal of p.renewals) {
      const opened = Math.max(p.startDay, renewal - rng.int(75, 120));
      if (opened >= D || opened >= p.activeEnd) break;
      const lost = p.churnDay !== null && p.churnDay <= renewal;
      const close = lost ? p.churnDay! : renewal;
      const period = periodAt(p, Math.max(p.startDay, renewal - 1));
      const discount = renewalDiscount(p, renewal, lost, rng);
      let status: "won" | "lost" | "open" = lost ? "lost" : "won";
      let stage = "closed";
      if (close >= D) {
        status = "open";
        stage = openStage(close - D, p.health[D - 1]!, futureChurn, rng);
      }
      deals.push({
        close,
        kind: "renewal",
        stage,
        amount: annual(mrrOf(period)),
        currency: "USD",
        ...(discount !== undefined ? { discount_requested_pct: discount } : {}),
        close_date: cal.date(close),
        status,
      });
      if (lost) break;
    }
  }
  for (const day of p.expansionDays) {
    const before = periodAt(p, day - 1);
    const after = periodAt(p, day);
    deals.push({
      close: day,
      kind: "expansion",
      stage: "closed",
      amount: annual(Math.max(0, mrrOf(after) - mrrOf(before))),
      currency: "USD",
      close_date: cal.date(day),
      status: "won",
    });
  }
  const healthy = p.cause === "none" && p.dip === null;
  if (healthy && p.activeEnd - p.activeStart > 120 && rng.bool(0.15)) {
    const day = rng.int(p.activeStart + 60, p.activeEnd - 1);
    const seats = Math.max(2, Math.round(periodAt(p, day).seats * rng.uniform(0.1, 0.4)));
    deals.push({
      close: day,
      kind: "expansion",
      stage: "closed",
      amount: annual(seats * periodAt(p, day).seatPrice),
      currency: "USD",
      close_date: cal.date(day),
      status: "lost",
    });
  }
  if (healthy && p.activeEnd === D && p.health[D - 1]! > 0.65 && rng.bool(0.15)) {
    const close = D + rng.int(15, 90);
    const seats = Math.max(2, Math.round(periodAt(p, D - 1).seats * rng.uniform(0.1, 0.5)));
    deals.push({
      close,
      kind: "expansion",
      stage: close - D > 45 ? "discovery" : "proposal",
      amount: annual(seats * periodAt(p, D - 1).seatPrice),
      currency: "USD",
      close_date: cal.date(close),
      status: "open",
    });
  }
  deals.sort((a, b) => a.close - b.close);
  let seq = 0;
  for (const { close: _close, ...deal } of deals) {
    emit("opportunities", { id: `opp_${pad(p.index + 1, 5)}_${pad(++seq, 2)}`, account: p.id, ...deal });
  }
}
