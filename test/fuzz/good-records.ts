/**
 * Valid records of every entity, referring to accounts that exist, with the
 * valid-but-unusual values a strict validator must still accept: emoji and
 * other Unicode in text, tabs and newlines, time offsets, the edges of the
 * time range, leap days.
 */
import { ENTITIES, ENTITY_NAMES, type EntityName, importRecords } from "../../src/ingest/index.js";
import type { Db } from "../../src/store/index.js";
import { CONTRACT, type FieldSpec } from "./contract.js";
import type { Rng } from "./prng.js";
import type { Entries } from "./serialize.js";

export interface World {
  /** Accounts in the store. */
  accounts: string[];
  /** Events in the store, all under accounts[0]: their ids clash when sent under another account. */
  storedEvents: string[];
}

export function makeWorld(accounts = 50, storedEvents = 20): World {
  const ids = Array.from({ length: accounts }, (_, i) => `acc_${i}`);
  // An id of valid Unicode beyond ASCII is an id like any other.
  ids[ids.length - 1] = "acc_ünï_🚀";
  return { accounts: ids, storedEvents: Array.from({ length: storedEvents }, (_, i) => `stored_evt_${i}`) };
}

/** Loads the world's accounts and stored events into a store (in-process, the import's own code path). */
export async function loadWorld(db: Db, world: World): Promise<void> {
  const accounts = world.accounts.map((id, i) => ({ id, name: `Account ${i}`, seats: 10 + i }));
  await importRecords(db, ENTITIES.accounts, [accounts.map((value, record) => ({ record, value }))]);
  const events = world.storedEvents.map((id, i) => ({
    id,
    account: world.accounts[0],
    ts: `2025-01-${String((i % 28) + 1).padStart(2, "0")}T10:00:00Z`,
    name: "stored.view",
  }));
  await importRecords(db, ENTITIES.events, [events.map((value, record) => ({ record, value }))]);
}

const UNICODE = [
  "Café Ünïcødé",
  "数据分析",
  "🚀 launch",
  "naïve résumé",
  "emoji 👩‍💻🎉",
  "tab\tseparated",
  "two\nlines",
  "crlf\r\nline",
  'quote "x", comma',
  "Ελληνικά",
  "עברית",
  "ℵ₀ ∑ √2",
];

function goodText(rng: Rng, max: number): string {
  const s = rng.chance(0.3) ? rng.pick(UNICODE) : `${rng.word()} ${rng.word()}`;
  return s.slice(0, max);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

function goodTimestamp(rng: Rng): string {
  if (rng.chance(0.03))
    return rng.pick([
      "1900-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      "2024-02-29T12:00:00Z",
      "1900-01-01T00:00:00-05:00",
      "9999-12-31T10:00:00+13:00",
    ]);
  const y = rng.int(2019, 2026);
  const d = `${y}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const t = `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  switch (rng.int(0, 5)) {
    case 0:
      return d;
    case 1:
      return `${d}T${t}+02:00`;
    case 2:
      return `${d}T${t}`;
    case 3:
      return `${d}T${t}.${pad(rng.int(0, 999), 3)}Z`;
    case 4:
      return `${d}T${t}-07:30`;
    default:
      return `${d}T${t}Z`;
  }
}

function goodDate(rng: Rng): string {
  if (rng.chance(0.03)) return rng.pick(["1900-01-01", "9999-12-31", "2024-02-29"]);
  const d = `${rng.int(2019, 2027)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  return rng.chance(0.1) ? `${d}T12:00:00Z` : d;
}

function goodObject(rng: Rng, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = rng.int(0, 3); i > 0; i--) {
    const k = rng.chance(0.2) ? rng.pick(["ключ", "clé", "🔑", "a b", "constructor"]) : rng.word(1, 6);
    const r = rng.int(0, 5);
    o[k] =
      r === 0 && depth < 4
        ? goodObject(rng, depth + 1)
        : r === 1
          ? rng.int(-1000, 1000)
          : r === 2
            ? rng.chance(0.5)
            : r === 3
              ? [rng.word(), rng.int(0, 9), null]
              : goodText(rng, 50);
  }
  return o;
}

/** A valid value for a field (numbers inside their range). */
export function goodValue(rng: Rng, spec: FieldSpec, world: World, field: string): unknown {
  switch (spec.kind) {
    case "id":
      return field === "account" ? rng.pick(world.accounts) : undefined;
    case "text":
      return goodText(rng, spec.max);
    case "enum":
      return rng.pick(spec.values);
    case "int":
      return rng.int(spec.min ?? 0, spec.max ?? 10_000);
    case "num": {
      const lo = spec.min ?? -5000;
      const hi = spec.max ?? 1_000_000;
      return Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
    }
    case "bool":
      return rng.chance(0.5);
    case "currency":
      return rng.pick(["USD", "EUR", "GBP", "JPY", "CHF"]);
    case "ts":
      return goodTimestamp(rng);
    case "date":
      return goodDate(rng);
    case "list":
      return Array.from({ length: rng.int(0, 4) }, () => goodText(rng, 40));
    case "object":
      return goodObject(rng);
  }
}

/** Makes valid records; every id is new (a counter under `tag`), so records never collide. */
export class GoodRecords {
  private n = 0;

  constructor(
    private readonly rng: Rng,
    readonly world: World,
    private readonly tag: string,
  ) {}

  /** A fresh id, unique in the run. */
  nextId(entity: EntityName): string {
    const n = this.n++;
    return this.rng.chance(0.05) ? `${this.tag}_${entity}_${n}_ñ` : `${this.tag}_${entity}_${n}`;
  }

  record(entity: EntityName): Entries {
    const rng = this.rng;
    const entries: Entries = [];
    for (const [field, spec] of Object.entries(CONTRACT[entity])) {
      if (!spec.required && field !== "account" && !rng.chance(0.6)) continue;
      let value: unknown;
      if (spec.kind === "id" && field !== "account") value = this.nextId(entity);
      else if (entity === "metrics" && field === "name") value = `${this.tag}_metric_${this.n++}`;
      else value = goodValue(rng, spec, this.world, field);
      entries.push([field, value]);
    }
    if (entity === "surveys") {
      const kind = entries.find(([k]) => k === "kind")!;
      const score = entries.find(([k]) => k === "score")!;
      score[1] = kind[1] === "csat" ? rng.int(1, 5) : rng.int(0, 10);
    }
    return entries;
  }

  /** `n` good records of `entity`. */
  many(entity: EntityName, n: number): Entries[] {
    return Array.from({ length: n }, () => this.record(entity));
  }

  /** One good record of every entity (a spread for checking the store accepts them all). */
  everyEntity(): Entries[][] {
    return ENTITY_NAMES.map((e) => [this.record(e)]);
  }
}
