import { z } from "zod";

/**
 * Query-string values, read strictly: plain decimal digits (no hex, no
 * exponent tricks), and dates a store can hold. z.coerce.number would take
 * "0x10" as 16 and z.iso.date "0000-01-01", which PostgreSQL then refuses.
 */
const DIGITS = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export function queryInt(min: number, max: number) {
  return z
    .string()
    .regex(DIGITS, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export function queryNumber(min: number, max: number) {
  return z
    .string()
    .regex(DECIMAL, "must be a number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

const inYears = (s: string) => s.slice(0, 4) >= "1900" && s.slice(0, 4) <= "9999";

/** YYYY-MM-DD between 1900 and 9999. */
export const queryDate = z.iso.date().refine(inYears, "must be between 1900-01-01 and 9999-12-31");

/** A scoring date: an ISO date or date-time between 1900 and 9999. */
export const asOfDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .refine((s) => {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
    return t >= Date.UTC(1900, 0, 1) && t < Date.UTC(10_000, 0, 1);
  }, "must be between 1900-01-01 and 9999-12-31");
