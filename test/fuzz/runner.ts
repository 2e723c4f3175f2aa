/**
 * The whole fuzz run on one store: the world loaded, the bad cases made, and
 * each channel run in turn — HTTP (packed and single), mixed batches, bad
 * files, GET routes, importFile in every format, and the real CLI. Returns
 * the counts per channel, failures grouped by cause with an example each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "../../src/store/index.js";
import { testServer } from "../helpers/server.js";
import { badFiles } from "./bad-files.js";
import { type BadCase, badCases, coverage } from "./bad-records.js";
import { fileSender, httpSender, packDeliver } from "./channels.js";
import { type CliLane, runCli } from "./cli-run.js";
import { runGetRoutes } from "./get-routes.js";
import { runGoodRecords } from "./good-check.js";
import { GoodRecords, loadWorld, makeWorld, type World } from "./good-records.js";
import { runMixedBatches } from "./mixed-batches.js";
import { BIG_RECORD, makePacks, type Pack, singlePack } from "./packs.js";
import { Rng } from "./prng.js";
import { runBadFiles } from "./run-bad-files.js";
import { type Channel, runPacks } from "./run-packs.js";
import type { Format } from "./serialize.js";
import { rowCounts } from "./store-counts.js";
import { type ChannelReport, Tally } from "./verdict.js";

export interface FuzzOptions {
  db: Db;
  seed: string | number;
  /** Bad records sent over HTTP. */
  count: number;
  /** Bad records imported as files with importFile (default: count). */
  fileCount?: number;
  /** Real CLI processes, and the stores they use (see prepareCliFolders); none when 0. */
  cliSpawns?: number;
  cliLanes?: (world: World, dir: string, db: Db) => Promise<CliLane[]>;
  /** Share of the HTTP records sent one per request (default 0.1). */
  singleShare?: number;
  /** Bad records per packed input (default 30). */
  packSize?: number;
  /** Records in a mixed batch (default 10,000). */
  mixedSize?: number;
  /**
   * Over HTTP, large records (which take the worker-thread path, ~1.5 s a
   * request when run from source) of only this many entities (all when
   * absent); importFile still gets all of them.
   */
  httpBigEntities?: number;
  /** Where the bad records go in the mixed batches, per format (all four places when absent). */
  mixedPlaces?: Partial<Record<"json" | "ndjson" | "csv", string[]>>;
  /** At most this many GET probes (all when absent; NUL probes always run). */
  getProbes?: number;
  onPhase?: (phase: string, seconds: number) => void;
}

export interface FuzzReport {
  seed: string | number;
  distinct_bad_records: number;
  coverage: ReturnType<typeof coverage>;
  channels: Record<string, ChannelReport>;
  totals: { tried: number; rejected_cleanly: number; failed: number };
  failures_by_cause: Record<string, number>;
  seconds: Record<string, number>;
}

const JSON_FORMATS: Format[] = ["json", "records", "ndjson", "csv"];

function httpPacks(
  cases: readonly BadCase[],
  rng: Rng,
  good: GoodRecords,
  size: number,
  singleShare: number,
): Pack[] {
  const singles: Pack[] = [];
  const packed: BadCase[] = [];
  for (const c of cases) {
    // A large body is read on a worker thread (seconds each here, run from source): few go alone.
    const share = c.bytes > BIG_RECORD ? singleShare / 20 : singleShare;
    if (!rng.chance(share)) packed.push(c);
    else
      singles.push(
        singlePack(
          c,
          c.csv && rng.chance(0.25) ? "csv" : rng.pick(["json", "ndjson", "records"] as const),
          rng,
        ),
      );
  }
  return [
    ...singles,
    ...makePacks(packed, rng, good, { size, bigSize: 40, goodShare: 0.3, formats: JSON_FORMATS }),
  ];
}

