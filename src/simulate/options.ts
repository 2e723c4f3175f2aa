/**
 * What a simulation is asked for, and the normalized world every generator
 * reads. Dates are arguments: nothing here looks at the clock.
 */
import { addMonthsUtc, Calendar, utcDay } from "./calendar.js";

export const SEGMENTS = ["smb", "mid_market", "enterprise"] as const;
export type Segment = (typeof SEGMENTS)[number];

export interface SimulateOptions {
  /** How many customer accounts to simulate. */
  accounts: number;
  /** Length of the window in calendar months (default 24). Ignored when both `start` and `end` are given. */
  months?: number;
  /** Same seed and options, same records in the same order (default 1). */
  seed?: number | string;
  /** First day of the window (UTC). Default: `months` before `end`. */
  start?: string | Date;
  /** Day after the window's last day (UTC). Default: `months` after `start`. One of the two is required. */
  end?: string | Date;
  /** Annual logo churn per segment (default smb 0.28, mid_market 0.12, enterprise 0.06). */
  churnRates?: Partial<Record<Segment, number>>;
  /** Share of churn that is sudden, with weak warning signals (default 0.2). */
  suddenChurnShare?: number;
  /** Share of accounts per segment (default smb 0.6, mid_market 0.3, enterprise 0.1). */
  segmentMix?: Partial<Record<Segment, number>>;
  /** Emit a few imported `metrics` rows (default true). */
  metrics?: boolean;
  /** Plant signals (competitors named, silent stakeholders, departing champions, deal friction) and decoys (default true). */
  signals?: boolean;
}

export interface World {
  readonly seed: string;
  readonly accounts: number;
  readonly cal: Calendar;
  readonly churnRates: Readonly<Record<Segment, number>>;
  readonly suddenChurnShare: number;
  readonly segmentMix: Readonly<Record<Segment, number>>;
  readonly metrics: boolean;
  readonly signals: boolean;
  /** Fates (churn, renewals) are decided this many days past the window's end, so futures are known. */
  readonly horizonDays: number;
}

export const DEFAULT_CHURN_RATES: Readonly<Record<Segment, number>> = {
  smb: 0.28,
  mid_market: 0.12,
  enterprise: 0.06,
};
export const DEFAULT_SEGMENT_MIX: Readonly<Record<Segment, number>> = {
  smb: 0.6,
  mid_market: 0.3,
  enterprise: 0.1,
};

function share(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be a number between 0 and ${max}, got ${value}`);
  }
  return value;
}

/** Checks the options and fills in defaults. Throws a RangeError naming the first bad option. */
export function makeWorld(options: SimulateOptions): World {
  const { accounts } = options;
  if (!Number.isInteger(accounts) || accounts < 0) {
    throw new RangeError(`accounts must be a whole number ≥ 0, got ${accounts}`);
  }
  const months = options.months ?? 24;
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    throw new RangeError(`months must be a whole number between 1 and 120, got ${months}`);
  }
  let start: Date;
  let end: Date;
  if (options.start !== undefined && options.end !== undefined) {
    start = utcDay(options.start);
    end = utcDay(options.end);
  } else if (options.start !== undefined) {
    start = utcDay(options.start);
    end = addMonthsUtc(start, months);
  } else if (options.end !== undefined) {
    end = utcDay(options.end);
    start = addMonthsUtc(end, -months);
  } else {
    throw new RangeError("give the window's start or end date (the simulation never reads the clock)");
  }
  const churnRates = { ...DEFAULT_CHURN_RATES, ...options.churnRates };
  for (const s of Object.keys(churnRates) as Segment[]) share(`churnRates.${s}`, churnRates[s], 0.95);
  const segmentMix = { ...DEFAULT_SEGMENT_MIX, ...options.segmentMix };
  for (const s of Object.keys(segmentMix) as Segment[]) share(`segmentMix.${s}`, segmentMix[s], 1000);
  if (SEGMENTS.every((s) => segmentMix[s] === 0)) throw new RangeError("segmentMix must not be all zero");
  return {
    seed: String(options.seed ?? 1),
    accounts,
    cal: new Calendar(start, end),
    churnRates,
    suddenChurnShare: share("suddenChurnShare", options.suddenChurnShare ?? 0.2, 1),
    segmentMix,
    metrics: options.metrics ?? true,
    signals: options.signals ?? true,
    horizonDays: 183,
  };
}
