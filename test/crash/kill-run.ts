import { existsSync, rmSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import { type Measured, type Moment, triggerOf } from "./moments.js";
import { type Kill, killWhen, type Proc, startCli } from "./proc.js";
import type { CrashStore } from "./stores.js";

/** A kill of one command at a moment, and the pid of the (last) process killed. */
export interface KillRun extends Kill {
  pid: number;
  /** How many starts were killed (`pidfile:N` kills N starts in a row). */
  attempts: number;
  /** `pidfile:N`: a start after a kill that could not open the store, with its error. */
  failedStart?: string;
}

/**
 * SIGKILLs the process the instant `name` is created in `dir` (inotify, not
 * polling: the kill lands within moments of its creation).
 */
export async function killOnCreate(p: Proc, dir: string, name: string, timeoutS = 300): Promise<Kill> {
  let killedAt: number | undefined;
  const kill = () => {
    if (killedAt === undefined && p.alive() && p.child.kill("SIGKILL"))
      killedAt = (performance.now() - p.started) / 1000;
  };
  // Created, not removed: a stale file of a killed predecessor is first unlinked.
  const watcher = watch(dir, (_event, file) => {
    if (file === name && existsSync(`${dir}/${name}`)) kill();
  });
  const timer = setTimeout(kill, timeoutS * 1000);
  try {
    const exit = await p.exited;
    const killed = killedAt !== undefined && exit.signal === "SIGKILL";
    return {
      killed,
      at: killed ? killedAt! : exit.at,
      sawInput: false,
      linesBefore: p.lines.length,
      exit: { code: exit.code, signal: exit.signal },
    };
  } finally {
    clearTimeout(timer);
    watcher.close();
  }
}

/**
 * After a start that could not open the store: what the kill left of
 * postmaster.pid. An empty one (the kill landed between its creation and its
 * write) keeps PostgreSQL from ever starting in the folder again ("lock file
 * is empty"); it is removed here, by hand, so the scenario's other moments
 * still run, and the reason says so.
 */
function repairPidfile(dataDir: string): string {
  const pidfile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidfile)) return "";
  const size = statSync(pidfile).size;
  if (size > 0) return ` (the kill left postmaster.pid of ${size} bytes)`;
  rmSync(pidfile);
  return " (the kill left an empty postmaster.pid, which PGlite refuses for good: removed by hand to go on)";
}

/**
 * Runs `keepwell <args>` and kills it at `moment` (see moments.ts). One
 * more moment lives here: `pidfile[:N]` kills the process the instant its
 * embedded PostgreSQL creates `postmaster.pid` in the data folder — just
 * after start, before any work — N starts in a row (default 1). On
 * PostgreSQL, which has no such file, it is `after:1.5`.
 */
export async function killRun(
  store: CrashStore,
  args: string[],
  moment: Moment,
  measured: Measured,
  input?: { file: string; size: number },
): Promise<KillRun> {
  const [kind, n] = moment.split(":");
  if (kind === "pidfile" && store.kind === "pglite" && existsSync(store.dataDir)) {
    const times = Number(n ?? 1);
    let last: KillRun | undefined;
    for (let i = 0; i < times; i++) {
      const p = startCli(store, args);
      const k = await killOnCreate(p, store.dataDir, "postmaster.pid");
      if (!k.killed) {
        const failedStart =
          k.exit.code === 0
            ? undefined
            : `${(p.stderr().trim() || p.stdout().trim()).split("\n")[0]}${repairPidfile(store.dataDir)}`;
        return { ...(last ?? { ...k, pid: p.pid, attempts: 0 }), failedStart };
      }
      last = { ...k, pid: p.pid, attempts: i + 1 };
    }
    return last!;
  }
  const p = startCli(store, args);
  const when = kind === "pidfile" ? triggerOf("after:1.5", measured) : triggerOf(moment, measured);
  const k = await killWhen(p, when, input);
  return { ...k, pid: p.pid, attempts: 1 };
}
