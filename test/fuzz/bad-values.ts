/**
 * Bad values for one field, by the field's kind: each template makes a fresh
 * variant (a random position, character, date or number), says which
 * category it belongs to, and whether it is still bad as a CSV cell (a
 * number sent as a JSON string is fine in CSV, where every cell is text).
 */
import { listTemplates, objectTemplates } from "./bad-structures.js";
import { BAD_TIMES, impossibleTime, outOfRangeTime } from "./bad-times.js";
import { C0, EMOJI, t, type ValueTemplate, withCharAt } from "./categories.js";
import { type FieldSpec, INT_MAX, MAX_ID } from "./contract.js";
import type { Rng } from "./prng.js";
import { ABSENT, Raw } from "./serialize.js";

export { type BadValue, CATEGORIES, type Category, type ValueTemplate } from "./categories.js";

const WHITESPACE = [" ", "   ", "\t", " \t ", "\n", " \r\n ", "\t\t\n"];

/** Blank, absent or null where a value is required. */
function requiredTemplates(spec: FieldSpec): ValueTemplate[] {
  const numeric = spec.kind === "int" || spec.kind === "num";
  const msg = numeric ? undefined : /is required/;
  return [
    t("missing_required", "absent", () => ABSENT, true, /is required/),
    t("missing_required", "null", () => null, true, /is required/),
    t("empty_required", "empty string", () => "", true, msg),
    t("empty_required", "whitespace only", (r) => r.pick(WHITESPACE), true, msg),
  ];
}

function textTemplates(spec: FieldSpec & { kind: "text" | "id" }): ValueTemplate[] {
  const max = spec.kind === "id" ? MAX_ID : spec.max;
  return [
    t("wrong_type", "a number", (r) => r.int(-1e6, 1e6), false),
    t("wrong_type", "a boolean", (r) => r.chance(0.5), false),
    t("wrong_type", "an object", (r) => ({ [r.word()]: r.word() }), false),
    t("wrong_type", "a list", (r) => [r.word()], false),
    t("control_chars", "a NUL", (r) => withCharAt(r, r.word(), "\u0000")),
    t("control_chars", "only NUL", (r) => "\u0000".repeat(r.int(1, 3))),
    t("control_chars", "a C0 control", (r) => withCharAt(r, r.word(), String.fromCharCode(r.pick(C0)))),
    t("control_chars", "an escape sequence", (r) => `\u001b[31m${r.word()}\u001b[0m`),
    t(
      "lone_surrogate",
      "a lone surrogate",
      (r) =>
        withCharAt(
          r,
          r.word(),
          String.fromCharCode(r.chance(0.5) ? r.int(0xd800, 0xdbff) : r.int(0xdc00, 0xdfff)),
        ),
      false,
    ),
    t("lone_surrogate", "half an emoji", (r) => `${r.word()}${"🙂"[0]}`, false),
    t("too_long", "just over the max", (r) => "x".repeat(max + r.int(1, 100))),
    // Over the max however it is counted (code points or UTF-16 units).
    ...(max <= 1000 ? [t("too_long", "over the max in emoji", (r) => "🙂".repeat(max + r.int(1, 50)))] : []),
    {
      category: "huge_string",
      label: "1 MB",
      make: (r) => ({ category: "huge_string", value: r.word(1, 3) + "y".repeat(1024 * 1024), csv: true }),
    },
  ];
}

function enumTemplates(spec: FieldSpec & { kind: "enum" }): ValueTemplate[] {
  const valid = (r: Rng) => r.pick(spec.values);
  const list: ValueTemplate[] = [
    t("bad_enum", "not in the list", (r) => `${r.word()}_${r.int(0, 999)}`),
    t("bad_enum", "upper case", (r) => valid(r).toUpperCase()),
    t("bad_enum", "capitalised", (r) => {
      const v = valid(r);
      return v[0]!.toUpperCase() + v.slice(1);
    }),
    t("emoji_not_allowed", "an emoji", (r) => r.pick(EMOJI)),
    t("emoji_not_allowed", "a value and an emoji", (r) => valid(r) + r.pick(EMOJI)),
    t("bad_enum", "padded with spaces", (r) => (r.chance(0.5) ? ` ${valid(r)}` : `${valid(r)} `), false),
    t("control_chars", "a value and a NUL", (r) => `${valid(r)}\u0000`),
    t("wrong_type", "a number", (r) => r.int(0, 9)),
    t("wrong_type", "a list", (r) => [valid(r)]),
    t("wrong_type", "a boolean", (r) => r.chance(0.5)),
  ];
  if (!spec.required) list.push(t("bad_enum", "empty string", () => "", false));
  return list;
}

const NUMBER_SYNTAX = [
  "0x1F",
  "0b1",
  "0o7",
  "Infinity",
  "-Infinity",
  "NaN",
  "1,000",
  "1_000",
  "1e",
  "--1",
  "+-1",
  "٣",
  "1 000",
  "½",
  "0x",
  "1..2",
  "1e5.5",
];

