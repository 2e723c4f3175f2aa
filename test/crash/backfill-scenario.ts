import { commandLine, errorText, round, type ScenarioOptions } from "./common.js";
import { killRun } from "./kill-run.js";
import { type Measured, type Moment, reportOf, type ScenarioReport, type Trial } from "./moments.js";
import { runCli, startCli } from "./proc.js";
import { newStore, type Query, type StoreKind } from "./stores.js";

export interface BackfillScenarioOptions extends ScenarioOptions {
  accounts: number;
  months: number;
  moments: Moment[];
  seed?: string;
  /** Run an uninterrupted backfill first and compare every re-run with it (and time it for `time:` moments). */
  reference?: boolean;
}

/** The moments the full bench picks from, for a backfill of `months` months. */
export function backfillMoments(months: number): Moment[] {
  return [
    "pidfile:3",
    "month:1",
    `month:${Math.ceil(months / 2)}:0.9`,
    `month:${months - 1}:0.9`,
    "time:0.99",
  ];
}

/** One month of score_history: its rows and a digest of their contents. */
interface MonthRows {
  n: number;
  digest: string;
}

async function monthsOf(q: Query): Promise<Map<string, MonthRows>> {
  const rows = await q<{ month: string; n: number; digest: string }>(
    `SELECT to_char(month, 'YYYY-MM') AS month, count(*)::int AS n,
            md5(string_agg(account || '|' || coalesce(score::text, '-') || '|' || coalesce(band, '-') || '|' ||
                completeness::text || '|' || scorecard_version::text || '|' || metrics::text || '|' ||
                categories::text || '|' || signals::text, E'\\n' ORDER BY account)) AS digest
       FROM score_history GROUP BY month ORDER BY month`,
  );
  return new Map(rows.map((r) => [r.month, { n: r.n, digest: r.digest }]));
}

/** The first day of each of the `months` months before `end` (YYYY-MM-DD, a first of a month). */
function window(end: string, months: number): { from: string; to: string } {
  const d = new Date(`${end}T00:00:00Z`);
  const at = (k: number) => {
    const x = new Date(d);
    x.setUTCMonth(x.getUTCMonth() - k);
    return x.toISOString().slice(0, 10);
  };
  return { from: at(months), to: at(1) };
}

