/**
 * The templates bad records are made from: a good record with one field
 * made bad (bad-values.ts), or a record bad as a whole (prototype keys,
 * unknown fields, a duplicate key in the same input, an unknown account, an
 * event id stored under another account), each naming the field its
 * rejection must name.
 */
import { ENTITY_NAMES, type EntityName } from "../../src/ingest/index.js";
import { type Category, valueTemplates } from "./bad-values.js";
import { CONTRACT, keyOf } from "./contract.js";
import type { GoodRecords, World } from "./good-records.js";
import type { Rng } from "./prng.js";
import { ABSENT, type Entries, jsonValue, recordJson } from "./serialize.js";

export interface BadCase {
  /** Its place in the generated sequence. */
  n: number;
  entity: EntityName;
  category: Category;
  label: string;
  /** The field the rejection must name. */
  field: string;
  record: Entries;
  /** Good records that must come before it in the same input (the first of a duplicate pair). */
  prelude: Entries[];
  /** Whether it is still bad written as CSV. */
  csv: boolean;
  /** "clash": an event id stored under another account, only found once everything else is valid. */
  group: "any" | "clash";
  /** A message the detail naming the field must match. */
  message?: RegExp;
  /** What makes it distinct from every other case. */
  digest: string;
  /** Its size as JSON (with its prelude): large inputs take the product's worker-thread path. */
  bytes: number;
}

export type Made = Omit<BadCase, "n" | "digest" | "entity" | "category" | "label" | "bytes"> & {
  key: string;
};

export interface Template {
  entity: EntityName;
  category: Category;
  label: string;
  make: (rng: Rng, good: GoodRecords) => Made;
}

export function setField(entries: Entries, field: string, value: unknown): Entries {
  const out = entries.filter(([k]) => k !== field);
  if (value !== ABSENT) out.push([field, value]);
  return out;
}

const PROTO_KEYS = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "__defineGetter__",
  "isPrototypeOf",
];
const TYPO_KEYS = ["acount", "Name", "ID", "opened", "extra", "status ", "näme", "🙂", "colour", "Account"];

function fieldTemplates(entity: EntityName): Template[] {
  const out: Template[] = [];
  for (const [field, spec] of Object.entries(CONTRACT[entity])) {
    for (const vt of valueTemplates(spec)) {
      out.push({
        entity,
        category: vt.category,
        label: `${field}: ${vt.label}`,
        make: (rng, good) => {
          const v = vt.make(rng);
          const value = v.value === ABSENT ? "absent" : jsonValue(v.value);
          return {
            field,
            record: setField(good.record(entity), field, v.value),
            prelude: [],
            csv: v.csv,
            group: "any",
            message: v.message,
            key: `${field}|${value}`,
          };
        },
      });
    }
  }
  return out;
}

function recordTemplates(entity: EntityName, world: World): Template[] {
  const t = (category: Category, label: string, make: Template["make"]): Template => ({
    entity,
    category,
    label,
    make,
  });
  const out: Template[] = [];
  for (const key of PROTO_KEYS) {
    out.push(
      t("prototype_key", `a "${key}" key`, (rng, good) => {
        const value = rng.pick([{}, { polluted: rng.word() }, rng.word(), rng.int(0, 99), [], true]);
        const record: Entries = [...good.record(entity), [key, value]];
        return {
          field: key,
          record,
          prelude: [],
          csv: false,
          group: "any",
          message: /unknown field/,
          key: `${key}|${jsonValue(value)}`,
        };
      }),
    );
  }
  out.push(
    t("unknown_field", "a field the entity does not have", (rng, good) => {
      const key = rng.chance(0.5) ? rng.pick(TYPO_KEYS) : `${rng.word()}_${rng.int(0, 99)}`;
      const value = rng.word();
      const record: Entries = [...good.record(entity), [key, value]];
      return {
        field: key,
        record,
        prelude: [],
        csv: false,
        group: "any",
        message: /unknown field/,
        key: `${key}|${value}`,
      };
    }),
  );
  const { fields: keyFields, field: keyField } = keyOf(entity);
  out.push(
    t("duplicate_in_batch", `the same ${keyField} twice, different contents`, (rng, good) => {
      const first = good.record(entity);
      let record = good.record(entity);
      for (const k of keyFields) record = setField(record, k, first.find(([f]) => f === k)?.[1]);
      if (entity === "metrics") {
        const day = String(first.find(([f]) => f === "date")![1]).slice(0, 10);
        record = setField(record, "date", rng.chance(0.5) ? `${day}T00:00:00Z` : day);
        const v = Number(first.find(([f]) => f === "value")![1]);
        record = setField(record, "value", v + rng.int(1, 100));
      }
      return { field: keyField, record, prelude: [first], csv: true, group: "any", key: recordJson(record) };
    }),
  );
  if (entity !== "accounts") {
    out.push(
      t("unknown_account", "an account not in the store", (rng, good) => {
        const known = rng.pick(world.accounts.slice(0, -1));
        const account = rng.pick([
          `acc_missing_${rng.word()}`,
          known.toUpperCase(),
          known.replace("a", "\u0430").replace(/c/g, "\u0441"),
          `${known}\u200b`,
          `${known}_${rng.word(1, 4)}`,
        ]);
        return {
          field: "account",
          record: setField(good.record(entity), "account", account),
          prelude: [],
          csv: true,
          group: "any",
          message: /unknown account/,
          key: account,
        };
      }),
    );
  }
  if (entity === "events") {
    out.push(
      t("event_id_clash", "an event id stored under another account", (rng, good) => {
        const id = rng.pick(world.storedEvents);
        const account = rng.pick(world.accounts.slice(1));
        let record = setField(good.record(entity), "id", id);
        record = setField(record, "account", account);
        return { field: "id", record, prelude: [], csv: true, group: "clash", key: `${id}|${account}` };
      }),
    );
  }
  if (entity === "surveys") {
    out.push(
      t("out_of_range_number", "a csat score outside 1–5", (rng, good) => {
        const score = rng.pick([0, 6, 7, 8, 9, 10]);
        const record = setField(setField(good.record(entity), "kind", "csat"), "score", score);
        return {
          field: "score",
          record,
          prelude: [],
          csv: true,
          group: "any",
          key: `csat|${score}|${rng.int(0, 3)}`,
        };
      }),
    );
  }
  // A blank required field is "is required" whether or not the record has other problems.
  const fields = Object.entries(CONTRACT[entity]);
  for (const [field, spec] of fields) {
    if (!spec.required || spec.kind === "int" || spec.kind === "num") continue;
    out.push(
      t("empty_required_mixed", `${field}: blank, and another field bad`, (rng, good) => {
        const blank = rng.pick(["", " ", "\t", "  \n"]);
        const [other, otherSpec] = rng.pick(fields.filter(([f]) => f !== field));
        const vt = rng.pick(
          valueTemplates(otherSpec).filter(
            (v) => !/required/.test(v.category) && v.category !== "huge_string",
          ),
        );
        const v = vt.make(rng);
        const record = setField(setField(good.record(entity), field, blank), other, v.value);
        return {
          field,
          record,
          prelude: [],
          csv: v.csv,
          group: "any",
          message: /is required/,
          key: `${field}|${JSON.stringify(blank)}|${other}|${v.value === ABSENT ? "-" : jsonValue(v.value)}`,
        };
      }),
    );
  }
  return out;
}

/** Every template of every entity. */
export function allTemplates(world: World): Template[] {
  return ENTITY_NAMES.flatMap((e) => [...fieldTemplates(e), ...recordTemplates(e, world)]);
}
