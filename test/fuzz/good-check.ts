/**
 * The other side of the contract: valid records of every entity — emoji and
 * other Unicode, tabs and newlines, offsets, the edges of the time range —
 * are accepted in every format, or a strict validator would pass the fuzz
 * run by refusing everything.
 */
import { ENTITY_NAMES } from "../../src/ingest/index.js";
import type { Sender } from "./channels.js";
import type { GoodRecords } from "./good-records.js";
import { type Format, toText } from "./serialize.js";
import { answerExcerpt, errorOf, type Outcome, type Tally } from "./verdict.js";

export async function runGoodRecords(
  channel: string,
  send: Sender,
  good: GoodRecords,
  tally: Tally,
  perEntity = 200,
  formats: readonly Format[] = ["json", "ndjson", "csv"],
): Promise<void> {
  for (const entity of ENTITY_NAMES) {
    for (const format of formats) {
      const records = good.many(entity, perEntity);
      const text = toText(records, format, { crlf: format === "csv", bom: format === "csv" });
      let o: Outcome;
      try {
        o = await send(entity, format, Buffer.from(text.text, "utf8"));
      } catch (err) {
        o = { status: "crash", body: undefined, text: String((err as Error).stack ?? err).slice(0, 800) };
      }
      const inserted = (o.body as { inserted?: number } | undefined)?.inserted;
      if (o.status === 200 && inserted === perEntity) {
        tally.ok();
        continue;
      }
      const first = errorOf(o.body)?.details[0];
      const record = typeof first?.record === "number" ? records[first.record] : undefined;
      tally.fail(o.status === "crash" ? "crash" : o.status >= 500 ? "status_500" : "good_rejected", {
        channel: `${channel} ${format}`,
        entity,
        label: `${perEntity} good records`,
        input: record
          ? JSON.stringify(Object.fromEntries(record)).slice(0, 400)
          : `${perEntity} good ${entity}`,
        status: o.status,
        answer: answerExcerpt(o),
      });
    }
  }
}
