/**
 * What `keepwell simulate` runs: simulate into a folder of NDJSON files (and
 * the truth into its own file). Prints nothing; returns what it wrote.
 */
import { NdjsonDirSink } from "./ndjson-sink.js";
import type { SimulateOptions } from "./options.js";
import { simulate } from "./simulate.js";
import type { EntityName } from "./sink.js";
import { NdjsonTruthWriter } from "./truth.js";

export interface SimulateToDirOptions extends SimulateOptions {
  /** The folder to write `<entity>.ndjson` files into (created if missing). */
  out: string;
  /** A file for the truth (NDJSON, one account per line); none when omitted. */
  truth?: string;
}

export interface SimulateToDirResult {
  counts: Record<EntityName, number>;
  /** Total records written (truth lines excluded). */
  records: number;
  start: string;
  end: string;
  elapsedMs: number;
}

export async function simulateToDir(
  opts: SimulateToDirOptions,
  now: () => number = () => performance.now(),
): Promise<SimulateToDirResult> {
  const began = now();
  const { out, truth: truthFile, ...options } = opts;
  const sink = new NdjsonDirSink(out);
  const truth = truthFile ? new NdjsonTruthWriter(truthFile) : undefined;
  try {
    const summary = await simulate(options, sink, truth);
    await Promise.all([sink.close(), truth?.close()]);
    const records = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    return {
      counts: summary.counts,
      records,
      start: summary.start,
      end: summary.end,
      elapsedMs: Math.round(now() - began),
    };
  } catch (err) {
    await Promise.allSettled([sink.close(), truth?.close()]);
    throw err;
  }
}
