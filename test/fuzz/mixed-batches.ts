/**
 * One bad record among 10,000 good ones — first, in the middle, last, and
 * all three at once: the whole batch must be rejected, the bad record named,
 * nothing written. Then the 10,000 good ones alone must be accepted, so a
 * rejection is known to be the bad record's doing.
 */
import type { EntityName } from "../../src/ingest/index.js";
import type { BadCase } from "./bad-records.js";
import type { GoodRecords } from "./good-records.js";
import type { Pack, Slot } from "./packs.js";
import { type Channel, runPacks, sendPack } from "./run-packs.js";
import type { Format } from "./serialize.js";

export const MIXED_SIZE = 10_000;

const PLACES = [
  { name: "start", entity: "events" as const, at: (_n: number) => [0] },
  { name: "middle", entity: "tickets" as const, at: (n: number) => [Math.floor(n / 2)] },
  { name: "end", entity: "metrics" as const, at: (n: number) => [n - 1] },
  {
    name: "start, middle and end",
    entity: "subscriptions" as const,
    at: (n: number) => [0, Math.floor(n / 2), n - 1],
  },
];

/** Bad cases that stand alone (no duplicate pair, no clash), of `entity`, for `format`. */
function standalone(cases: readonly BadCase[], entity: EntityName, format: Format): BadCase[] {
  return cases.filter(
    (c) =>
      c.entity === entity &&
      c.group === "any" &&
      c.prelude.length === 0 &&
      (format !== "csv" || c.csv) &&
      c.category !== "huge_string",
  );
}

export async function runMixedBatches(
  ch: Channel,
  good: GoodRecords,
  cases: readonly BadCase[],
  format: Format,
  size = MIXED_SIZE,
  /** Which of the places to run (all when absent): "start", "middle", "end", "start, middle and end". */
  places?: readonly string[],
  /** Also send `size` good records alone, which must be accepted in full. */
  withControl = true,
): Promise<void> {
  const packs: Pack[] = [];
  for (const place of PLACES) {
    if (places && !places.includes(place.name)) continue;
    const pool = standalone(cases, place.entity, format);
    if (pool.length === 0) continue;
    const at = place.at(size);
    const picks = ch.rng.shuffle(pool);
    const slots: Slot[] = [];
    for (let i = 0; i < size; i++) {
      const k = at.indexOf(i);
      if (k >= 0) {
        const bad = picks[k % picks.length]!;
        slots.push({ entries: bad.record, bad });
      } else slots.push({ entries: good.record(place.entity) });
    }
    packs.push({ entity: place.entity, format, slots, opts: {} });
  }
  await runPacks({ ...ch, confirm: false }, packs);
  if (!withControl) return;
  // The control: the same size of good records alone is accepted in full.
  const control: Pack = {
    entity: "events",
    format,
    slots: good.many("events", size).map((entries) => ({ entries })),
    opts: {},
  };
  const { outcome } = await sendPack({ ...ch, counts: undefined }, control);
  const inserted = (outcome.body as { inserted?: number } | undefined)?.inserted;
  if (outcome.status !== 200 || inserted !== size) {
    ch.tally.fail(
      "good_rejected",
      {
        channel: `${ch.name} ${format}`,
        entity: "events",
        label: `${size} good records alone`,
        input: `${size} good events`,
        status: outcome.status,
        answer: JSON.stringify(outcome.body ?? outcome.text).slice(0, 600),
      },
      false,
    );
  }
}
