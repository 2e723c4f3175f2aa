import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type Counts,
  commandLine,
  errorText,
  expectedCounts,
  round,
  type ScenarioOptions,
  sameCounts,
} from "./common.js";
import { describeState, eventState, wholeOf } from "./event-state.js";
import { accountIds, type EventSpec, totalsOf, writeAccountsFile, writeEventsFile } from "./inputs.js";
import { killRun } from "./kill-run.js";
import {
  type Measured,
  type Moment,
  needsTiming,
  reportOf,
  type ScenarioReport,
  type Trial,
} from "./moments.js";
import { lastJson, runCli, watchRun } from "./proc.js";
import { type CrashStore, copyOf, newStore, type StoreKind } from "./stores.js";

export interface ImportScenarioOptions extends ScenarioOptions {
  events: number;
  accounts: number;
  moments: Moment[];
  /** Where the input files go (kept and reused when already there). */
  dir: string;
  /** After each kill, run `import accounts` of a one-record file first (a new CLI process opens the store). */
  probeOpen?: boolean;
  /** Measure a complete import (and a second, unchanged one) before the kills. */
  reference?: boolean;
}

/** The moments the full bench picks from, in order. */
export const IMPORT_MOMENTS: Moment[] = [
  "pidfile:3",
  "read:0.25",
  "read:0.6",
  "readDone",
  "tail:0.5",
  "reported",
];

const PREFIX = "imp_";

/**
 * Scenario 1: `keepwell import events FILE.ndjson` SIGKILLed at each moment,
 * each on a store of its own holding only the accounts; then the store must
 * open, hold none or all of the file (roll-ups matching the events present),
 * and a re-run must complete exactly.
 */
