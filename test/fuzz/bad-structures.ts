/** Bad values for the structured fields: lists (tags, attendees) and objects (event properties). */
import { C0, t, type ValueTemplate, withCharAt } from "./categories.js";
import { MAX_LIST_ITEM, MAX_LIST_ITEMS, MAX_OBJECT_BYTES } from "./contract.js";
import { Raw } from "./serialize.js";

export function listTemplates(): ValueTemplate[] {
  return [
    t("wrong_type", "a string", (r) => r.word(), false),
    t("wrong_type", "a number", (r) => r.int(0, 99), false),
    t("wrong_type", "an object", (r) => ({ [r.word()]: r.word() }), false),
    t("bad_list", "numbers", (r) => [r.int(0, 9), r.int(10, 99)]),
    t("bad_list", "a null item", (r) => [r.word(), null]),
    t("bad_list", "a nested list", (r) => [[r.word()]]),
    t("bad_list", "an object item", (r) => [{ [r.word()]: 1 }]),
    t("bad_list", "an item too long", (r) => [r.word(), "z".repeat(MAX_LIST_ITEM + r.int(1, 100))]),
    t("bad_list", "too many items", (r) =>
      Array.from({ length: MAX_LIST_ITEMS + r.int(1, 50) }, (_, i) => `t${i}`),
    ),
    t("bad_list", "unclosed JSON", (r) => `["${r.word()}"`),
    t("control_chars", "a NUL item", (r) => [withCharAt(r, r.word(), "\u0000")]),
    t("lone_surrogate", "a lone surrogate item", (r) => [`${r.word()}\ud800`]),
  ];
}

function deep(depth: number, array: boolean): string {
  return array
    ? `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

export function objectTemplates(): ValueTemplate[] {
  return [
    t("wrong_type", "a string", (r) => r.word()),
    t("wrong_type", "a number", (r) => r.int(0, 99)),
    t("wrong_type", "a list", (r) => [r.int(0, 9)]),
    t("wrong_type", "a boolean", (r) => r.chance(0.5)),
    t("wrong_type", "empty string", () => "", false),
    t("deep_nesting", "33 to 60 deep", (r) => new Raw(deep(r.int(33, 60), r.chance(0.3)))),
    t("deep_nesting", "1,000 deep", (r) => new Raw(deep(r.int(1000, 1100), r.chance(0.3)))),
    t("deep_nesting", "10,000 deep", (r) => new Raw(deep(r.int(10_000, 10_050), r.chance(0.3)))),
    t("object_too_large", "one long string", (r) => ({
      blob: "q".repeat(MAX_OBJECT_BYTES + r.int(10, 5000)),
    })),
    t("object_too_large", "many keys", (r) =>
      Object.fromEntries(
        Array.from({ length: r.int(4000, 4500) }, (_, i) => [`key_${i}_${"k".repeat(12)}`, i]),
      ),
    ),
    t("control_chars", "a NUL in a key", (r) => ({ [withCharAt(r, r.word(), "\u0000")]: 1 })),
    t("control_chars", "a NUL in a string", (r) => ({ k: { deep: withCharAt(r, r.word(), "\u0000") } })),
    t("control_chars", "a C0 control in a string", (r) => ({
      k: [withCharAt(r, r.word(), String.fromCharCode(r.pick(C0)))],
    })),
    t("lone_surrogate", "a lone surrogate key", (r) => ({ [`${r.word()}\udc00`]: 1 })),
    t("prototype_key", "__proto__ inside", (r) => new Raw(`{"__proto__":{"polluted_${r.word()}":true}}`)),
    t("prototype_key", "a nested __proto__", (r) => new Raw(`{"${r.word()}":{"__proto__":{"x":1}}}`)),
    t("non_finite", "1e400 inside", (r) => new Raw(`{"n":${r.int(1, 9)}e${r.int(400, 900)}}`)),
  ];
}