function numberTemplates(spec: FieldSpec & { kind: "int" | "num" }): ValueTemplate[] {
  const list: ValueTemplate[] = [
    t("non_finite", "1e400", (r) => new Raw(`${r.int(1, 9)}e${r.int(400, 999)}`)),
    t("non_finite", "-1e400", (r) => new Raw(`-${r.int(1, 9)}e${r.int(309, 999)}`)),
    t("number_syntax", "not decimal", (r) => r.pick(NUMBER_SYNTAX)),
    t("number_syntax", "hex", (r) => `0x${r.int(1, 0xffff).toString(16)}`),
    t("emoji_not_allowed", "a number and an emoji", (r) => `${r.int(1, 9)}${r.pick(EMOJI)}`),
    t("wrong_type", "a numeric string", (r) => String(r.int(spec.min ?? 0, spec.max ?? 100)), false),
    t("wrong_type", "a boolean", (r) => r.chance(0.5)),
    t("wrong_type", "an object", (r) => ({ n: r.int(0, 9) })),
    t("wrong_type", "a list", (r) => [r.int(0, 9)]),
  ];
  if (spec.min === 0) {
    list.push(t("negative_number", "-1", () => -1));
    list.push(t("negative_number", "negative", (r) => -(r.int(1, 1e6) + (spec.kind === "num" ? 0.5 : 0))));
    if (spec.kind === "num") list.push(t("negative_number", "-0.01", (r) => -r.int(1, 99) / 100));
  } else if (spec.min !== undefined) {
    list.push(t("out_of_range_number", "below the min", (r) => spec.min! - r.int(1, 5)));
  }
  if (spec.max !== undefined) {
    list.push(t("out_of_range_number", "above the max", (r) => spec.max! + r.int(1, 1000)));
    if (spec.kind === "num")
      list.push(t("out_of_range_number", "just above", (r) => spec.max! + r.int(1, 99) / 100));
  }
  if (spec.kind === "int") {
    const lo = spec.min ?? 0;
    const hi = spec.max ?? 1000;
    list.push(t("fractional_integer", "a fraction", (r) => r.int(lo, hi - 1) + r.pick([0.5, 0.25, 0.001])));
    list.push(t("out_of_range_number", "2^31", (r) => INT_MAX + r.int(1, 1000)));
    list.push(t("out_of_range_number", "2^53 + 2", () => 2 ** 53 + 2));
  }
  return list;
}

function boolTemplates(): ValueTemplate[] {
  return [
    t("wrong_type", "maybe", (r) => r.pick(["maybe", "perhaps", "ja", "si"])),
    t("wrong_type", "yes as a string", (r) => r.pick(["yes", "true", "TRUE", "no", "0"]), false),
    t("wrong_type", "1 as a number", (r) => r.int(0, 1), false),
    t("wrong_type", "2", (r) => r.int(2, 99)),
    t("emoji_not_allowed", "an emoji", (r) => r.pick(["👍", "✅", "❌"])),
    t("wrong_type", "an object", () => ({ value: true })),
  ];
}

function currencyTemplates(spec: FieldSpec): ValueTemplate[] {
  const list = [
    t("bad_enum", "two letters", (r) => r.word(2, 2).toUpperCase()),
    t("bad_enum", "four letters", (r) => r.word(4, 6).toUpperCase()),
    t("bad_enum", "a symbol", (r) => r.pick(["U$D", "€", "$", "£££", "US-"])),
    t("bad_enum", "digits", (r) => String(r.int(100, 999))),
    t("bad_enum", "non-ASCII letters", (r) => r.pick(["ÉUR", "ДОЛ", "円円円"])),
    t("emoji_not_allowed", "an emoji", (r) => r.pick(["💵💵💵", "US💵", "🇺🇸"])),
    t("wrong_type", "a number", (r) => r.int(100, 999)),
    t("bad_enum", "padded", () => " USD", false),
    t("control_chars", "with a NUL", () => "USD\u0000"),
  ];
  if (!spec.required) list.push(t("bad_enum", "empty string", () => "", false));
  return list;
}

function timeTemplates(spec: FieldSpec & { kind: "ts" | "date" }): ValueTemplate[] {
  const list: ValueTemplate[] = [
    t("invalid_date", "not ISO 8601", (r) => r.pick(BAD_TIMES)),
    t("invalid_date", "an impossible date", (r) => impossibleTime(r, spec.kind === "date" && r.chance(0.5))),
    t("out_of_range_date", "out of range", (r) => outOfRangeTime(r)),
    t("wrong_type", "epoch seconds", (r) => r.int(1e9, 2e9)),
    t("wrong_type", "an object", (r) => ({ date: `2025-01-${String(r.int(10, 28))}` })),
    t("emoji_not_allowed", "a date and an emoji", (r) => `2025-03-${r.int(10, 28)}${r.pick(EMOJI)}`),
    t("control_chars", "a date and a NUL", (r) => `2025-03-${r.int(10, 28)}\u0000`),
    t("invalid_date", "a trailing space", (r) => `2025-03-${r.int(10, 28)}T10:00:00Z `, false),
  ];
  if (!spec.required) list.push(t("invalid_date", "empty string", () => "", false));
  return list;
}

/** Every value template for a field (its required templates first). */
export function valueTemplates(spec: FieldSpec): ValueTemplate[] {
  const out = spec.required ? requiredTemplates(spec) : [];
  switch (spec.kind) {
    case "id":
    case "text":
      return [...out, ...textTemplates(spec)];
    case "enum":
      return [...out, ...enumTemplates(spec)];
    case "int":
    case "num":
      return [...out, ...numberTemplates(spec)];
    case "bool":
      return [...out, ...boolTemplates()];
    case "currency":
      return [...out, ...currencyTemplates(spec)];
    case "ts":
    case "date":
      return [...out, ...timeTemplates(spec)];
    case "list":
      return [...out, ...listTemplates()];
    case "object":
      return [...out, ...objectTemplates()];
  }
}
