import { runTrials, type TrialOptions, type TrialResult } from "../test/helpers/lock-trials.js";
import { argValue } from "./store-for-bench.js";

function figures(opts: TrialOptions, trials: TrialResult[], seconds: number): Record<string, unknown> {
  const sum = (f: (t: TrialResult) => number) => trials.reduce((a, t) => a + f(t), 0);
  return {
    mode: opts.mode,
    trials: trials.length,
    starters: opts.starters,
    holders_at_once_max: Math.max(0, ...trials.map((t) => t.maxAtOnce)),
    trials_with_overlap: trials.filter((t) => t.maxAtOnce > 1).length,
    holders: sum((t) => t.holders.length),
    refused: sum((t) => t.refused.length),
    failed: sum((t) => t.failed.length),
    failures: trials.flatMap((t) => t.failed.map((f) => f.message)).slice(0, 3),
    ...(opts.mode === "pglite"
      ? {
          rows_per_holder: opts.rows,
          rows_expected: sum((t) => t.rowsExpected ?? 0),
          rows_kept: sum((t) => t.rowsKept ?? 0),
          trials_losing_rows: trials.filter((t) => t.rowsKept !== t.rowsExpected).length,
        }
      : {}),
    seconds: Math.round(seconds),
  };
}

/**
 * Processes started together on a PGlite data folder holding a stale lock
 * (one naming a dead pid, as kill -9 leaves): how many held it at once, and
 * whether the folder kept every row the holders committed. One JSON line per mode.
 *
 *   npm run bench -- lock [--trials 40] [--starters 2] [--rows 20000]
 *                         [--lock-trials 40] [--lock-starters 8]
 */
export async function main(args: string[]): Promise<void> {
  const runs: (TrialOptions & { trials: number })[] = [
    {
      mode: "pglite",
      trials: Number(argValue(args, "trials", "40")),
      starters: Number(argValue(args, "starters", "2")),
      rows: Number(argValue(args, "rows", "20000")),
    },
    {
      mode: "lock",
      trials: Number(argValue(args, "lock-trials", "40")),
      starters: Number(argValue(args, "lock-starters", "8")),
    },
  ];
  let bad = false;
  for (const run of runs) {
    if (run.trials <= 0) continue;
    const t0 = performance.now();
    const trials = await runTrials(run);
    const out = figures(run, trials, (performance.now() - t0) / 1000);
    bad ||= out.holders_at_once_max !== 1 || out.failed !== 0 || out.rows_kept !== out.rows_expected;
    console.log(JSON.stringify(out));
  }
  if (bad) process.exitCode = 1;
}
