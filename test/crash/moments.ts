import type { Probe } from "./proc.js";
import type { StoreKind } from "./stores.js";

/**
 * Kill moments, as text:
 * - `after:S`      S seconds after the process started
 * - `time:F`       at share F of a measured complete run (spawn to exit)
 * - `read:F`       once the process has read share F of its input file
 * - `readDone`     as soon as the process has closed its input (the read is over)
 * - `tail:F`       after the read is over, at share F of the time a complete run
 *                  took from that point to its exit (the last writes, commit, ANALYZE)
 * - `reported`     as soon as the process has printed its result (an import's `--json`
 *                  counts: after its commit, before it closes the store)
 * - `month:K[:F]`  a backfill: once month K is reported, plus share F (default 0.5)
 *                  of the time the next month took in the complete run (or month K's own)
 * - `pidfile[:N]`  the instant PGlite creates postmaster.pid, N starts in a row (kill-run.ts)
 * - server only: `upload:F` (F of the body sent), `import:F` (F of the measured
 *   time from the end of the upload to the response), `response` (as it arrives)
 */
export type Moment = string;

export interface Measured {
  /** A complete run's seconds from spawn to exit. */
  full?: number;
  /** A complete run's seconds from the end of its read to its exit. */
  tail?: number;
  /** A complete backfill's seconds per month, as it printed them. */
  monthSeconds?: number[];
}

const MONTH_LINE = /^\s+\d{4}-\d{2}: /;

/** A predicate over what is seen of the process: true when it is time to kill it. */
export function triggerOf(moment: Moment, m: Measured): (p: Probe) => boolean {
  const [kind, a, b] = moment.split(":");
  const x = Number(a);
  switch (kind) {
    case "after":
      return (p) => p.elapsed >= x;
    case "time": {
      if (m.full === undefined) throw new Error(`${moment}: no complete run measured yet`);
      const at = x * m.full;
      return (p) => p.elapsed >= at;
    }
    case "read":
      return (p) => (p.read ?? 0) >= x || p.readDone;
    case "readDone":
      return (p) => p.readDone;
    case "reported":
      return (p) => p.lines.some((l) => l.text.trim() !== "");
    case "tail": {
      if (m.tail === undefined) throw new Error(`${moment}: no complete run measured yet`);
      const wait = x * m.tail;
      return (p) => p.readDoneAt !== undefined && p.elapsed >= p.readDoneAt + wait;
    }
    case "month": {
      const share = b === undefined ? 0.5 : Number(b);
      return (p) => {
        const months = p.lines.filter((l) => MONTH_LINE.test(l.text));
        const kth = months[x - 1];
        if (kth === undefined) return false;
        // The next month's time in the complete run, or else month K's own (as it printed it).
        const next = m.monthSeconds?.[x] ?? Number(/\(([\d.]+) s\)\s*$/.exec(kth.text)?.[1] ?? 0);
        return p.elapsed >= kth.at + share * next;
      };
    }
    default:
      throw new Error(`unknown kill moment ${moment}`);
  }
}

/** Whether a moment waits for a complete run's timing. */
export function needsTiming(moment: Moment): boolean {
  return /^(time|tail|import):/.test(moment);
}

/** Further time shares, when more moments are asked for than a scenario lists. */
const EXTRA_SHARES = [0.5, 0.25, 0.75, 0.1, 0.9, 0.4, 0.6, 0.33, 0.66, 0.2, 0.8, 0.05, 0.95];

/**
 * `n` moments from a scenario's list: all of them (and more time shares when
 * `n` is larger), or `n` spread evenly over it (first and last kept).
 */
export function pickMoments(list: readonly Moment[], n: number, timeKind = "time"): Moment[] {
  if (n >= list.length) {
    const out = [...list];
    for (const share of EXTRA_SHARES) {
      if (out.length >= n) break;
      if (!out.includes(`${timeKind}:${share}`)) out.push(`${timeKind}:${share}`);
    }
    return out;
  }
  if (n <= 1) return list.slice(0, Math.max(0, n));
  return Array.from({ length: n }, (_, i) => list[Math.round((i * (list.length - 1)) / (n - 1))]!);
}

/** One kill and what followed it. */
export interface Trial {
  moment: Moment;
  /** The process was still running when killed (false: it had finished first). */
  killed: boolean;
  /** Seconds since its start when it was killed. */
  at_s: number;
  /** The kill cut work that had begun and not ended (seen from outside: see each scenario). */
  mid_work: boolean;
  /** What the store held afterwards: none, all, partial (a defect), or "k/M months". */
  state: string;
  /** PGlite: the killed process's lock file was left behind (and the next process took it over). */
  stale_lock?: boolean;
  /** The re-run completed to exactly what an uninterrupted run gives (store and reported counts). */
  rerun_exact: boolean;
  detail?: string;
}

export interface ScenarioReport {
  scenario: "import" | "backfill" | "server";
  store: StoreKind;
  size: Record<string, number | string>;
  /** The measured complete run the time-share moments are shares of (seconds). */
  full_seconds?: number;
  /** …and its seconds from the end of its read to its exit (what `tail:F` is a share of). */
  tail_seconds?: number;
  moments: Moment[];
  kills: number;
  mid_work: number;
  states: Record<string, number>;
  reruns_exact: number;
  stale_locks_taken_over?: number;
  /** Anything half-done or not exact, each with how to reproduce it. */
  problems: string[];
  trials: Trial[];
  seconds: number;
}

export function reportOf(
  base: Pick<ScenarioReport, "scenario" | "store" | "size" | "full_seconds" | "tail_seconds">,
  trials: Trial[],
  problems: string[],
  began: number,
): ScenarioReport {
  const states: Record<string, number> = {};
  for (const t of trials) {
    const key = /^\d+\/\d+ months$/.test(t.state) ? "some months" : t.state;
    states[key] = (states[key] ?? 0) + 1;
  }
  const stale = trials.filter((t) => t.stale_lock).length;
  return {
    ...base,
    moments: trials.map((t) => t.moment),
    kills: trials.filter((t) => t.killed).length,
    mid_work: trials.filter((t) => t.mid_work).length,
    states,
    reruns_exact: trials.filter((t) => t.rerun_exact).length,
    ...(base.store === "pglite" ? { stale_locks_taken_over: stale } : {}),
    problems,
    trials,
    seconds: Math.round((performance.now() - began) / 100) / 10,
  };
}
