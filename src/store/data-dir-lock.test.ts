import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCK_FILE, lockDataDir } from "./data-dir-lock.js";

const IN_USE = /is in use by another Keepwell process \(pid (\d+)\); stop it first/;

function folder(): string {
  return mkdtempSync(join(tmpdir(), "keepwell-lock-unit-"));
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "0"]);
  return child.pid!;
}

function lockOf(dir: string): string {
  return readFileSync(join(dir, LOCK_FILE), "utf8");
}

/** Only the lock itself: no temp files or break claims left behind. */
function lockFiles(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith(LOCK_FILE));
}

describe("lockDataDir", () => {
  it("writes '<pid> <token>', releases once, and can be taken again", () => {
    const dir = folder();
    const release = lockDataDir(dir);
    expect(lockOf(dir)).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`));
    expect(lockFiles(dir)).toEqual([LOCK_FILE]);
    release();
    expect(lockFiles(dir)).toEqual([]);
    release();
    const again = lockDataDir(dir);
    expect(lockFiles(dir)).toEqual([LOCK_FILE]);
    again();
  });

  it("refuses the same folder twice in one process, by any path to it", () => {
    const dir = folder();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(join(dir, ".", "..", dir.split("/").pop()!))).toThrow(
      /already open in this Keepwell process/,
    );
    release();
    lockDataDir(dir)();
  });

  it("refuses a folder a live process holds, in the new form and the old pid-only form", () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid} 0123456789abcdef\n`);
    expect(() => lockDataDir(dir)).toThrow(IN_USE);
    writeFileSync(join(dir, LOCK_FILE), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(`(pid ${process.ppid})`);
    expect(lockOf(dir)).toBe(String(process.ppid));
  });

  it("takes over a lock of a dead process, or of this pid when this process does not hold it", () => {
    for (const stale of [`${deadPid()} 0123456789abcdef\n`, String(deadPid()), `${process.pid} aaaa\n`]) {
      const dir = folder();
      writeFileSync(join(dir, LOCK_FILE), stale);
      const release = lockDataDir(dir);
      expect(lockOf(dir)).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`));
      expect(lockFiles(dir)).toEqual([LOCK_FILE]);
      release();
    }
  });

  it("takes over an empty lock only once it is a few seconds old", () => {
    const dir = folder();
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const release = lockDataDir(dir);
    expect(lockOf(dir)).toMatch(new RegExp(`^${process.pid} `));
    release();
  });

  it("breaks a claim whose claimer died mid-takeover, and leaves no litter", () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), `${deadPid()} 00000000000000aa\n`);
    writeFileSync(join(dir, `${LOCK_FILE}.break.00000000000000aa`), `${deadPid()} 00000000000000bb\n`);
    writeFileSync(join(dir, `${LOCK_FILE}.tmp.${deadPid()}.00000000000000cc`), "litter");
    const release = lockDataDir(dir);
    expect(lockOf(dir)).toMatch(new RegExp(`^${process.pid} `));
    expect(lockFiles(dir)).toEqual([LOCK_FILE]);
    release();
  });

  it("release leaves a lock alone that no longer holds this process's token", () => {
    const dir = folder();
    const release = lockDataDir(dir);
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid} 0123456789abcdef\n`);
    release();
    expect(lockOf(dir)).toBe(`${process.ppid} 0123456789abcdef\n`);
  });

  it("waits for a live claimer to finish its takeover, then refuses it", async () => {
    const dir = folder();
    const lock = join(dir, LOCK_FILE);
    writeFileSync(lock, `${deadPid()} 00000000000000aa\n`);
    const claim = `${lock}.break.00000000000000aa`;
    // A live process in the middle of a takeover: it holds the claim, and
    // puts its own lock in place 400 ms later.
    const script = `
      const fs = require("node:fs");
      const [lock, claim] = process.argv.slice(1);
      fs.writeFileSync(claim, process.pid + " 00000000000000bb\\n");
      setTimeout(() => {
        fs.writeFileSync(lock + ".new", process.pid + " 00000000000000cc\\n");
        fs.renameSync(lock + ".new", lock);
        fs.unlinkSync(claim);
      }, 400);
      setTimeout(() => {}, 3000);`;
    const child = spawn(process.execPath, ["-e", script, lock, claim], { stdio: "ignore" });
    try {
      while (!existsSync(claim)) await new Promise((r) => setTimeout(r, 10));
      const started = Date.now();
      expect(() => lockDataDir(dir)).toThrow(`(pid ${child.pid})`);
      expect(Date.now() - started).toBeGreaterThan(300);
      expect(lockOf(dir)).toBe(`${child.pid} 00000000000000cc\n`);
    } finally {
      child.kill();
    }
  });
});