export async function importScenario(kind: StoreKind, opts: ImportScenarioOptions): Promise<ScenarioReport> {
  const began = performance.now();
  const log = opts.log ?? (() => undefined);
  const spec: EventSpec = { prefix: PREFIX, events: opts.events, accounts: opts.accounts };
  const file = join(opts.dir, `crash-events-${opts.events}-${opts.accounts}.ndjson`);
  if (!existsSync(file)) await writeEventsFile(file, spec);
  const size = statSync(file).size;
  const accountsFile = join(opts.dir, `crash-accounts-${opts.accounts}.ndjson`);
  const ids = accountIds(PREFIX, opts.accounts);
  writeAccountsFile(accountsFile, ids);
  const tinyFile = join(opts.dir, "crash-accounts-1.ndjson");
  writeAccountsFile(tinyFile, ids.slice(0, 1));
  const totals = totalsOf(spec);
  const n = opts.events;
  const importArgs = ["import", "events", file, "--json"];
  log(`import on ${kind}: ${n} events (${Math.round(size / 1e6)} MB) over ${opts.accounts} accounts`);

  // PGlite: one folder with the accounts, copied for each run; PostgreSQL: a fresh schema each time.
  let template: CrashStore | undefined;
  if (kind === "pglite") {
    template = await newStore(kind, "import-template");
    await runCli(template, ["import", "accounts", accountsFile]);
  }
  const fresh = async (label: string): Promise<CrashStore> => {
    const copy = template && copyOf(template, label);
    if (copy) return copy;
    const s = await newStore(kind, label);
    await runCli(s, ["import", "accounts", accountsFile]);
    return s;
  };
  const stateOf = (s: CrashStore) => s.inspect(async (q) => eventState(q, PREFIX));

  const measured: Measured = {};
  const input = { file, size };
  const measure = (run: { seconds: number; readDoneAt?: number }) => {
    measured.full = run.seconds;
    if (run.readDoneAt !== undefined) measured.tail = run.seconds - run.readDoneAt;
  };
  const problems: string[] = [];
  const trials: Trial[] = [];
  let unchangedSeen = false;
  /** The store of a re-run that completed, kept until a kill shows a store holding all (or the end). */
  let spare: { store: CrashStore; where: string } | undefined;

  /** A complete import on a fresh store: reports N inserted and leaves all; a second reports N unchanged. */
  const reference = async () => {
    const s = await fresh("import-reference");
    try {
      const first = await watchRun(s, importArgs, input);
      measure(first);
      const counts = lastJson<Counts>(first.stdout);
      const state = await stateOf(s);
      if (!sameCounts(counts, expectedCounts("none", n)) || wholeOf(state, totals) !== "all")
        problems.push(
          `import on ${kind}: an uninterrupted \`${commandLine(s, importArgs)}\` reported ${JSON.stringify(counts)} and left ${describeState(state, totals)}`,
        );
      const second = lastJson<Counts>((await runCli(s, importArgs)).stdout);
      unchangedSeen = true;
      if (!sameCounts(second, expectedCounts("all", n)))
        problems.push(`import on ${kind}: a second complete import reported ${JSON.stringify(second)}`);
      log(`  reference: ${round(first.seconds, 1)} s; again: unchanged ${second.unchanged}`);
    } finally {
      await s.dispose();
    }
  };

  if (opts.reference) await reference();
  for (const moment of opts.moments) {
    if (needsTiming(moment) && measured.full === undefined) await reference();
    const s = await fresh(`import-${moment.replace(/[^a-z0-9.]/gi, "_")}`);
    let kept = false;
    const trial: Trial = { moment, killed: false, at_s: 0, mid_work: false, state: "?", rerun_exact: false };
    trials.push(trial);
    const where = () =>
      `import on ${kind}: SIGKILL at ${moment} (${trial.at_s} s after start) of \`${commandLine(s, importArgs)}\` (${n} events over ${opts.accounts} accounts, \`import accounts\` first)`;
    try {
      const k = await killRun(s, importArgs, moment, measured, input);
      await s.settle();
      trial.killed = k.killed;
      trial.at_s = round(k.at);
      if (k.failedStart)
        problems.push(
          `${where()}; after ${k.attempts} such kill(s) the next start could not open the store: ${k.failedStart.split("\n")[0]}`,
        );
      // Mid-work: the input was open and the result not yet printed.
      trial.mid_work = k.killed && k.sawInput && k.linesBefore === 0;
      if (kind === "pglite") trial.stale_lock = k.killed && s.lockOwner() === k.pid;
      if (opts.probeOpen) {
        const probe = lastJson<Counts>((await runCli(s, ["import", "accounts", tinyFile, "--json"])).stdout);
        if (!sameCounts(probe, { inserted: 0, updated: 0, unchanged: 1 }))
          problems.push(
            `${where()}: then \`import accounts\` of one known account reported ${JSON.stringify(probe)}`,
          );
      }
      const before = await stateOf(s);
      trial.state = wholeOf(before, totals);
      if (trial.state === "partial" || (!k.killed && trial.state !== "all"))
        problems.push(`${where()} left ${describeState(before, totals)}`);
      const rerun = await watchRun(s, importArgs, input);
      const counts = lastJson<Counts>(rerun.stdout);
      const after = await stateOf(s);
      const want = expectedCounts(trial.state, n);
      const countsRight = want === undefined || sameCounts(counts, want);
      trial.rerun_exact = countsRight && wholeOf(after, totals) === "all";
      if (trial.state === "none" && measured.full === undefined) measure(rerun);
      if (trial.state === "all") unchangedSeen = true;
      if (!trial.rerun_exact)
        problems.push(
          `${where()}; the store then held ${trial.state}, and the re-run reported ${JSON.stringify(counts)} (expected ${JSON.stringify(want)}) and left ${describeState(after, totals)}`,
        );
      if (trial.rerun_exact && !unchangedSeen) {
        await spare?.store.dispose();
        spare = { store: s, where: where() };
        kept = true;
      }
      log(
        `  ${moment}: ${k.killed ? `killed at ${trial.at_s} s` : `finished first (${trial.at_s} s)`}${k.read !== undefined ? `, read ${Math.round(k.read * 100)}%` : ""}; held ${trial.state}; re-run ${trial.rerun_exact ? "exact" : "NOT exact"} (${round(rerun.seconds, 1)} s)`,
      );
    } catch (err) {
      if (trial.state === "?") trial.state = "error";
      problems.push(`${where()}: ${errorText(err)}`);
      log(`  ${moment}: ${errorText(err)}`);
    } finally {
      if (!kept) await s.dispose();
    }
  }
  if (spare) {
    // No kill left the whole file: import it once more where a re-run completed, to see "unchanged".
    try {
      if (!unchangedSeen) {
        const again = lastJson<Counts>((await runCli(spare.store, importArgs)).stdout);
        if (!sameCounts(again, expectedCounts("all", n)))
          problems.push(
            `${spare.where}; a second complete import after the re-run reported ${JSON.stringify(again)}`,
          );
      }
    } catch (err) {
      problems.push(`${spare.where}; a second complete import after the re-run: ${errorText(err)}`);
    } finally {
      await spare.store.dispose();
    }
  }
  await template?.dispose();
  return reportOf(
    {
      scenario: "import",
      store: kind,
      size: { events: n, accounts: opts.accounts, file_mb: Math.round(size / 1e6) },
      full_seconds: measured.full === undefined ? undefined : round(measured.full),
      ...(measured.tail === undefined ? {} : { tail_seconds: round(measured.tail) }),
    },
    trials,
    problems,
    began,
  );
}
