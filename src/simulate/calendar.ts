/**
 * The simulated window in UTC. Inside the simulation a moment is a number of
 * minutes since the window's start and a day is a whole number of days since
 * it (negative before the window); the calendar turns them into ISO strings.
 */

export const MINUTES_PER_DAY = 1440;
const DAY_MS = 86_400_000;

/** A calendar month overlapping the window: its label and its days, clipped to the window. */
export interface MonthBucket {
  label: string;
  startDay: number;
  endDay: number;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Parses a date (YYYY-MM-DD, an ISO time, or a Date) to UTC midnight of that day. */
export function utcDay(input: string | Date): Date {
  const d =
    typeof input === "string"
      ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(input) ? `${input}T00:00:00Z` : input)
      : input;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${String(input)}`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The same day `months` calendar months later (clamped to the month's last day). */
export function addMonthsUtc(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), last));
  return target;
}

export class Calendar {
  readonly start: Date;
  readonly end: Date;
  /** Days in the window: day 0 is the start, day `days - 1` the last. */
  readonly days: number;
  readonly months: readonly MonthBucket[];
  private readonly startMs: number;
  private readonly startWeekday: number;
  private readonly dayPrefix: string[] = [];
  private readonly dayDate: string[] = [];
  private readonly clock: string[] = [];

  constructor(start: Date, end: Date) {
    this.start = utcDay(start);
    this.end = utcDay(end);
    this.startMs = this.start.getTime();
    this.days = Math.round((this.end.getTime() - this.startMs) / DAY_MS);
    if (this.days < 28) throw new RangeError("the simulated window must span at least 28 days");
    this.startWeekday = this.start.getUTCDay();
    for (let d = 0; d < this.days + 400; d++) {
      const iso = new Date(this.startMs + d * DAY_MS).toISOString();
      this.dayDate.push(iso.slice(0, 10));
      this.dayPrefix.push(iso.slice(0, 11));
    }
    for (let m = 0; m < MINUTES_PER_DAY; m++)
      this.clock.push(`${pad2(Math.floor(m / 60))}:${pad2(m % 60)}:00.000Z`);
    const months: MonthBucket[] = [];
    let cursor = new Date(Date.UTC(this.start.getUTCFullYear(), this.start.getUTCMonth(), 1));
    while (cursor.getTime() < this.end.getTime()) {
      const next = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
      months.push({
        label: `${cursor.getUTCFullYear()}-${pad2(cursor.getUTCMonth() + 1)}`,
        startDay: Math.max(0, this.dayOf(cursor)),
        endDay: Math.min(this.days, this.dayOf(next)),
      });
      cursor = next;
    }
    this.months = months;
  }

  /** The day number of a date. */
  dayOf(date: Date): number {
    return Math.floor((date.getTime() - this.startMs) / DAY_MS);
  }

  /** The day `months` calendar months after `day`. */
  addMonths(day: number, months: number): number {
    return this.dayOf(addMonthsUtc(new Date(this.startMs + day * DAY_MS), months));
  }

  /** 0 = Sunday … 6 = Saturday. */
  weekday(day: number): number {
    return (((this.startWeekday + day) % 7) + 7) % 7;
  }

  /** Month of year (0–11) and day of month (1–31) of a day. */
  monthDay(day: number): { month: number; dom: number } {
    const d = new Date(this.startMs + day * DAY_MS);
    return { month: d.getUTCMonth(), dom: d.getUTCDate() };
  }

  /** YYYY-MM-DD of a day. */
  date(day: number): string {
    return this.dayDate[day] ?? new Date(this.startMs + day * DAY_MS).toISOString().slice(0, 10);
  }

  /** ISO 8601 time (…T09:15:00.000Z) of a moment in whole minutes since the start. */
  iso(minute: number): string {
    const m = Math.floor(minute);
    const day = Math.floor(m / MINUTES_PER_DAY);
    const prefix = this.dayPrefix[day];
    if (prefix === undefined) return new Date(this.startMs + m * 60_000).toISOString();
    return prefix + this.clock[m - day * MINUTES_PER_DAY]!;
  }
}
