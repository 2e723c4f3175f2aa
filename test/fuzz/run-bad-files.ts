/** Sends the bad (and odd-but-fine) files through a channel and judges each. */
import type { BadFile } from "./bad-files.js";
import type { Sender } from "./channels.js";
import { excerptOf } from "./serialize.js";
import { type Counts, countDiff, sameCounts } from "./store-counts.js";
import {
  answerExcerpt,
  type Cause,
  type Example,
  errorOf,
  type Outcome,
  rejectionProblem,
  type Tally,
} from "./verdict.js";

/** Why a file's answer is wrong, or undefined when it is what the file expects. */
export function judgeFile(f: BadFile, o: Outcome, written: boolean): Cause | undefined {
  const x = f.expect;
  if (x.kind === "accept") {
    if (o.status === "crash") return "crash";
    if (o.status >= 500) return "status_500";
    const inserted = (o.body as { inserted?: unknown } | undefined)?.inserted;
    return o.status === 200 && inserted === x.inserted ? undefined : "good_rejected";
  }
  const problem = rejectionProblem(o, written, false);
  if (problem) return problem;
  const details = errorOf(o.body)!.details;
  if (x.headerLine)
    return details.some((d) => d.record === 0 || d.line === 1) ? undefined : "record_not_named";
  if (x.line === undefined && x.record === undefined && x.field === undefined) return undefined;
  const byLine = x.line === undefined ? [] : details.filter((d) => d.line === x.line);
  const byRecord = x.record === undefined ? [] : details.filter((d) => d.record === x.record);
  const anyWhere = x.line === undefined && x.record === undefined ? details : [];
  const mine = [...byLine, ...byRecord, ...anyWhere];
  if (mine.length === 0) return "record_not_named";
  if (x.field !== undefined && !mine.some((d) => d.field === x.field)) return "wrong_field";
  const lined = mine.filter((d) => x.field === undefined || d.field === x.field);
  if (x.line !== undefined && lined.every((d) => d.line !== undefined && d.line !== x.line))
    return "wrong_line";
  return undefined;
}

export function fileExample(channel: string, f: BadFile, o: Outcome, note = ""): Example {
  return {
    channel,
    entity: f.entity,
    category: "bad_file",
    label: f.name,
    field: f.expect.kind === "reject" ? f.expect.field : undefined,
    input: `${f.format} (${f.bytes.length} bytes): ${excerptOf(f.bytes.subarray(0, 300).toString("utf8"), 300)}`,
    status: o.status,
    answer: note + answerExcerpt(o),
  };
}

export async function runBadFiles(
  channel: string,
  send: Sender,
  files: readonly BadFile[],
  counts: () => Promise<Counts>,
  tally: Tally,
): Promise<void> {
  for (const f of files) {
    const before = await counts();
    let o: Outcome;
    try {
      o = await send(f.entity, f.format, f.bytes);
    } catch (err) {
      o = { status: "crash", body: undefined, text: String((err as Error).stack ?? err).slice(0, 800) };
    }
    const after = await counts();
    const written = !sameCounts(before, after);
    const cause = judgeFile(f, o, written && f.expect.kind === "reject");
    if (cause === undefined) tally.ok();
    else
      tally.fail(
        cause,
        fileExample(
          channel,
          f,
          o,
          written && f.expect.kind === "reject" ? `[rows written: ${countDiff(before, after)}] ` : "",
        ),
      );
  }
}
