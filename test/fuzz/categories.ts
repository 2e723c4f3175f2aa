/** The categories of bad input, and the shape of a bad-value template. */
import type { Rng } from "./prng.js";

export const CATEGORIES = [
  "wrong_type",
  "missing_required",
  "empty_required",
  "empty_required_mixed",
  "bad_enum",
  "invalid_date",
  "out_of_range_date",
  "negative_number",
  "out_of_range_number",
  "fractional_integer",
  "non_finite",
  "number_syntax",
  "too_long",
  "huge_string",
  "control_chars",
  "lone_surrogate",
  "emoji_not_allowed",
  "prototype_key",
  "unknown_field",
  "deep_nesting",
  "object_too_large",
  "bad_list",
  "duplicate_in_batch",
  "unknown_account",
  "event_id_clash",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface BadValue {
  category: Category;
  /** The value, ABSENT to leave the field out, or Raw JSON text. */
  value: unknown;
  /** Whether the value is still bad written as a CSV cell. */
  csv: boolean;
  /** A message the rejection must carry (e.g. /is required/). */
  message?: RegExp;
}

export interface ValueTemplate {
  category: Category;
  label: string;
  make: (rng: Rng) => BadValue;
}

export const t = (
  category: Category,
  label: string,
  make: (rng: Rng) => unknown,
  csv = true,
  message?: RegExp,
): ValueTemplate => ({ category, label, make: (rng) => ({ category, value: make(rng), csv, message }) });

export const C0 = [...Array.from({ length: 32 }, (_, i) => i)].filter((c) => c !== 9 && c !== 10 && c !== 13);

export function withCharAt(rng: Rng, base: string, ch: string): string {
  const i = rng.int(0, base.length);
  return base.slice(0, i) + ch + base.slice(i);
}

export const EMOJI = ["🙂", "💵", "🚀", "👩‍💻", "🇺🇸", "🔥"];
