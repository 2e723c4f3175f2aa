/**
 * Distinct bad records across all 11 entities, each with the field its
 * rejection must name: a good record with one field made bad (bad-values.ts),
 * or a record bad as a whole (prototype keys, unknown fields, a duplicate
 * key in the same input, an unknown account, an event id stored under
 * another account). Deterministic for a seed.
 */
import { createHash } from "node:crypto";
import type { EntityName } from "../../src/ingest/index.js";
import type { Category } from "./bad-values.js";
import { GoodRecords, type World } from "./good-records.js";
import { Rng } from "./prng.js";
import { recordJson } from "./serialize.js";
import { allTemplates, type BadCase, type Template } from "./templates.js";

export { type BadCase, setField } from "./templates.js";

const digestOf = (s: string) => createHash("sha1").update(s).digest("hex").slice(0, 16);

/** A round robin that drops what is exhausted. */
class Cycle<T> {
  private i = 0;
  constructor(public items: T[]) {}
  next(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.items[this.i++ % this.items.length];
  }
  drop(item: T): void {
    this.items = this.items.filter((x) => x !== item);
  }
}

interface Slot {
  template: Template;
  misses: number;
}

/**
 * `count` distinct bad cases for `seed`: a round robin over categories, then
 * over entities within the category, then over that entity's templates, so
 * every category comes up about as often, across all 11 entities. A template
 * that keeps giving cases already made is retired. 1 MB strings come up
 * rarely (`hugeShare` of their turns) to keep a run's memory small.
 */
export function badCases(seed: string | number, count: number, world: World, hugeShare = 0.1): BadCase[] {
  const rng = new Rng(`bad:${seed}`);
  const good = new GoodRecords(rng.fork("good"), world, `b${digestOf(String(seed)).slice(0, 4)}`);
  const byCategory = new Map<Category, Map<EntityName, Slot[]>>();
  for (const template of rng.shuffle(allTemplates(world))) {
    const entities = byCategory.get(template.category) ?? new Map<EntityName, Slot[]>();
    byCategory.set(template.category, entities);
    entities.set(template.entity, [...(entities.get(template.entity) ?? []), { template, misses: 0 }]);
  }
  const categories = new Cycle(
    [...byCategory.values()].map((m) => new Cycle([...m.values()].map((slots) => new Cycle(slots)))),
  );
  const seen = new Set<string>();
  const out: BadCase[] = [];
  while (out.length < count) {
    const entities = categories.next();
    if (!entities) throw new Error(`only ${out.length} distinct bad cases can be made`);
    const slots = entities.next();
    const slot = slots?.next();
    if (!slots || !slot) {
      if (slots) entities.drop(slots);
      else categories.drop(entities);
      continue;
    }
    const { template } = slot;
    if (template.category === "huge_string" && !rng.chance(hugeShare)) continue;
    const made = template.make(rng, good);
    const digest = digestOf(`${template.entity}|${template.category}|${made.key}`);
    if (seen.has(digest)) {
      if (++slot.misses >= 8) slots.drop(slot);
      continue;
    }
    seen.add(digest);
    const { key: _key, ...rest } = made;
    out.push({
      ...rest,
      n: out.length,
      entity: template.entity,
      category: template.category,
      label: template.label,
      digest,
      bytes: [made.record, ...made.prelude].reduce((n, r) => n + recordJson(r).length, 0),
    });
  }
  return out;
}

/** Cases per category and per entity. */
export function coverage(cases: readonly BadCase[]): {
  byCategory: Record<string, number>;
  byEntity: Record<string, number>;
} {
  const byCategory: Record<string, number> = {};
  const byEntity: Record<string, number> = {};
  for (const c of cases) {
    byCategory[c.category] = (byCategory[c.category] ?? 0) + 1;
    byEntity[c.entity] = (byEntity[c.entity] ?? 0) + 1;
  }
  return { byCategory, byEntity };
}
