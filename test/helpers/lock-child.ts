/**
 * A starter in lock races (run with `node --import tsx`), one race per line
 * of JSON on stdin: {"round", "dir", "log", "go", "mode", "holdMs", "rows"}.
 * For each it prints "ready <round>", waits for the go file, then takes the
 * data folder: with lockDataDir (mode lock), or by opening PGlite on it and
 * inserting <rows> rows in one transaction (mode pglite). While holding it,
 * it appends "acquire <pid> <hrtime ns>" and "release <pid> <hrtime ns>" to
 * the log, then prints "done <round> {"outcome", "message"}". A process runs
 * many rounds, each on its own folder, so a race costs no process start.
 */
import { appendFileSync, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { lockDataDir } from "../../src/store/data-dir-lock.js";

export interface Round {
  round: number;
  dir: string;
  log: string;
  go: string;
  mode: "lock" | "pglite";
  holdMs: number;
  rows: number;
}

export interface Outcome {
  outcome: "held" | "refused" | "failed";
  message?: string;
}

function mark(log: string, what: "acquire" | "release"): void {
  appendFileSync(log, `${what} ${process.pid} ${process.hrtime.bigint()}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function holdWithLock(r: Round): Promise<void> {
  const release = lockDataDir(r.dir);
  mark(r.log, "acquire");
  await sleep(r.holdMs);
  mark(r.log, "release");
  release();
}

async function holdWithPglite(r: Round): Promise<void> {
  // Loaded only here: the lock-only starters stay quick to boot.
  const { openPglite } = await import("../../src/store/pglite.js");
  const db = await openPglite({ dataDir: r.dir });
  mark(r.log, "acquire");
  try {
    await db.exec("CREATE TABLE IF NOT EXISTS lock_rows (pid int NOT NULL, i int NOT NULL)");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO lock_rows SELECT $1::int, g FROM generate_series(1, $2::int) g", [
        process.pid,
        r.rows,
      ]);
    });
    await sleep(r.holdMs);
  } finally {
    mark(r.log, "release");
    await db.close();
  }
}

async function race(r: Round): Promise<Outcome> {
  try {
    await (r.mode === "pglite" ? holdWithPglite(r) : holdWithLock(r));
    return { outcome: "held" };
  } catch (err) {
    const message = (err as Error).message;
    return { outcome: /is in use by another Keepwell process/.test(message) ? "refused" : "failed", message };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const r = JSON.parse(line) as Round;
  process.stdout.write(`ready ${r.round}\n`);
  while (!existsSync(r.go)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  process.stdout.write(`done ${r.round} ${JSON.stringify(await race(r))}\n`);
}
