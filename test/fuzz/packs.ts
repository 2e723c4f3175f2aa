/**
 * Bad cases packed into inputs (a request body or a file): several bad
 * records of one entity with good ones between them, in one format. Only
 * cases still bad as CSV go into CSV inputs; an event id clash is only found
 * once everything else is valid, so clashes travel together, ids unique.
 */
import type { EntityName } from "../../src/ingest/index.js";
import type { BadCase } from "./bad-records.js";
import type { GoodRecords } from "./good-records.js";
import type { Rng } from "./prng.js";
import type { Entries, Format, TextOptions } from "./serialize.js";

export interface Slot {
  entries: Entries;
  /** Set on the bad records; the others are good and must not be named. */
  bad?: BadCase;
}

export interface Pack {
  entity: EntityName;
  format: Format;
  slots: Slot[];
  opts: TextOptions;
}

export interface PackOptions {
  /** Bad records per input. */
  size: number;
  /** Large records (over BIG_RECORD bytes) per input: they travel together, so the worker-thread path a large body takes is paid for once per many. */
  bigSize?: number;
  /** Good records per bad one, on average. */
  goodShare: number;
  formats: readonly Format[];
  /** Formats that may start with a UTF-8 BOM. */
  bomFormats?: readonly Format[];
}

function textOptions(rng: Rng, format: Format, bomFormats: readonly Format[]): TextOptions {
  return {
    bom: bomFormats.includes(format) && rng.chance(0.2),
    crlf: (format === "csv" || format === "ndjson") && rng.chance(0.25),
    blankEvery: format === "ndjson" && rng.chance(0.2) ? rng.int(2, 5) : undefined,
  };
}

const idOf = (c: BadCase) => String(c.record.find(([k]) => k === "id")?.[1]);

/** The slots of an input holding `cases`: each case's prelude right before it, good records sprinkled between. */
export function slotsOf(cases: readonly BadCase[], rng: Rng, good: GoodRecords, goodShare: number): Slot[] {
  const slots: Slot[] = [];
  for (const c of cases) {
    if (rng.chance(goodShare)) slots.push({ entries: good.record(c.entity) });
    for (const p of c.prelude) slots.push({ entries: p });
    slots.push({ entries: c.record, bad: c });
  }
  if (rng.chance(0.5) || slots.length === 1) slots.push({ entries: good.record(cases[0]!.entity) });
  return slots;
}

/** A record this large (as JSON) counts as big. */
export const BIG_RECORD = 8 * 1024;
/** At most this much big-record text per input. */
const BIG_PACK_BYTES = 8 * 1024 * 1024;

export function makePacks(cases: readonly BadCase[], rng: Rng, good: GoodRecords, opts: PackOptions): Pack[] {
  const queues = new Map<string, BadCase[]>();
  for (const c of cases) {
    const k = `${c.entity}|${c.group}|${c.bytes > BIG_RECORD ? "big" : "small"}`;
    queues.set(k, [...(queues.get(k) ?? []), c]);
  }
  const packs: Pack[] = [];
  let turn = 0;
  for (const [k, queue] of queues) {
    const big = k.endsWith("|big");
    const size = big ? (opts.bigSize ?? opts.size) : opts.size;
    let rest = queue;
    while (rest.length) {
      let format = opts.formats[turn++ % opts.formats.length]!;
      if (format === "csv" && !rest.some((c) => c.csv))
        format = opts.formats.find((f) => f !== "csv") ?? "json";
      const taken: BadCase[] = [];
      const ids = new Set<string>();
      let bytes = 0;
      for (const c of rest) {
        if (taken.length >= size || (big && taken.length > 0 && bytes + c.bytes > BIG_PACK_BYTES)) break;
        if (format === "csv" && !c.csv) continue;
        if (c.group === "clash") {
          if (ids.has(idOf(c))) continue;
          ids.add(idOf(c));
        }
        taken.push(c);
        bytes += c.bytes;
      }
      const used = new Set(taken);
      rest = rest.filter((c) => !used.has(c));
      packs.push({
        entity: taken[0]!.entity,
        format,
        slots: slotsOf(taken, rng, good, opts.goodShare),
        opts: textOptions(rng, format, opts.bomFormats ?? []),
      });
    }
  }
  return rng.shuffle(packs);
}

/** One case alone (after its prelude, if any), for single-record inputs and for confirming a failure. */
export function singlePack(c: BadCase, format: Format, rng: Rng, bomFormats: readonly Format[] = []): Pack {
  return {
    entity: c.entity,
    format,
    slots: [...c.prelude.map((entries) => ({ entries })), { entries: c.record, bad: c }],
    opts: textOptions(rng, format, bomFormats),
  };
}