/** Months as a complete run printed them ("  2025-01: 132 accounts, …"): month → accounts scored. */
function printedMonths(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of stdout.matchAll(/^\s+(\d{4}-\d{2}): (\d+) accounts/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

function sameMonths(a: Map<string, MonthRows>, b: Map<string, MonthRows>): boolean {
  return a.size === b.size && [...a].every(([m, r]) => b.get(m)?.n === r.n && b.get(m)?.digest === r.digest);
}

const emptied = async (q: Query) => {
  const months = await monthsOf(q);
  await q("DELETE FROM score_history");
  return months;
};

/**
 * Scenario 2: `keepwell score --backfill` of a simulated company SIGKILLed at
 * each moment, score_history emptied before each kill. Afterwards every month
 * present must be whole (exactly the rows an uninterrupted run writes for
 * it), and a re-run must complete to exactly those rows. The uninterrupted
 * run: with `reference`, a backfill before any kill on the same store;
 * without, the first re-run (each re-run's rows must match the counts it
 * printed, the months the killed run left, and the other re-runs).
 */
export async function backfillScenario(
  kind: StoreKind,
  opts: BackfillScenarioOptions,
): Promise<ScenarioReport> {
  const began = performance.now();
  const log = opts.log ?? (() => undefined);
  const end = "2026-01-01";
  const { from, to } = window(end, opts.months);
  const args = ["score", "--backfill", "--from", from, "--to", to];
  const simulate = ["simulate", "--accounts", String(opts.accounts), "--months", String(opts.months)];
  simulate.push("--seed", opts.seed ?? "crash", "--end", end);
  const s = await newStore(kind, "backfill");
  const problems: string[] = [];
  const trials: Trial[] = [];
  const measured: Measured = {};
  let reference = new Map<string, MonthRows>();
  let workBegan = Number.POSITIVE_INFINITY;
  try {
    const sim = await runCli(s, [...simulate, "--json"]);
    log(
      `backfill on ${kind}: ${opts.accounts} accounts × ${opts.months} months simulated in ${round(sim.seconds, 1)} s`,
    );
    if (opts.reference) {
      const ref = startCli(s, args);
      const refEnd = await ref.exited;
      if (refEnd.code !== 0) throw new Error(`the uninterrupted backfill failed: ${ref.stderr()}`);
      const monthLines = ref.lines.filter((l) => /^\s+\d{4}-\d{2}: /.test(l.text));
      measured.full = refEnd.at;
      measured.monthSeconds = monthLines.map((l) => Number(/\(([\d.]+) s\)\s*$/.exec(l.text)?.[1] ?? 0));
      workBegan = (monthLines[0]?.at ?? 0) - (measured.monthSeconds[0] ?? 0);
      reference = await s.inspect(emptied);
      log(
        `  uninterrupted: ${reference.size} months in ${round(refEnd.at, 1)} s (scoring from ${round(workBegan, 1)} s)`,
      );
      if (reference.size !== opts.months)
        problems.push(
          `backfill on ${kind}: the uninterrupted run wrote ${reference.size} months, not ${opts.months}`,
        );
    }

    for (const moment of opts.moments) {
      const trial: Trial = {
        moment,
        killed: false,
        at_s: 0,
        mid_work: false,
        state: "?",
        rerun_exact: false,
      };
      trials.push(trial);
      const where = () =>
        `backfill on ${kind}: SIGKILL at ${moment} (${trial.at_s} s after start) of \`${commandLine(s, args)}\` after \`${commandLine(s, simulate)}\``;
      try {
        const k = await killRun(s, args, moment, measured);
        await s.settle();
        trial.killed = k.killed;
        trial.at_s = round(k.at);
        if (k.failedStart)
          problems.push(
            `${where()}; after ${k.attempts} such kill(s) the next start could not open the store: ${k.failedStart.split("\n")[0]}`,
          );
        trial.mid_work = k.killed && (k.linesBefore > 0 || k.at >= workBegan);
        if (kind === "pglite") trial.stale_lock = k.killed && s.lockOwner() === k.pid;
        const found = await s.inspect(monthsOf);
        const rerun = await runCli(s, args);
        const printed = printedMonths(rerun.stdout);
        const after = await s.inspect(emptied);
        const printedRight =
          after.size === printed.size && [...after].every(([m, r]) => printed.get(m) === r.n);
        if (reference.size === 0 && printedRight) reference = after;
        const bad = [...found].filter(
          ([m, r]) => reference.get(m)?.n !== r.n || reference.get(m)?.digest !== r.digest,
        );
        for (const [m, r] of bad)
          problems.push(
            `${where()} left month ${m} with ${r.n} rows (an uninterrupted run: ${reference.get(m)?.n ?? 0})${reference.get(m)?.n === r.n ? " that differ from its rows" : ""}`,
          );
        trial.state =
          bad.length > 0
            ? "partial"
            : found.size === 0
              ? "none"
              : found.size === reference.size
                ? "all"
                : `${found.size}/${reference.size} months`;
        trial.rerun_exact = printedRight && sameMonths(after, reference);
        if (!trial.rerun_exact) {
          const diff = [...new Set([...reference.keys(), ...after.keys()])]
            .filter(
              (m) => reference.get(m)?.digest !== after.get(m)?.digest || printed.get(m) !== after.get(m)?.n,
            )
            .map(
              (m) =>
                `${m}: ${after.get(m)?.n ?? 0} rows (printed ${printed.get(m) ?? 0}), uninterrupted ${reference.get(m)?.n ?? 0}`,
            );
          problems.push(
            `${where()}; the re-run did not give an uninterrupted run's rows (${diff.join("; ")})`,
          );
        }
        log(
          `  ${moment}: ${k.killed ? `killed at ${trial.at_s} s` : `finished first (${trial.at_s} s)`} after ${k.linesBefore} months reported; held ${trial.state}; re-run ${trial.rerun_exact ? "exact" : "NOT exact"}`,
        );
      } catch (err) {
        if (trial.state === "?") trial.state = "error";
        problems.push(`${where()}: ${errorText(err)}`);
        log(`  ${moment}: ${errorText(err)}`);
      }
    }
  } finally {
    await s.dispose();
  }
  return reportOf(
    {
      scenario: "backfill",
      store: kind,
      size: {
        accounts: opts.accounts,
        months: opts.months,
        rows: [...reference.values()].reduce((a, r) => a + r.n, 0),
      },
      full_seconds: measured.full === undefined ? undefined : round(measured.full),
    },
    trials,
    problems,
    began,
  );
}
