/**
 * Sends packed inputs through one channel (HTTP, importFile, the CLI) and
 * judges every bad record in them: the answer must be a 4xx naming the
 * record and field, and the store's row counts must not move. The first
 * failure of each cause is sent again alone, so its example reproduces.
 */
import type { BadCase } from "./bad-records.js";
import { type Pack, singlePack } from "./packs.js";
import type { Rng } from "./prng.js";
import { type Entries, excerptOf, type Format, recordJson, type Text, toText } from "./serialize.js";
import { type Counts, countDiff, sameCounts } from "./store-counts.js";
import {
  answerExcerpt,
  type Cause,
  type Example,
  errorOf,
  judgeRecord,
  type Outcome,
  rejectionProblem,
  type Tally,
} from "./verdict.js";

export type Deliver = (pack: Pack, text: Text) => Promise<Outcome>;

export interface Channel {
  name: string;
  deliver: Deliver;
  /** The store's row counts now; undefined when this channel checks them itself later (CLI on PGlite). */
  counts?: () => Promise<Counts>;
  tally: Tally;
  rng: Rng;
  /** Confirm a new cause's first example by sending its case alone (default true). */
  confirm?: boolean;
}

const inputOf = (entries: Entries) => excerptOf(recordJson(entries), 400);

function example(ch: Channel, pack: Pack, c: BadCase, record: number, o: Outcome, extra = ""): Example {
  return {
    channel: `${ch.name} ${pack.format}${pack.opts.bom ? "+bom" : ""}${pack.opts.crlf ? "+crlf" : ""}`,
    entity: c.entity,
    category: c.category,
    label: c.label,
    field: c.field,
    record,
    input:
      inputOf(c.record) +
      (c.prelude.length
        ? ` (after ${c.prelude.length} record with the same key: ${inputOf(c.prelude[0]!)})`
        : ""),
    status: o.status,
    answer: extra + answerExcerpt(o),
  };
}

async function deliverSafely(ch: Channel, pack: Pack, text: Text): Promise<Outcome> {
  const t0 = performance.now();
  try {
    return { ...(await ch.deliver(pack, text)), ms: performance.now() - t0 };
  } catch (err) {
    return { status: "crash", body: undefined, text: String((err as Error).stack ?? err).slice(0, 800) };
  }
}

/** Sends one input; returns the answer, whether rows were written, and the per-record causes. */
export async function sendPack(
  ch: Channel,
  pack: Pack,
): Promise<{ outcome: Outcome; written: string; causes: (Cause | "truncated" | undefined)[] }> {
  const before = ch.counts ? await ch.counts() : undefined;
  const text = toText(
    pack.slots.map((s) => s.entries),
    pack.format,
    pack.opts,
  );
  const outcome = await deliverSafely(ch, pack, text);
  const after = ch.counts ? await ch.counts() : undefined;
  const written = before && after && !sameCounts(before, after) ? countDiff(before, after) : "";
  const problem = rejectionProblem(outcome, written !== "");
  const e = errorOf(outcome.body);
  const causes = pack.slots.map((s, record) => {
    if (!s.bad) return undefined;
    if (problem) return problem;
    return judgeRecord(e!, {
      record,
      lines: text.lines?.[record],
      field: s.bad.field,
      message: s.bad.message,
    });
  });
  return { outcome, written, causes };
}

/**
 * Runs the packs; a bad record the answer may have left out (past the first
 * 100 problems) is sent again alone. Good records named in a rejection are
 * counted as "good_record_named" (not among the tried).
 */
export async function runPacks(ch: Channel, packs: readonly Pack[]): Promise<void> {
  const again: BadCase[] = [];
  const formatOf = new Map<BadCase, Format>();
  for (const pack of packs) {
    const { outcome, written, causes } = await sendPack(ch, pack);
    const e = errorOf(outcome.body);
    for (const [record, s] of pack.slots.entries()) {
      const cause = causes[record];
      if (!s.bad) {
        const d = e?.details.find((x) => x.record === record);
        if (d) {
          ch.tally.fail(
            "good_record_named",
            {
              channel: `${ch.name} ${pack.format}`,
              entity: pack.entity,
              record,
              input: inputOf(s.entries),
              status: outcome.status,
              answer: JSON.stringify(d),
            },
            false,
          );
        }
        continue;
      }
      if (cause === "truncated") {
        again.push(s.bad);
        formatOf.set(s.bad, pack.format);
      } else if (cause === undefined) ch.tally.ok();
      else await failure(ch, pack, s.bad, record, cause, outcome, written);
    }
  }
  for (const c of again) {
    const pack = singlePack(c, formatOf.get(c)!, ch.rng);
    const { outcome, written, causes } = await sendPack(ch, pack);
    const record = pack.slots.length - 1;
    const cause = causes[record];
    if (cause === undefined) ch.tally.ok();
    else
      await failure(
        ch,
        pack,
        c,
        record,
        cause === "truncated" ? "record_not_named" : cause,
        outcome,
        written,
      );
  }
}

async function failure(
  ch: Channel,
  pack: Pack,
  c: BadCase,
  record: number,
  cause: Cause,
  outcome: Outcome,
  written: string,
): Promise<void> {
  const note = written ? `[rows written: ${written}] ` : "";
  if (ch.tally.failures.has(cause) || ch.confirm === false || pack.slots.length === c.prelude.length + 1) {
    ch.tally.fail(cause, example(ch, pack, c, record, outcome, note));
    return;
  }
  // The first of its cause: send it alone, so the example is one record (or a duplicate pair).
  const alone = singlePack(c, pack.format === "records" ? "json" : pack.format, ch.rng);
  const single = await sendPack(ch, alone);
  const aloneRecord = alone.slots.length - 1;
  const aloneCause = single.causes[aloneRecord];
  const aloneNote = single.written ? `[rows written: ${single.written}] ` : "";
  ch.tally.fail(
    cause,
    aloneCause === undefined
      ? example(
          ch,
          pack,
          c,
          record,
          outcome,
          `${note}[clean when sent alone; in a pack of ${pack.slots.length}] `,
        )
      : example(
          ch,
          alone,
          c,
          aloneRecord,
          single.outcome,
          aloneNote + (aloneCause !== cause ? `[alone: ${aloneCause}] ` : ""),
        ),
  );
}
