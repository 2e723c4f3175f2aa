import type { Command } from "commander";
import { AppError } from "../errors.js";
import {
  NdjsonTruthWriter,
  type SimulateOptions,
  StoreSink,
  simulate,
  simulateToDir,
} from "../simulate/index.js";
import { withStore } from "./context.js";
import { progress, reportError } from "./output.js";

export interface SimulateFlags {
  accounts: string;
  months: string;
  seed: string;
  start?: string;
  end?: string;
  out?: string;
  truth?: string;
  json?: boolean;
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AppError("bad_request", `--${name} must be a positive whole number`);
  return n;
}

/** Today (UTC midnight): the default end of a simulated window. */
export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

export function simulateOptions(f: SimulateFlags, now: Date): SimulateOptions {
  const opts: SimulateOptions = {
    accounts: positiveInt(f.accounts, "accounts"),
    months: positiveInt(f.months, "months"),
    seed: f.seed,
  };
  if (f.start) opts.start = f.start;
  if (f.end || !f.start) opts.end = f.end ?? todayUtc(now);
  return opts;
}

export function simulateCommand(program: Command): void {
  program
    .command("simulate")
    .description("simulate a SaaS company with known futures, into the store or (--out) into NDJSON files")
    .option("--accounts <n>", "customer accounts", "500")
    .option("--months <n>", "months of history", "24")
    .option("--seed <seed>", "same seed, same company (byte for byte)", "1")
    .option("--start <date>", "first day of the history (YYYY-MM-DD)")
    .option("--end <date>", "the day after the last day (YYYY-MM-DD; default today)")
    .option("--out <dir>", "write one NDJSON file per entity into this folder instead of the store")
    .option("--truth <file>", "also write the ground truth (latent health, churn dates and causes) here")
    .option("--json", "print the counts as JSON")
    .action(async (flags: SimulateFlags) => {
      try {
        const opts = simulateOptions(flags, new Date());
        const began = performance.now();
        let counts: Record<string, number>;
        if (flags.out) {
          counts = (await simulateToDir({ ...opts, out: flags.out, truth: flags.truth })).counts;
        } else {
          counts = await withStore(program, {}, async ({ db }) => {
            const bar = progress("simulating into the store");
            const sink = new StoreSink(db, { onProgress: bar.update });
            const truth = flags.truth ? new NdjsonTruthWriter(flags.truth) : undefined;
            try {
              await simulate(opts, sink, truth);
              await sink.close();
            } finally {
              await truth?.close();
              bar.done();
            }
            return sink.written;
          });
        }
        const seconds = Math.round((performance.now() - began) / 100) / 10;
        if (flags.json) console.log(JSON.stringify({ counts, seconds }));
        else {
          const total = Object.values(counts).reduce((a, b) => a + b, 0);
          console.log(
            `simulated ${opts.accounts} accounts: ${total.toLocaleString("en")} records in ${seconds} s`,
          );
          for (const [e, n] of Object.entries(counts))
            console.log(`  ${e.padEnd(14)} ${n.toLocaleString("en")}`);
          if (flags.out)
            console.log(
              `files in ${flags.out}; import them with: keepwell import <entity> ${flags.out}/<entity>.ndjson`,
            );
        }
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });
}
