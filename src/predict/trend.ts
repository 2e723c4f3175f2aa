import { RELATIVE_SUFFIX } from "./relative.js";

/**
 * An account's own trajectory as features: how far its health score, its
 * category scores, its active users and its depth of use moved over the last one and three
 * months (`<feature>:change_1m`, `<feature>:change_3m`): the value at the
 * observation minus the value in the account's snapshot of that many months
 * before. A customer that is drifting away loses ground month after month,
 * well before its level alone looks worse than that of a customer who has
 * always used the product lightly, and a CSM reads "health score: change
 * over 3 months" as a reason at once. Measured on two simulated 5,000-account
 * companies, the share of churners flagged 60 days ahead at precision 0.40
 * went from 54.5% to 58.0% on one (seed holdout-5000) and stayed at 52.8% on
 * the other (validate-5001); at precision 0.30, +1.8 and +1.5 points.
 * The depth of use (actions per active day) came later: a customer whose
 * people still log in but do less each time is drifting before its active
 * users fall. Its change, with the level, lifted the same share from 58.8%
 * to 60.4% (holdout-5000), 55.6% to 56.9% (validate-5001) and 55.0% to
 * 55.6% (validate-5002); the level alone moved it by less than noise.
 *
 * Point in time: the earlier snapshot is older than the observation, so it
 * holds only older facts. Missing when either value is.
 */

/** The account's health score as a feature (the level the changes are taken of). */
export const SCORE_FEATURE = "health_score";

/** The features whose change is taken. */
export const TREND_FEATURES: readonly string[] = [
  SCORE_FEATURE,
  `category:product_engagement${RELATIVE_SUFFIX}`,
  "category:support_health",
  "category:executive_engagement",
  `active_users_30d${RELATIVE_SUFFIX}`,
  "actions_per_active_day_30d",
];

/** The spans, in months, the changes are taken over. */
export const TREND_MONTHS: readonly number[] = [1, 3];

export const changeFeature = (feature: string, months: number): string => `${feature}:change_${months}m`;

/** Matches a change feature's name: the feature and the months. */
export const CHANGE_PATTERN = /^(.+):change_(\d+)m$/;

/**
 * The first of the month nearest to `months` calendar months before `date`
 * (YYYY-MM-DD or an ISO instant): the snapshot a change is taken against. For
 * an observation dated on the first of a month it is exactly that many months
 * earlier; for a current score taken mid-month, the nearer month start.
 */
export function snapshotMonthBefore(date: string, months: number): string {
  const t = new Date(date.length === 10 ? `${date}T00:00:00Z` : date);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() - months;
  const day = t.getUTCDate();
  const daysInMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  // Past the middle of the month (time of day counted), the next month start is nearer.
  const fraction = (day - 1 + (t.getTime() % 86_400_000) / 86_400_000) / daysInMonth;
  const start = new Date(Date.UTC(y, m + (fraction > 0.5 ? 1 : 0), 1));
  return start.toISOString().slice(0, 10);
}

/**
 * `record` with the change of each TREND_FEATURES value against the record of
 * the account's snapshot `k` months before, for each k in TREND_MONTHS
 * (`earlier(k)` gives it, or undefined when there is none).
 */
export function withTrends(
  record: Readonly<Record<string, number>>,
  earlier: (months: number) => Readonly<Record<string, number>> | undefined,
): Record<string, number> {
  const out: Record<string, number> = { ...record };
  for (const k of TREND_MONTHS) {
    const before = earlier(k);
    if (!before) continue;
    for (const f of TREND_FEATURES) {
      const now = record[f];
      const then = before[f];
      if (now !== undefined && then !== undefined) out[changeFeature(f, k)] = now - then;
    }
  }
  return out;
}
