import { fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { StoreSink, simulate, simulateToDir } from "../src/simulate/index.js";
import { argValue, benchStore, peakRssMb } from "./store-for-bench.js";

const END = "2026-11-01";

async function toFiles(accounts: number, months: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "keepwell-sim-bench-"));
  try {
    const r = await simulateToDir({ accounts, months, seed: "bench", end: END, out });
    console.log(
      JSON.stringify({
        run: "files",
        accounts,
        months,
        records: r.records,
        events: r.counts.events,
        seconds: Math.round(r.elapsedMs / 100) / 10,
        records_per_s: Math.round(r.records / (r.elapsedMs / 1000)),
        peak_rss_mb: peakRssMb(),
      }),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function toStore(accounts: number, months: number): Promise<void> {
  const { db, cleanup } = await benchStore("pglite");
  try {
    const t0 = performance.now();
    const sink = new StoreSink(db);
    await simulate({ accounts, months, seed: "bench", end: END }, sink);
    await sink.close();
    const s = (performance.now() - t0) / 1000;
    const records = Object.values(sink.written).reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        run: "pglite",
        accounts,
        months,
        records,
        events: sink.written.events,
        seconds: Math.round(s),
        records_per_s: Math.round(records / s),
        peak_rss_mb: peakRssMb(),
      }),
    );
  } finally {
    await cleanup();
  }
}

/** `npm run bench -- simulate [--accounts 100000] [--store-accounts 10000] [--months 24] [--only files|pglite]` */
export async function main(args: string[]): Promise<void> {
  if (args[0] === "--child") {
    const [, run, accounts, months] = args;
    if (run === "files") await toFiles(Number(accounts), Number(months));
    else await toStore(Number(accounts), Number(months));
    return;
  }
  const months = argValue(args, "months", "24");
  const only = argValue(args, "only", "files,pglite").split(",");
  const runs: [string, string][] = [];
  if (only.includes("files")) runs.push(["files", argValue(args, "accounts", "100000")]);
  if (only.includes("pglite")) runs.push(["pglite", argValue(args, "store-accounts", "10000")]);
  console.log("# simulate: a company with 24 months of history, to NDJSON files and straight into PGlite");
  for (const [run, accounts] of runs) {
    // Each run in its own process, so its peak memory is its own.
    const p = fork(
      fileURLToPath(new URL("./run.ts", import.meta.url)),
      ["simulate", "--child", run, accounts, months],
      {
        execArgv: ["--import", "tsx"],
        stdio: "inherit",
      },
    );
    const [code] = await once(p, "exit");
    if (code !== 0) throw new Error(`simulate bench (${run}) failed`);
  }
}
