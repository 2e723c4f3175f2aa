import { addDays, localMidnight, localParts } from "./local-time.js";

/** A recipient's local day as instants: [start, end). 23 or 25 hours long on the days the clocks change. */
export type LocalDay = { date: string; start: Date; end: Date };

export function localDay(now: Date, timeZone: string): LocalDay {
  const date = localParts(now, timeZone).date;
  return { date, start: localMidnight(date, timeZone), end: localMidnight(addDays(date, 1), timeZone) };
}

/** How many of `times` fall in `day`. */
export function countInDay(times: readonly Date[], day: LocalDay): number {
  let n = 0;
  for (const t of times) if (t >= day.start && t < day.end) n++;
  return n;
}

/**
 * Whether one more immediate alert fits the recipient's budget: fewer than
 * `budget` immediate alerts so far in their current local day (from their
 * midnight, not the last 24 hours). Past it, alerts fold into the digest.
 */
export function withinBudget(
  sentTimes: readonly Date[],
  budget: number,
  timeZone: string,
  now: Date,
): boolean {
  return countInDay(sentTimes, localDay(now, timeZone)) < budget;
}
