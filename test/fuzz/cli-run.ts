/**
 * Bad input through the real CLI binary, a process per input. On PGlite a
 * data folder is one process's, so the CLI gets folders of its own, loaded
 * like the test store; lanes (one per folder) run side by side, and each
 * folder's row counts are checked after its lane. On PostgreSQL the CLI works
 * in the test's own schema, one spawn at a time, counted after each.
 */
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Db, dumpPglite, migrate, openPglite } from "../../src/store/index.js";
import type { BadFile } from "./bad-files.js";
import type { BadCase } from "./bad-records.js";
import { type CliStore, cliSender, packDeliver } from "./channels.js";
import { type GoodRecords, loadWorld, type World } from "./good-records.js";
import { makePacks } from "./packs.js";
import type { Rng } from "./prng.js";
import { fileExample, judgeFile } from "./run-bad-files.js";
import { sendPack } from "./run-packs.js";
import { excerptOf, recordJson } from "./serialize.js";
import { type Counts, countDiff, folderCounts, rowCounts, sameCounts } from "./store-counts.js";
import { answerExcerpt, type Cause, type Example, type Tally } from "./verdict.js";

export interface CliLane {
  store: CliStore;
  /** Counted after every spawn (PostgreSQL) or only before and after the lane (PGlite folders). */
  counts: () => Promise<Counts>;
  perSpawn: boolean;
}

/**
 * `n` PGlite folders under `dir`, each migrated and holding the world: made
 * from a dump of `source` (an in-memory PGlite store just loaded with the
 * world) when given, else the first made from scratch and copied.
 */
export async function prepareCliFolders(
  dir: string,
  world: World,
  n: number,
  source?: Db,
): Promise<CliLane[]> {
  mkdirSync(dir, { recursive: true });
  const copy = source ? await dumpPglite(source) : undefined;
  const lanes: CliLane[] = [];
  for (let i = 0; i < n; i++) {
    const dataDir = join(dir, `cli-store-${i}`);
    if (!copy && i > 0) cpSync(join(dir, "cli-store-0"), dataDir, { recursive: true });
    const db = await openPglite({ dataDir, loadDataDir: copy });
    if (!copy && i === 0) {
      await migrate(db);
      await loadWorld(db, world);
    }
    const counts = await rowCounts(db);
    await db.close();
    let known: Counts | undefined = counts;
    // The first count is known from here; the lane's last one opens the folder again.
    lanes.push({
      store: { dataDir },
      counts: async () => {
        const c = known ?? (await folderCounts(dataDir));
        known = undefined;
        return c;
      },
      perSpawn: false,
    });
  }
  return lanes;
}

type Job = { kind: "pack"; pack: ReturnType<typeof makePacks>[number] } | { kind: "file"; file: BadFile };

interface Result {
  cause?: Cause;
  example: Example;
}

async function runJob(lane: CliLane, dir: string, job: Job): Promise<Result[]> {
  const send = cliSender(lane.store, dir);
  const counts = lane.perSpawn ? lane.counts : undefined;
  if (job.kind === "file") {
    const before = counts ? await counts() : undefined;
    const o = await send(job.file.entity, job.file.format, job.file.bytes);
    const after = counts ? await counts() : undefined;
    const written = before && after && !sameCounts(before, after) ? countDiff(before, after) : "";
    return [
      {
        cause: judgeFile(job.file, o, written !== ""),
        example: fileExample("cli", job.file, o, written ? `[rows written: ${written}] ` : ""),
      },
    ];
  }
  const ch = {
    name: "cli",
    deliver: packDeliver(send),
    counts,
    tally: undefined as never,
    rng: undefined as never,
  };
  const { outcome, written, causes } = await sendPack(ch, job.pack);
  return job.pack.slots.flatMap((s, record) =>
    s.bad
      ? [
          {
            cause:
              causes[record] === "truncated" ? "record_not_named" : (causes[record] as Cause | undefined),
            example: {
              channel: `cli ${job.pack.format}`,
              entity: s.bad.entity,
              category: s.bad.category,
              label: s.bad.label,
              field: s.bad.field,
              record,
              input: excerptOf(recordJson(s.bad.record), 400),
              status: outcome.status,
              answer: (written ? `[rows written: ${written}] ` : "") + answerExcerpt(outcome),
            },
          },
        ]
      : [],
  );
}

/**
 * Spawns the CLI `spawns` times: most on packs of a few bad records (all
 * formats, BOMs and CRLFs among them), some on bad files. Lanes run in
 * parallel; a lane whose counts moved marks all its inputs "rows_written".
 */
export async function runCli(
  lanes: readonly CliLane[],
  dir: string,
  cases: readonly BadCase[],
  files: readonly BadFile[],
  spawns: number,
  rng: Rng,
  good: GoodRecords,
  tally: Tally,
): Promise<void> {
  const fileJobs: Job[] = rng
    .shuffle(files.filter((f) => f.expect.kind === "reject"))
    .slice(0, Math.max(1, Math.floor(spawns / 4)))
    .map((file) => ({ kind: "file", file }));
  const packCount = Math.max(0, spawns - fileJobs.length);
  const sample = rng.shuffle(cases).slice(0, packCount * 5);
  const packJobs: Job[] = makePacks(sample, rng, good, {
    size: 5,
    goodShare: 0.5,
    formats: ["ndjson", "csv", "json", "records"],
    bomFormats: ["ndjson", "csv", "json", "records"],
  })
    .slice(0, packCount)
    .map((pack) => ({ kind: "pack", pack }));
  const jobs = [...packJobs, ...fileJobs];
  await Promise.all(
    lanes.map(async (lane, i) => {
      const mine = jobs.filter((_, j) => j % lanes.length === i);
      const before = lane.perSpawn ? undefined : await lane.counts();
      const results: Result[] = [];
      for (const job of mine) results.push(...(await runJob(lane, dir, job)));
      const after = lane.perSpawn ? undefined : await lane.counts();
      const moved = before && after && !sameCounts(before, after) ? countDiff(before, after) : "";
      for (const r of results) {
        const cause = r.cause ?? (moved ? "rows_written" : undefined);
        if (cause === undefined) tally.ok();
        else
          tally.fail(
            cause,
            moved ? { ...r.example, answer: `[lane rows written: ${moved}] ${r.example.answer}` } : r.example,
          );
      }
    }),
  );
}
