/**
 * The whole bad-input fuzz set: `npm run bench -- fuzz [--count 10000]
 * [--seed N] [--store pglite|postgres] [--cli 20]`. At least 10,000 distinct
 * bad records across all 11 entities over HTTP and again through importFile,
 * mixed batches, bad files, every GET route, and real CLI processes. Prints
 * the counts (tried, rejected cleanly, failures by cause with an example) as
 * JSON; exits 1 when anything failed.
 */
import { jobSchemaOf, quoteIdent } from "../src/store/index.js";
import { type CliLane, prepareCliFolders } from "../test/fuzz/cli-run.js";
import type { World } from "../test/fuzz/good-records.js";
import { runFuzz } from "../test/fuzz/runner.js";
import { rowCounts } from "../test/fuzz/store-counts.js";
import { argValue, type BenchStore, benchStore } from "./store-for-bench.js";

export async function main(args: string[]): Promise<void> {
  const count = Number(argValue(args, "count", "10000"));
  const seed = argValue(args, "seed", "1");
  const store = argValue(args, "store", "pglite") as BenchStore;
  const spawns = Number(argValue(args, "cli", "20"));
  if (!Number.isInteger(count) || count < 1) throw new Error("--count must be a positive whole number");
  const { db, cleanup } = await benchStore(store);
  const url =
    process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  try {
    const cliLanes = async (world: World, dir: string): Promise<CliLane[]> => {
      // The bench's PGlite store is a folder this process holds: the CLI's folders are made afresh.
      if (store === "pglite") return prepareCliFolders(dir, world, 2);
      const [row] = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
      // Two processes at a time in the test's schema; counted before and after (a move marks them all).
      const lane = { store: { url, schema: row!.schema }, counts: () => rowCounts(db), perSpawn: false };
      return [lane, { ...lane }];
    };
    const report = await runFuzz({
      db,
      seed,
      count,
      fileCount: count,
      cliSpawns: spawns,
      cliLanes,
      onPhase: (phase, s) => process.stderr.write(`${phase}: ${s} s\n`),
    });
    console.log(JSON.stringify({ store, count, ...report }, null, 2));
    if (report.totals.failed > 0 || Object.keys(report.failures_by_cause).length > 0) process.exitCode = 1;
  } finally {
    if (store === "postgres") await db.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(jobSchemaOf(db))} CASCADE`);
    await cleanup();
  }
}
