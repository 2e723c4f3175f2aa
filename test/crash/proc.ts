import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The `keepwell` command as a person runs it from a checkout. */
export const CLI = fileURLToPath(new URL("../../bin/keepwell.js", import.meta.url));

/** How a process is started: the store's flags and environment, and a folder to run in. */
export interface Launch {
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A running `keepwell` process, watched from outside. */
export interface Proc {
  child: ChildProcess;
  pid: number;
  /** performance.now() at spawn. */
  started: number;
  /** Complete stdout lines so far, each with the second (since spawn) it arrived. */
  lines: { text: string; at: number }[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  alive: () => boolean;
}

export function startCli(launch: Launch, args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...launch.args, ...args], {
    cwd: launch.cwd,
    env: launch.env,
    detached: false,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  let out = "";
  let err = "";
  let partial = "";
  const lines: Proc["lines"] = [];
  child.stdout!.on("data", (d: Buffer) => {
    const text = d.toString();
    out += text;
    partial += text;
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const p of parts) lines.push({ text: p, at: since() });
  });
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      // "exit" comes after the child was reaped: its pid names no live process any more.
      child.once("exit", (code, signal) => {
        done = true;
        resolve({ code, signal, at: since() });
      });
    },
  );
  return {
    child,
    pid: child.pid!,
    started,
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    alive: () => !done,
  };
}

export interface Completed {
  stdout: string;
  stderr: string;
  code: number | null;
  seconds: number;
}

/** Runs a command to its end (killing it after `timeoutS`); a non-zero exit is an error with its output. */
export async function runCli(launch: Launch, args: string[], timeoutS = 900): Promise<Completed> {
  const p = startCli(launch, args);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), timeoutS * 1000);
  const end = await p.exited.finally(() => clearTimeout(timer));
  const r = { stdout: p.stdout(), stderr: p.stderr(), code: end.code, seconds: end.at };
  if (end.code !== 0) {
    throw new Error(
      `keepwell ${args.join(" ")} exited with ${end.code ?? end.signal}: ${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
  return r;
}

/** The last line of a command's output parsed as JSON (the `--json` counts). */
export function lastJson<T>(stdout: string): T {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as T;
}

/**
 * How far process `pid` has read `file`: the offset of its open descriptor of
 * that file (Linux /proc), undefined while it has none open.
 */
export function readOffset(pid: number, file: string): number | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== file) continue;
      const m = /pos:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, "utf8"));
      if (m) return Number(m[1]);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return undefined;
}

/** What is seen of a process from outside at one instant. */
export interface Probe {
  /** Seconds since spawn. */
  elapsed: number;
  /** Share of the input read so far (0–1), when an input is watched and open. */
  read?: number;
  /** The input was opened at some point and is closed now (the read is over). */
  readDone: boolean;
  /** Seconds since spawn when the read was first seen over. */
  readDoneAt?: number;
  lines: Proc["lines"];
}

export interface Kill {
  /** The process was still running when it was killed (false: it had already finished). */
  killed: boolean;
  /** Seconds since spawn of the kill (or of the exit). */
  at: number;
  /** The watched input had been opened before the kill. */
  sawInput: boolean;
  /** The share of the input read when killed. */
  read?: number;
  /** Seconds since spawn when the input was first seen closed after being read. */
  readDoneAt?: number;
  /** stdout lines seen before the kill. */
  linesBefore: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Polls a process every few milliseconds and SIGKILLs it as soon as
 * `when(probe)` holds; waits until it has exited (and been reaped).
 */
export async function killWhen(
  p: Proc,
  when: (probe: Probe) => boolean,
  input?: { file: string; size: number },
  timeoutS = 900,
): Promise<Kill> {
  let sawInput = false;
  let read: number | undefined;
  let readDoneAt: number | undefined;
  let killedAt: number | undefined;
  let linesBefore = 0;
  while (p.alive()) {
    const elapsed = (performance.now() - p.started) / 1000;
    let share: number | undefined;
    if (input) {
      const pos = readOffset(p.pid, input.file);
      if (pos !== undefined) {
        sawInput = true;
        share = input.size ? pos / input.size : 1;
        read = share;
      }
    }
    const readDone = sawInput && share === undefined;
    if (readDone) readDoneAt ??= elapsed;
    const probe: Probe = { elapsed, read: share, readDone, readDoneAt, lines: p.lines };
    if (when(probe) || elapsed > timeoutS) {
      linesBefore = p.lines.length;
      if (p.alive() && p.child.kill("SIGKILL")) killedAt = elapsed;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const exit = await p.exited;
  const killed = killedAt !== undefined && exit.signal === "SIGKILL";
  return {
    killed,
    at: killed ? killedAt! : exit.at,
    sawInput,
    read,
    readDoneAt,
    linesBefore: killed ? linesBefore : p.lines.length,
    exit: { code: exit.code, signal: exit.signal },
  };
}

/** Runs a command to its end while watching its input (a complete run's timings); non-zero exit throws. */
export async function watchRun(
  launch: Launch,
  args: string[],
  input: { file: string; size: number },
): Promise<Completed & { readDoneAt?: number }> {
  const p = startCli(launch, args);
  const k = await killWhen(p, () => false, input);
  if (k.exit.code !== 0) {
    throw new Error(
      `keepwell ${args.join(" ")} exited with ${k.exit.code ?? k.exit.signal}: ${p.stderr().trim() || p.stdout().trim()}`,
    );
  }
  return { stdout: p.stdout(), stderr: p.stderr(), code: 0, seconds: k.at, readDoneAt: k.readDoneAt };
}

/** Lets the event loop run `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
