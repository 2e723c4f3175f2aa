/**
 * The CI subset of the bad-input fuzz set (the whole set: `npm run bench --
 * fuzz`). A fixed seed: ~2,000 distinct bad records over HTTP and 1,000
 * through importFile, across all 11 entities, packed and alone; mixed
 * batches of 10,000; bad files; every GET route with NUL and garbage; a few
 * real CLI processes. Every bad input must get a 4xx (exit 1) naming its
 * record and field, and leave every table's row count as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/store/index.js";
import { type CliLane, prepareCliFolders } from "./fuzz/cli-run.js";
import { type FuzzReport, runFuzz } from "./fuzz/runner.js";
import { rowCounts } from "./fuzz/store-counts.js";
import type { ChannelReport } from "./fuzz/verdict.js";
import { storeName, testDb } from "./helpers/db.js";

const SEED = "ci-1";

describe(`bad input is refused cleanly (${storeName})`, () => {
  let db: Db;
  let report: FuzzReport;

  beforeAll(async () => {
    db = await testDb();
    const cliLanes = async (
      world: Parameters<typeof prepareCliFolders>[1],
      dir: string,
    ): Promise<CliLane[]> => {
      if (storeName === "pglite") return prepareCliFolders(dir, world, 1, db);
      const [row] = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
      const url = process.env.TEST_DATABASE_URL!;
      // Two processes at a time in the test's schema; counted before and after (a move marks them all).
      const lane = { store: { url, schema: row!.schema }, counts: () => rowCounts(db), perSpawn: false };
      return [lane, { ...lane }];
    };
    report = await runFuzz({
      db,
      seed: SEED,
      count: 2000,
      fileCount: 1000,
      cliSpawns: 6,
      cliLanes,
      singleShare: 0.05,
      httpBigEntities: 3,
      getProbes: 700,
      mixedPlaces: { json: ["start, middle and end"], ndjson: ["start", "end"], csv: ["middle"] },
    });
    console.info(`bad-input fuzz (${storeName}) seconds per phase: ${JSON.stringify(report.seconds)}`);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  /** The failures, short enough to read in a test's output: per cause, its count and first example. */
  const failuresOf = (r: ChannelReport | undefined) =>
    Object.fromEntries(
      Object.entries(r?.failures ?? {}).map(([cause, f]) => [
        cause,
        { count: f!.count, by_category: f!.by_category, example: f!.example },
      ]),
    );

  it("makes distinct bad records of every entity and every category", () => {
    expect(report.distinct_bad_records).toBeGreaterThanOrEqual(2000);
    expect(Object.keys(report.coverage.byEntity)).toHaveLength(11);
    for (const n of Object.values(report.coverage.byCategory)) expect(n).toBeGreaterThan(10);
    expect(Object.keys(report.coverage.byCategory).length).toBeGreaterThanOrEqual(24);
  });

  for (const [channel, least] of [
    ["good_records_http", 22],
    ["good_records_file", 22],
    ["http", 2000],
    ["http_mixed_batch", 3],
    ["http_bad_files", 30],
    ["get_routes", 600],
    ["import_file", 1000],
    ["import_file_mixed_batch", 3],
    ["import_file_bad_files", 30],
    ["cli", 6],
  ] as const) {
    it(`${channel}: every bad input is a 4xx naming its record and field, and nothing is written`, () => {
      const r = report.channels[channel];
      expect(r?.tried ?? 0).toBeGreaterThanOrEqual(least);
      expect(failuresOf(r)).toEqual({});
      expect(r!.rejected_cleanly).toBe(r!.tried);
    });
  }
});
