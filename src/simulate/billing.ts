/**
 * Subscriptions and invoices. A subscription record per unchanged stretch
 * (new, expansion, concession, downsell), ended at churn. Invoices follow the
 * billing cycle; how promptly they are paid follows latent health: healthy
 * customers pay on time, struggling ones pay late, fail or never pay.
 */
import type { Calendar } from "./calendar.js";
import { clamp, type Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { mrrOf, type Profile, pad, periodAt } from "./world.js";

const money = (x: number): number => Math.round(x * 100) / 100;

export function emitSubscriptions(p: Profile, cal: Calendar, emit: Emit): void {
  let seq = 0;
  for (const period of p.periods) {
    if (period.startDay >= p.activeEnd) continue;
    emit("subscriptions", {
      id: `sub_${pad(p.index + 1, 5)}_${++seq}`,
      account: p.id,
      plan: period.plan,
      seats: period.seats,
      mrr: mrrOf(period),
      currency: "USD",
      discount_pct: period.discountPct,
      started_at: cal.iso(period.startDay * 1440),
      ended_at: period.endDay !== null && period.endDay < cal.days ? cal.iso(period.endDay * 1440) : null,
      term_months: p.billing === "monthly" ? 1 : 12,
    });
  }
}

/** The days invoices are issued on inside the window, while the account is active. */
function invoiceDays(p: Profile, cal: Calendar): number[] {
  const out: number[] = [];
  const step = p.invoiceMonths;
  let k = p.startDay < 0 ? Math.max(0, Math.floor(-p.startDay / (31 * step))) : 0;
  for (; ; k++) {
    const day = cal.addMonths(p.startDay, k * step);
    if (day >= p.activeEnd) break;
    if (day >= 0) out.push(day);
  }
  return out;
}

interface Bill {
  day: number;
  amount: number;
  discountPct: number;
  /** Covers a term that the customer left early (refund candidate). */
  covers: number;
}

function bills(p: Profile, cal: Calendar): Bill[] {
  const days = invoiceDays(p, cal);
  const out: Bill[] = days.map((day) => {
    const period = periodAt(p, day);
    return {
      day,
      amount: money(mrrOf(period) * p.invoiceMonths),
      discountPct: period.discountPct,
      covers: cal.addMonths(day, p.invoiceMonths),
    };
  });
  if (p.invoiceMonths > 1) {
    for (let i = 1; i < p.periods.length; i++) {
      const before = p.periods[i - 1]!;
      const after = p.periods[i]!;
      if (after.reason !== "expansion" || after.startDay < 0 || after.startDay >= p.activeEnd) continue;
      const next = days.find((d) => d > after.startDay) ?? cal.addMonths(after.startDay, 1);
      const months = Math.max(1, Math.round((next - after.startDay) / 30.44));
      const delta = mrrOf(after) - mrrOf(before);
      if (delta > 0)
        out.push({
          day: after.startDay,
          amount: money(delta * months),
          discountPct: after.discountPct,
          covers: next,
        });
    }
    out.sort((a, b) => a.day - b.day);
  }
  return out;
}

/** Emits the account's invoices in issue order. */
export function emitInvoices(p: Profile, cal: Calendar, rng: Rng, emit: Emit): void {
  const card = p.segment === "smb" && p.billing === "monthly";
  const terms = card ? 0 : p.segment === "enterprise" && rng.bool(0.4) ? 45 : 30;
  const windowEnd = cal.days * 1440;
  const churned = p.activeEnd < cal.days;
  const endMinute = p.activeEnd * 1440;
  let seq = 0;
  for (const bill of bills(p, cal)) {
    const h = p.health[bill.day]!;
    const issued = bill.day * 1440 + 6 * 60 + rng.int(0, 59);
    const due = issued + terms * 1440;
    let paid: number | null;
    let status: "paid" | "open" | "failed" | "refunded" | "void" = "paid";
    const payTime = (day: number): number => day * 1440 + rng.int(8 * 60, 20 * 60);
    if (card) {
      if (rng.bool(0.02 + 0.7 * (1 - h) ** 2)) {
        paid = rng.bool(0.55 + 0.35 * h) ? payTime(bill.day + rng.int(2, 12)) : null;
        if (paid === null) status = "failed";
      } else paid = issued + rng.int(1, 30);
    } else if (rng.bool(0.01 + 0.12 * (1 - h) ** 2)) {
      paid = null;
    } else if (rng.bool(0.35 + 0.6 * h)) {
      paid = payTime(bill.day + rng.int(1, Math.max(1, terms)));
    } else {
      const late = Math.round(rng.logNormal(6 + 30 * (1 - h), 0.6));
      paid = payTime(bill.day + terms + clamp(late, 1, 150));
    }
    if (paid !== null && (paid >= windowEnd || (churned && paid >= endMinute))) {
      paid = null;
      status = "open";
    }
    if (paid === null && status !== "failed") status = "open";
    if (status === "open" && churned && due < endMinute) status = "void";
    if (status === "paid" && churned && bill.covers > p.activeEnd + 20 && rng.bool(0.5)) status = "refunded";
    else if (status === "paid" && rng.bool(0.004)) status = "refunded";
    else if (status === "open" && rng.bool(0.005)) status = "void";
    emit("invoices", {
      id: `inv_${pad(p.index + 1, 5)}_${pad(++seq, 3)}`,
      account: p.id,
      issued_at: cal.iso(issued),
      due_at: cal.iso(due),
      paid_at: paid === null ? null : cal.iso(paid),
      amount: bill.amount,
      currency: "USD",
      status,
      discount_pct: bill.discountPct,
    });
  }
}
