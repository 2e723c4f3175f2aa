/**
 * Wall-clock time in a recipient's time zone, with nothing but
 * `Intl.DateTimeFormat`: what day and minute it is there, and the instant a
 * local time falls at. Quiet hours, budgets and digests are all counted in
 * the recipient's own day.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The wall clock somewhere: its date, the minutes since its midnight, the day of the week (0 = Sunday). */
export type LocalParts = { date: string; minutes: number; weekday: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local wall time of an instant, read as if it were UTC (ms), to the second. */
function wallMs(at: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at)))
    if (part.type !== "literal") p[part.type] = Number(part.value);
  const year = p.year ?? 1970;
  // Some engines write midnight as hour 24 even with h23.
  return Date.UTC(year, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0, p.second ?? 0);
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  return wallMs(at, timeZone) - (at - (((at % 1000) + 1000) % 1000));
}

const isoDate = (utcMs: number) => new Date(utcMs).toISOString().slice(0, 10);

/** The date, minute of the day and weekday an instant shows on a clock in `timeZone`. */
export function localParts(now: Date, timeZone: string): LocalParts {
  const wall = wallMs(now.getTime(), timeZone);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  return {
    date: isoDate(midnight),
    minutes: Math.floor((wall - midnight) / MINUTE_MS),
    weekday: new Date(midnight).getUTCDay(),
  };
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateMs(date: string): number {
  const m = DATE_PATTERN.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms) || isoDate(ms) !== date) throw new Error(`not a date: ${date} (write YYYY-MM-DD)`);
  return ms;
}

/** The date `days` after (or before) a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return isoDate(dateMs(date) + days * DAY_MS);
}

/**
 * The instant a local time falls at: `minutes` after the start of `date` on
 * the clocks of `timeZone`. A time the clocks skip (spring forward) moves
 * forward by the gap (02:30 → 03:30); a time they show twice (fall back)
 * is the first of the two.
 */
export function atLocal(date: string, minutes: number, timeZone: string): Date {
  const wall = dateMs(date) + minutes * MINUTE_MS;
  // The offsets in force a day either side: a zone changes at most once in between.
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const fits = [wall - before, wall - after].filter((at) => at + offsetMs(at, timeZone) === wall);
  if (fits.length > 0) return new Date(Math.min(...fits));
  // In the gap: the offset before the change, which lands as far past the change as the time was.
  return new Date(wall - before);
}

/** The instant a local date starts in `timeZone` (its first moment, if the clocks skip midnight). */
export function localMidnight(date: string, timeZone: string): Date {
  return atLocal(date, 0, timeZone);
}

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Whether `s` is a time zone name this runtime knows ("Europe/London", "UTC"; not "+01:00"). */
export function isTimeZone(s: string): boolean {
  if (!ZONE_NAME.test(s)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: s });
    return true;
  } catch {
    return false;
  }
}
