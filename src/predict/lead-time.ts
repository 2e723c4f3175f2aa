import { dayNumber } from "./dataset.js";

/**
 * Lead time: how early a flag warned of each churn.
 *
 * Definition. For each churner (an account with a churn date C that has at
 * least one observation dated strictly before C), take its observations dated
 * before C in date order. If the last of them is not flagged, the churner was
 * not warned: lead time null (it counts as 0 days). Otherwise find the
 * unbroken run of flagged observations that ends with that last one; its first
 * observation, dated F, is when the warning started and stayed on, and the lead
 * time is C − F in whole days. A flag that came and went earlier does not count.
 * `lead_60_share` / `lead_90_share` are the shares of churners (the
 * denominator includes the unwarned) with a lead time of at least 60 / 90 days.
 * Churners with no observation before their churn date cannot be judged and
 * are counted apart (`unobserved`).
 */

export interface FlagObservation {
  account: string;
  /** ISO date. */
  date: string;
  flagged: boolean;
}

export interface ChurnerLead {
  account: string;
  churn_date: string;
  /** Days between the start of the final unbroken flagged run and the churn; null when not flagged at the end. */
  lead_days: number | null;
  /** Date the final flagged run began. */
  flagged_since: string | null;
}

export interface LeadTimeReport {
  churners: number;
  /** Churners flagged at their last observation before churn. */
  warned: number;
  unobserved: number;
  /** Median lead time of the warned churners. */
  median_lead_days: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
  accounts: ChurnerLead[];
}

export function leadTimes(
  observations: readonly FlagObservation[],
  churnDates: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): LeadTimeReport {
  const churns = churnDates instanceof Map ? churnDates : new Map(Object.entries(churnDates));
  const byAccount = new Map<string, { day: number; date: string; flagged: boolean }[]>();
  for (const o of observations) {
    const churn = churns.get(o.account);
    if (churn === undefined) continue;
    const day = dayNumber(o.date);
    if (day >= dayNumber(churn)) continue;
    const list = byAccount.get(o.account) ?? [];
    if (list.length === 0) byAccount.set(o.account, list);
    list.push({ day, date: o.date, flagged: o.flagged });
  }
  const accounts: ChurnerLead[] = [];
  let unobserved = 0;
  for (const [account, churnDate] of [...churns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const list = byAccount.get(account);
    if (!list || list.length === 0) {
      unobserved++;
      continue;
    }
    list.sort((a, b) => a.day - b.day);
    let k = list.length;
    while (k > 0 && list[k - 1]?.flagged) k--;
    const first = list[k];
    accounts.push({
      account,
      churn_date: churnDate,
      lead_days: first && k < list.length ? dayNumber(churnDate) - first.day : null,
      flagged_since: first && k < list.length ? first.date : null,
    });
  }
  const leads = accounts.map((a) => a.lead_days ?? 0);
  const n = accounts.length;
  const warned = accounts.filter((a) => a.lead_days !== null);
  const sortedLeads = warned.map((a) => a.lead_days as number).sort((a, b) => a - b);
  const mid = sortedLeads.length >> 1;
  const median =
    sortedLeads.length === 0
      ? null
      : sortedLeads.length % 2 === 1
        ? (sortedLeads[mid] as number)
        : ((sortedLeads[mid - 1] as number) + (sortedLeads[mid] as number)) / 2;
  return {
    churners: n,
    warned: warned.length,
    unobserved,
    median_lead_days: median,
    lead_60_share: n > 0 ? leads.filter((d) => d >= 60).length / n : null,
    lead_90_share: n > 0 ? leads.filter((d) => d >= 90).length / n : null,
    accounts,
  };
}
