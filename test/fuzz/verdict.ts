/**
 * Judging one answer to bad input, and counting: tried, rejected cleanly
 * (4xx / exit 1, record and field named, nothing written), and failures
 * grouped by cause with the first example of each.
 */

export const CAUSES = [
  "crash",
  "status_500",
  "accepted",
  "status_not_4xx",
  "bad_error_body",
  "rows_written",
  "record_not_named",
  "wrong_field",
  "wrong_message",
  "wrong_line",
  "good_record_named",
  "good_rejected",
] as const;
export type Cause = (typeof CAUSES)[number];

/** What a channel answered: an HTTP status (an exit code is mapped: 0 → 200, 1 → 400), or a crash. */
export interface Outcome {
  status: number | "crash";
  body: unknown;
  /** The raw answer (a stack, stdout) when the body is not JSON. */
  text?: string;
  ms?: number;
}

export interface Detail {
  record?: number;
  line?: number;
  field?: string;
  message?: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  details: Detail[];
  total?: number;
}

export function errorOf(body: unknown): ErrorBody | undefined {
  const e = (body as { error?: unknown } | null | undefined)?.error as Partial<ErrorBody> | undefined;
  if (!e || typeof e !== "object") return undefined;
  if (typeof e.code !== "string" || typeof e.message !== "string" || e.message === "") return undefined;
  if (!Array.isArray(e.details)) return undefined;
  return e as ErrorBody;
}

/** A detail names `expected` when it is the field itself or a path inside it (`tags.1`). */
export function fieldMatches(field: string | undefined, expected: string): boolean {
  if (field === undefined) return false;
  return field === expected || field.startsWith(`${expected}.`) || field.startsWith(`${expected}[`);
}

export interface Expectation {
  record: number;
  /** First and last line the record is on (NDJSON, CSV). */
  lines?: [number, number];
  field: string;
  message?: RegExp;
}

/** Whether the answer is a well-formed rejection at all; the cause when not. */
export function rejectionProblem(o: Outcome, written: boolean, needTotal = true): Cause | undefined {
  if (o.status === "crash") return "crash";
  if (o.status >= 500) return "status_500";
  if (o.status < 300) return "accepted";
  if (o.status < 400) return "status_not_4xx";
  const e = errorOf(o.body);
  if (!e || (needTotal && (typeof e.total !== "number" || e.total < e.details.length)))
    return "bad_error_body";
  if (written) return "rows_written";
  return undefined;
}

/** The details that name record `x.record` (or, without a record, its line). */
function ofRecord(details: Detail[], x: Expectation): Detail[] {
  return details.filter((d) =>
    typeof d.record === "number"
      ? d.record === x.record
      : x.lines !== undefined && typeof d.line === "number" && d.line >= x.lines[0] && d.line <= x.lines[1],
  );
}

/**
 * How one bad record fared in a rejection: undefined when its record and
 * field are named (with the message and line expected), "truncated" when it
 * may be among the problems past the first 100, or the cause.
 */
export function judgeRecord(e: ErrorBody, x: Expectation): Cause | "truncated" | undefined {
  const mine = ofRecord(e.details, x);
  if (mine.length === 0) {
    const truncated = e.details.length >= 100 && (e.total ?? 0) > e.details.length;
    return truncated ? "truncated" : "record_not_named";
  }
  const named = mine.filter((d) => fieldMatches(d.field, x.field));
  if (named.length === 0) return "wrong_field";
  const said = x.message ? named.filter((d) => x.message!.test(d.message ?? "")) : named;
  if (said.length === 0) return "wrong_message";
  if (x.lines && !said.some((d) => d.line === undefined || (d.line >= x.lines![0] && d.line <= x.lines![1])))
    return "wrong_line";
  return undefined;
}

export interface Example {
  channel: string;
  entity?: string;
  category?: string;
  label?: string;
  field?: string;
  record?: number;
  input: string;
  status: number | "crash";
  answer: string;
}

export interface CauseReport {
  count: number;
  example: Example;
  /** Failures per category of bad input. */
  by_category: Record<string, number>;
  /** Failures per kind of bad input (the most frequent 40), each with its first example's input and answer. */
  by_label: Record<string, { count: number; input: string; status: number | "crash"; answer: string }>;
}

export interface ChannelReport {
  tried: number;
  rejected_cleanly: number;
  failed: number;
  failures: Partial<Record<Cause, CauseReport>>;
}

interface CauseTally {
  count: number;
  example: Example;
  byCategory: Map<string, number>;
  byLabel: Map<string, { count: number; input: string; status: number | "crash"; answer: string }>;
}

/** Counts for one channel. */
export class Tally {
  tried = 0;
  clean = 0;
  failed = 0;
  readonly failures = new Map<Cause, CauseTally>();

  ok(): void {
    this.tried++;
    this.clean++;
  }

  /** A bad input that was not rejected cleanly (`counted`: it is one of the tried inputs). */
  fail(cause: Cause, example: Example, counted = true): void {
    if (counted) {
      this.tried++;
      this.failed++;
    }
    let f = this.failures.get(cause);
    if (!f) {
      f = { count: 0, example, byCategory: new Map(), byLabel: new Map() };
      this.failures.set(cause, f);
    }
    f.count++;
    const category = example.category ?? "-";
    f.byCategory.set(category, (f.byCategory.get(category) ?? 0) + 1);
    const label = `${example.entity ? `${example.entity} ` : ""}${example.label ?? "-"}`;
    const l = f.byLabel.get(label);
    if (l) l.count++;
    else
      f.byLabel.set(label, {
        count: 1,
        input: example.input.slice(0, 300),
        status: example.status,
        answer: example.answer.slice(0, 300),
      });
  }

  report(): ChannelReport {
    const failures: ChannelReport["failures"] = {};
    for (const c of CAUSES) {
      const f = this.failures.get(c);
      if (!f) continue;
      const labels = [...f.byLabel.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 40);
      failures[c] = {
        count: f.count,
        example: f.example,
        by_category: Object.fromEntries(f.byCategory),
        by_label: Object.fromEntries(labels),
      };
    }
    return { tried: this.tried, rejected_cleanly: this.clean, failed: this.failed, failures };
  }
}

/** An answer, short enough for a report. */
export function answerExcerpt(o: Outcome, max = 600): string {
  const s = o.text ?? JSON.stringify(o.body) ?? "";
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
