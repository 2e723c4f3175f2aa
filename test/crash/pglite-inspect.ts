import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Worker } from "node:worker_threads";
import { startWorker } from "../../src/worker-thread.js";
import type { Query } from "./stores.js";

type Reply = { id?: number; rows?: unknown[]; error?: string; ready?: true; failed?: string; closed?: true };

let wasm: Promise<WebAssembly.Module> | undefined;
/** The global WebAssembly object (this project's TypeScript libraries declare only its types). */
const WASM = (
  globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<WebAssembly.Module> } }
).WebAssembly;

/** PGlite's WebAssembly compiled once per process, for every inspection thread. */
function pgliteWasm(): Promise<WebAssembly.Module> {
  const dist = dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
  wasm ??= readFile(join(dist, "pglite.wasm")).then((bytes) => WASM.compile(bytes));
  return wasm;
}

/**
 * Opens a PGlite folder with PGlite itself (not Keepwell's store: the lock
 * file a killed process left stays for the next `keepwell` to take over) in
 * a worker thread, runs `fn` on it, closes it. Off the main thread, so kill
 * moments of the other scenarios running meanwhile stay on time.
 */
export async function inspectPglite<T>(
  dataDir: string,
  fn: (q: Query) => Promise<T>,
  /** A dumpPglite file to create the folder from. */
  load?: string,
): Promise<T> {
  const worker: Worker = startWorker(import.meta.url, "pglite-inspect-worker", {
    dataDir,
    wasm: await pgliteWasm(),
    load,
  });
  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (err: Error) => void }>();
  let opened: (() => void) | undefined;
  let closed: (() => void) | undefined;
  let fail: ((err: Error) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    opened = resolve;
    fail = reject;
  });
  const gone = (err: Error) => {
    fail?.(err);
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on("message", (m: Reply) => {
    if (m.ready) opened?.();
    else if (m.failed !== undefined) gone(new Error(`PGlite could not open ${dataDir}: ${m.failed}`));
    else if (m.closed) closed?.();
    else if (m.id !== undefined) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.error !== undefined) w?.reject(new Error(m.error));
      else w?.resolve(m.rows ?? []);
    }
  });
  worker.on("error", gone);
  worker.on("exit", () => gone(new Error("the PGlite inspection thread exited")));
  let next = 0;
  const q: Query = (sql, params) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      worker.postMessage({ id, sql, params });
    });
  try {
    await ready;
    return await fn(q);
  } finally {
    await new Promise<void>((resolve) => {
      closed = resolve;
      worker.once("exit", () => resolve());
      worker.postMessage("close");
    });
    await worker.terminate();
  }
}
