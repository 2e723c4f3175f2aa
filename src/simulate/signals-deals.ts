/**
 * Renewal deals with a field history (as a CRM keeps it): the friction the
 * signals plant (close dates slipping, a stage moving back, a discount ask
 * well above the norm) and the decoys (one slip, an ordinary discount).
 */
import type { Calendar } from "./calendar.js";
import type { Rng } from "./random.js";
import type { SimRecord } from "./sink.js";

export interface Friction {
  /** Close-date slips (2 plants friction, 1 is a decoy). */
  slips: 0 | 1 | 2;
  back: boolean;
  discount: number | null;
}

export interface HistoryEntry {
  at: string;
  stage: string;
  close_date: string;
  discount_requested_pct?: number;
  amount?: number;
}

type Patch = { day: number; stage?: string; close?: number; discount?: number };

/**
 * Gives `deal` (closing on `close`, opened on `open`) a history: discovery,
 * proposal, negotiation, closed, with the friction asked for along the way.
 * Returns the history (also set on the deal).
 */
export function giveHistory(
  deal: SimRecord,
  open: number,
  close: number,
  f: Friction,
  cal: Calendar,
  rng: Rng,
): HistoryEntry[] {
  const span = Math.max(20, close - open);
  const at = (share: number): number => open + Math.round(span * share);
  const c0 = f.slips === 2 ? close - rng.int(40, 70) : f.slips === 1 ? close - rng.int(15, 35) : close;
  const patches: Patch[] = [
    { day: open, stage: "discovery", close: c0 },
    { day: at(0.25), stage: "proposal" },
    { day: at(0.5), stage: "negotiation" },
  ];
  if (f.slips === 2) {
    patches.push({ day: at(0.4), close: c0 + Math.floor((close - c0) / 2) });
    patches.push({ day: at(0.65), close });
  } else if (f.slips === 1) patches.push({ day: at(0.6), close });
  if (f.back) patches.push({ day: at(0.75), stage: "proposal" });
  if (f.discount !== null) patches.push({ day: at(0.55), discount: f.discount });
  // Closed the day before the close date (a churner is gone on it).
  patches.push({ day: close - 1, stage: "closed" });
  patches.sort((a, b) => a.day - b.day);
  const amount = typeof deal.amount === "number" ? deal.amount : undefined;
  let stage = "discovery";
  let closeDay = c0;
  let discount: number | undefined;
  const out: HistoryEntry[] = [];
  patches.forEach((p, i) => {
    stage = p.stage ?? stage;
    closeDay = p.close ?? closeDay;
    discount = p.discount ?? discount;
    const entry: HistoryEntry = {
      at: cal.iso(p.day * 1440 + 9 * 60 + i * 7),
      stage,
      close_date: cal.date(closeDay),
    };
    if (discount !== undefined) entry.discount_requested_pct = discount;
    if (amount !== undefined) entry.amount = amount;
    out.push(entry);
  });
  deal.history = out;
  if (f.discount !== null) deal.discount_requested_pct = f.discount;
  return out;
}
