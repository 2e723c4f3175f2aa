import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/**
 * PGlite is one process's database: a second process opening the same folder
 * would corrupt it. `keepwell.lock` in the folder names its holder as
 * "<pid> <token>\n" and keeps everyone else out.
 *
 * Why two starters can never both hold it:
 * - The lock is created with link(2) from a complete temp file: atomic, fails
 *   with EEXIST when it exists, and never shows a half-written file.
 * - A lock whose pid is dead is replaced only by the process that exclusively
 *   created `keepwell.lock.break.<its token>` (again by link), and only if the
 *   lock still holds that token when re-read under the claim; it then renames
 *   a file of its own over the lock. Tokens are random and never come back, so
 *   a late starter that read the old token gets the claim after the winner
 *   dropped it, re-reads, sees another token and gives up.
 * - A claim whose claimer died is broken the same way (a claim of the claim).
 * - Only the holder removes the lock, and only while it still holds its token.
 */
export const LOCK_FILE = "keepwell.lock";

/** How long to keep retrying when others are in the middle of taking over a stale lock. */
const GIVE_UP_MS = 10_000;
/** A lock file without a pid (written by an old version that crashed mid-write) is stale after this. */
const UNREADABLE_STALE_MS = 3_000;
/** Claims of claims: each level needs one more claimer to die mid-takeover. */
const MAX_DEPTH = 4;

/** Folders this process holds (the same process must not open one twice either). */
const held = new Set<string>();

interface Owner {
  pid: number;
  /** The token, or a fingerprint of a lock without one (written by an older Keepwell). */
  id: string;
}
type ReadResult = Owner | "missing" | "young";

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function newToken(): string {
  return randomBytes(8).toString("hex");
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if (code(err) !== "ENOENT") throw err;
  }
}

/** Whether `pid` is another process that is running (this process's own pid is never "another"). */
function otherProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) === "EPERM";
  }
}

function readOwner(file: string): ReadResult {
  let raw: string;
  try {
    raw = readFileSync(file, "utf8");
  } catch (err) {
    if (code(err) === "ENOENT") return "missing";
    throw err;
  }
  const m = /^(\d+)(?: ([0-9a-f]+))?\s*$/.exec(raw);
  const pid = m ? Number(m[1]) : 0;
  if (m?.[2]) return { pid, id: m[2] };
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file);
  } catch (err) {
    if (code(err) === "ENOENT") return "missing";
    throw err;
  }
  if (!pid && Date.now() - stat.mtimeMs < UNREADABLE_STALE_MS) return "young";
  // Named by what it is: any change to the file changes the name.
  const print = createHash("sha1").update(`${stat.ino}:${stat.mtimeMs}:${raw}`).digest("hex");
  return { pid, id: `f${print.slice(0, 15)}` };
}

function tempName(target: string, token: string): string {
  return `${target}.tmp.${process.pid}.${token}`;
}

/** Creates `target` holding this process's pid and `token`, unless it exists. */
function place(target: string, token: string): boolean {
  const content = `${process.pid} ${token}\n`;
  const tmp = tempName(target, token);
  writeFileSync(tmp, content, { flag: "wx" });
  try {
    linkSync(tmp, target);
    return true;
  } catch (err) {
    if (code(err) === "EEXIST") return false;
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"].includes(code(err) ?? "")) throw err;
  } finally {
    removeQuietly(tmp);
  }
  // A file system without hard links: exclusive create, then one small write
  // (a reader seeing it empty in between waits: see "young").
  let fd: number;
  try {
    fd = openSync(target, "wx");
  } catch (err) {
    if (code(err) === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Puts a complete file of this process's over `target` in one step. */
function replace(target: string, token: string): void {
  const tmp = tempName(target, token);
  writeFileSync(tmp, `${process.pid} ${token}\n`, { flag: "wx" });
  try {
    renameSync(tmp, target);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
}

/** Removes `file` if it still holds `token`. */
function drop(file: string, token: string): void {
  const now = readOwner(file);
  if (typeof now === "object" && now.id === token) removeQuietly(file);
}

/**
 * Replaces `file`, found holding `staleId` of a dead process, with a file of
 * this process's; returns its token, or null when someone else is doing it.
 */
function takeOver(file: string, staleId: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return null;
  const claim = `${file}.break.${staleId}`;
  let mine = newToken();
  if (!place(claim, mine)) {
    const claimer = readOwner(claim);
    if (claimer === "missing" || claimer === "young" || otherProcessAlive(claimer.pid)) return null;
    // The claimer died mid-takeover: take its claim over the same way.
    const taken = takeOver(claim, claimer.id, depth + 1);
    if (!taken) return null;
    mine = taken;
  }
  try {
    const now = readOwner(file);
    if (typeof now !== "object" || now.id !== staleId) return null;
    const token = newToken();
    replace(file, token);
    return token;
  } finally {
    drop(claim, mine);
  }
}

/**
 * Leftovers of processes that died mid-takeover. Safe to remove while holding
 * the lock: every claim only ever leads to a re-read of the lock, which now
 * names this process, so whoever holds or makes one gives up.
 */
function removeLitter(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${LOCK_FILE}.`)) continue;
    const file = join(dir, name);
    const tmp = /\.tmp\.(\d+)\.[0-9a-f]+$/.exec(name);
    const owner = tmp ? { pid: Number(tmp[1]) } : readOwner(file);
    // This process's own pid included: its takeover is over, so such a file is older than it.
    if (typeof owner === "object" && !otherProcessAlive(owner.pid)) removeQuietly(file);
  }
}

function inUse(dir: string, pid: number): Error {
  return new Error(
    `the data folder ${dir} is in use by another Keepwell process (pid ${pid}); stop it first, or use PostgreSQL (DATABASE_URL) for several processes`,
  );
}

/** Locks the PGlite data folder `dir` for this process; returns the release. */
export function lockDataDir(dir: string): () => void {
  const key = realpathSync(dir);
  if (held.has(key)) {
    throw new Error(
      `the data folder ${dir} is already open in this Keepwell process (pid ${process.pid}); close it first, or use PostgreSQL (DATABASE_URL) for several connections`,
    );
  }
  const lock = join(dir, LOCK_FILE);
  const deadline = Date.now() + GIVE_UP_MS;
  for (let attempt = 0; ; attempt++) {
    let token: string | null = newToken();
    if (!place(lock, token)) {
      const owner = readOwner(lock);
      // A lock naming this process's pid that this process does not hold is
      // stale: the pid was reused (containers start at the same pids).
      if (typeof owner === "object" && otherProcessAlive(owner.pid)) throw inUse(dir, owner.pid);
      // Missing: released meanwhile (try again at once); young: wait for it to be written.
      token = typeof owner === "object" ? takeOver(lock, owner.id, 0) : null;
      if (owner === "missing" && Date.now() <= deadline) continue;
    }
    if (token) {
      held.add(key);
      removeLitter(dir);
      let released = false;
      const mine = token;
      return () => {
        if (released) return;
        released = true;
        try {
          drop(lock, mine);
        } finally {
          held.delete(key);
        }
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `could not lock the data folder ${dir}: other processes keep taking over its stale lock; if no Keepwell process uses it, delete ${lock}*`,
      );
    }
    sleepSync(2 + Math.random() * 10 * Math.min(attempt + 1, 5));
  }
}
