import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openPglite } from "../../src/store/index.js";
import type { Outcome, Round } from "./lock-child.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./lock-child.ts", import.meta.url));
export const REFUSAL =
  /the data folder .+ is in use by another Keepwell process \(pid (\d+)\); stop it first, or use PostgreSQL \(DATABASE_URL\) for several processes/;

export interface TrialOptions {
  starters: number;
  /** lock: lockDataDir only; pglite: open PGlite on the folder and insert `rows` rows. */
  mode: "lock" | "pglite";
  rows?: number;
  /** The stale lock in the old pid-only form instead of "<pid> <token>". */
  legacyLock?: boolean;
}

export interface TrialResult {
  /** Starters that held the folder (one after another when a late one began after a release). */
  holders: number[];
  /** Starters refused with the clear message, and the pid it named. */
  refused: { pid: number; named: number }[];
  /** Starters that ended any other way, with their message. */
  failed: { pid: number; message: string }[];
  /** The most holders the log shows at one instant (must be 1). */
  maxAtOnce: number;
  /** pglite mode: rows in the folder afterwards, and how many the holders wrote. */
  rowsKept?: number;
  rowsExpected?: number;
}

/** The pid of a process that has exited: what a lock left by `kill -9` names. */
export function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

/** The largest number of "acquire"s without their "release" at any instant of a log. */
export function mostAtOnce(log: string): number {
  const marks = log
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [what, , ns] = line.split(" ");
      return { delta: what === "acquire" ? 1 : -1, at: BigInt(ns!) };
    })
    // At one instant a release counts before an acquire (a hand-over is not an overlap).
    .sort((a, b) => (a.at === b.at ? a.delta - b.delta : a.at < b.at ? -1 : 1));
  let now = 0;
  let most = 0;
  for (const m of marks) {
    now += m.delta;
    most = Math.max(most, now);
  }
  return most;
}

/** One long-lived starter process (see lock-child.ts), waited on line by line. */
class Starter {
  readonly child: ChildProcess;
  private waiting = new Map<string, (rest: string) => void>();
  private exited: Promise<string>;

  constructor() {
    this.child = spawn(process.execPath, ["--import", "tsx", CHILD], { cwd: ROOT, stdio: "pipe" });
    let stderr = "";
    this.child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(`${code}: ${stderr}`)));
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const [word, round, ...rest] = line.split(" ");
      const key = `${word} ${round}`;
      this.waiting.get(key)?.(rest.join(" "));
      this.waiting.delete(key);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private next(key: string): Promise<string> {
    const line = new Promise<string>((resolve) => this.waiting.set(key, resolve));
    const died = this.exited.then((why) => Promise.reject(new Error(`starter ${this.pid} exited ${why}`)));
    return Promise.race([line, died]);
  }

  /** Hands it a race: resolves once it is ready, with the outcome's promise (boxed: an async function would wait for it). */
  async start(r: Round): Promise<{ done: Promise<Outcome> }> {
    const ready = this.next(`ready ${r.round}`);
    const done = this.next(`done ${r.round}`).then((json) => JSON.parse(json) as Outcome);
    done.catch(() => undefined);
    this.child.stdin!.write(`${JSON.stringify(r)}\n`);
    await ready;
    return { done };
  }

  stop(): void {
    this.child.stdin!.end();
  }
}

async function countRows(dir: string): Promise<number> {
  if (!existsSync(join(dir, "PG_VERSION"))) return 0;
  const db = await openPglite({ dataDir: dir });
  try {
    const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM lock_rows");
    return row?.n ?? 0;
  } finally {
    await db.close();
  }
}

let rounds = 0;

async function race(starters: Starter[], opts: TrialOptions): Promise<TrialResult> {
  const base = mkdtempSync(join(tmpdir(), "keepwell-lock-trial-"));
  const dir = join(base, "data");
  const log = join(base, "log");
  const go = join(base, "go");
  mkdirSync(dir);
  writeFileSync(log, "");
  const dead = deadPid();
  const stale = opts.legacyLock ? String(dead) : `${dead} ${randomBytes(8).toString("hex")}\n`;
  writeFileSync(join(dir, "keepwell.lock"), stale);
  try {
    const round = ++rounds;
    const started = await Promise.all(
      starters.map((s) =>
        s.start({
          round,
          dir,
          log,
          go,
          mode: opts.mode,
          holdMs: 100 + Math.floor(Math.random() * 200),
          rows: opts.rows ?? 0,
        }),
      ),
    );
    writeFileSync(go, "");
    const result: TrialResult = { holders: [], refused: [], failed: [], maxAtOnce: 0 };
    (await Promise.all(started.map((s) => s.done))).forEach(({ outcome, message = "" }, i) => {
      const pid = starters[i]!.pid;
      const named = REFUSAL.exec(message);
      if (outcome === "held") result.holders.push(pid);
      else if (outcome === "refused" && named) result.refused.push({ pid, named: Number(named[1]) });
      else result.failed.push({ pid, message });
    });
    result.maxAtOnce = mostAtOnce(readFileSync(log, "utf8"));
    if (opts.mode === "pglite") {
      result.rowsKept = await countRows(dir);
      result.rowsExpected = result.holders.length * (opts.rows ?? 0);
    }
    return result;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * `trials` races of `starters` processes started together on a fresh data
 * folder holding a stale lock. Lock-only races reuse the same processes
 * (each race has its own folder); PGlite races start fresh ones.
 */
export async function runTrials(opts: TrialOptions & { trials: number }): Promise<TrialResult[]> {
  const results: TrialResult[] = [];
  let pool: Starter[] = [];
  try {
    for (let t = 0; t < opts.trials; t++) {
      if (opts.mode === "pglite" || pool.length === 0) {
        for (const s of pool) s.stop();
        pool = Array.from({ length: opts.starters }, () => new Starter());
      }
      results.push(await race(pool, { ...opts, legacyLock: opts.legacyLock ?? t % 3 === 2 }));
    }
  } finally {
    for (const s of pool) s.stop();
  }
  return results;
}