/** The first `count` cases, large ones only of `bigEntities` entities (picked by the seed) when given. */
function forHttp(
  cases: readonly BadCase[],
  count: number,
  bigEntities: number | undefined,
  rng: Rng,
): BadCase[] {
  if (bigEntities === undefined) return cases.slice(0, count);
  const keep = new Set(rng.shuffle([...new Set(cases.map((c) => c.entity))]).slice(0, bigEntities));
  return cases.filter((c) => c.bytes <= BIG_RECORD || keep.has(c.entity)).slice(0, count);
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const { db } = opts;
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const phase = (name: string) => {
    seconds[name] = Math.round(performance.now() - t) / 1000;
    opts.onPhase?.(name, seconds[name]!);
    t = performance.now();
  };
  const rng = new Rng(`run:${opts.seed}`);
  const world = makeWorld();
  await loadWorld(db, world);
  const dir = mkdtempSync(join(tmpdir(), "keepwell-fuzz-"));
  // The CLI's own stores are copies of this one as it is now: the world and nothing else.
  const lanes = opts.cliSpawns && opts.cliLanes ? await opts.cliLanes(world, dir, db) : [];
  const fileCount = opts.fileCount ?? opts.count;
  // A few more than asked, so HTTP still gets `count` when it leaves large records out.
  const spare = opts.httpBigEntities === undefined ? 0 : Math.ceil(opts.count * 0.2);
  const cases = badCases(opts.seed, Math.max(opts.count + spare, fileCount), world);
  const good = new GoodRecords(rng.fork("good"), world, "g");
  phase("generate");
  const app = await testServer(db);
  const counts = () => rowCounts(db);
  const tallies: Record<string, Tally> = {};
  const channel = (name: string, deliver: Channel["deliver"]): Channel => {
    tallies[name] = new Tally();
    return { name, deliver, counts, tally: tallies[name]!, rng: rng.fork(name) };
  };
  // CLI processes on PGlite folders of their own run beside everything else (they share
  // nothing with this process's store); on PostgreSQL they share its schema, so they run last.
  const runTheCli = () => {
    tallies.cli = new Tally();
    return runCli(
      lanes,
      dir,
      cases,
      badFiles(rng.fork("files-cli"), good),
      opts.cliSpawns!,
      rng.fork("cli"),
      good,
      tallies.cli,
    );
  };
  const separate = lanes.length > 0 && lanes.every((l) => "dataDir" in l.store);
  let cli = separate ? runTheCli() : undefined;
  cli?.catch(() => undefined);
  try {
    const http = httpSender(app);
    const file = fileSender(db, dir);
    tallies.good_records_http = new Tally();
    await runGoodRecords("http", http, good, tallies.good_records_http, 100, ["json", "csv"]);
    tallies.good_records_file = new Tally();
    await runGoodRecords("import_file", file, good, tallies.good_records_file, 100, ["ndjson", "csv"]);
    phase("good_records");
    const httpCases = forHttp(cases, opts.count, opts.httpBigEntities, rng);
    await runPacks(
      channel("http", packDeliver(http)),
      httpPacks(httpCases, rng, good, opts.packSize ?? 30, opts.singleShare ?? 0.1),
    );
    phase("http");
    await runMixedBatches(
      channel("http_mixed_batch", packDeliver(http)),
      good,
      cases,
      "json",
      opts.mixedSize,
      opts.mixedPlaces?.json,
    );
    phase("http_mixed_batch");
    tallies.http_bad_files = new Tally();
    await runBadFiles("http", http, badFiles(rng.fork("files-http"), good), counts, tallies.http_bad_files);
    tallies.get_routes = new Tally();
    await runGetRoutes(app, tallies.get_routes, rng.fork("get"), world.accounts[1]!, opts.getProbes);
    phase("http_files_and_get_routes");

    const filePacks = makePacks(cases.slice(0, fileCount), rng, good, {
      size: opts.packSize ?? 30,
      goodShare: 0.3,
      formats: ["ndjson", "csv", "records", "json"],
      bomFormats: ["ndjson", "csv", "records", "json"],
    });
    await runPacks(channel("import_file", packDeliver(file)), filePacks);
    phase("import_file");
    const mixed = channel("import_file_mixed_batch", packDeliver(file));
    await runMixedBatches(mixed, good, cases, "ndjson", opts.mixedSize, opts.mixedPlaces?.ndjson, false);
    await runMixedBatches(mixed, good, cases, "csv", opts.mixedSize, opts.mixedPlaces?.csv);
    tallies.import_file_bad_files = new Tally();
    await runBadFiles(
      "import_file",
      file,
      badFiles(rng.fork("files-file"), good),
      counts,
      tallies.import_file_bad_files,
    );
    phase("import_file_mixed_and_files");
    if (lanes.length && !separate) cli = runTheCli();

    if (cli) {
      await cli;
      phase("cli");
    }
  } finally {
    await cli?.catch(() => undefined);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const channels = Object.fromEntries(Object.entries(tallies).map(([k, v]) => [k, v.report()]));
  const totals = { tried: 0, rejected_cleanly: 0, failed: 0 };
  const byCause: Record<string, number> = {};
  for (const r of Object.values(channels)) {
    totals.tried += r.tried;
    totals.rejected_cleanly += r.rejected_cleanly;
    totals.failed += r.failed;
    for (const [c, f] of Object.entries(r.failures)) byCause[c] = (byCause[c] ?? 0) + f!.count;
  }
  return {
    seed: opts.seed,
    distinct_bad_records: cases.length,
    coverage: coverage(cases),
    channels,
    totals,
    failures_by_cause: byCause,
    seconds,
  };
}
