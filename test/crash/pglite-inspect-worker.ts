import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";

/**
 * Opens a PGlite data folder (created from a dump when `load` names one) in
 * a worker thread and answers queries on it
 * ({ id, sql, params } → { id, rows } or { id, error }; "close" closes it),
 * so a long query never holds up the thread that watches processes to kill.
 */
const port = parentPort!;
try {
  const { dataDir, wasm, load } = workerData as { dataDir: string; wasm?: WebAssembly.Module; load?: string };
  const loadDataDir = load ? new Blob([readFileSync(load)]) : undefined;
  // As Keepwell's store does on opening (src/store/pglite.ts): the process
  // that left postmaster.pid is dead (killed), and an empty one would keep
  // PGlite from starting at all.
  rmSync(join(dataDir, "postmaster.pid"), { force: true });
  const db = await PGlite.create({ dataDir, pgliteWasmModule: wasm, loadDataDir });
  port.on("message", async (m: { id: number; sql: string; params?: unknown[] } | "close") => {
    if (m === "close") {
      await db.close();
      port.postMessage({ closed: true });
      port.close();
      return;
    }
    try {
      port.postMessage({ id: m.id, rows: (await db.query(m.sql, m.params)).rows });
    } catch (err) {
      port.postMessage({ id: m.id, error: (err as Error).message });
    }
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ failed: (err as Error).message });
}
