import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import { startWorker } from "../worker-thread.js";
import type { Batch } from "./batch.js";
import type { Entity, EntityName } from "./entities.js";
import type { FileFormat } from "./file-items.js";
import { type Issue, IssueList } from "./issues.js";
import { BATCH_BYTES, type ImportOptions, type ImportResult, knownAccountsOf, writeAll } from "./run.js";

/** Where a worker reads records from: a file, or a request body (copied to it). */
export type WorkerSource = { path: string; format: FileFormat } | { body: Uint8Array; format: FileFormat };

export interface WorkerInput {
  entity: EntityName;
  source: WorkerSource;
  knownAccounts: string[] | null;
  batchSize: number;
  batchBytes: number;
}

export type WorkerMessage =
  | { t: "batch"; batch: Batch; records: number }
  | {
      t: "done";
      records: number;
      issues: Issue[];
      total: number;
      unknownAccounts: string[];
      ignoredColumns: string[];
    }
  | { t: "error"; message: string; code?: string };

function startImportWorker(input: WorkerInput): Worker {
  return startWorker(import.meta.url, "parse-worker", input);
}

/** At most this many import workers at once; more imports wait for a free one. */
const slots = { free: Math.max(1, availableParallelism()), waiting: [] as (() => void)[] };

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
  try {
    return await fn();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/**
 * Imports a large input with two threads: a worker parses, validates and
 * encodes (ticket sentiment included) while this thread writes, so reading
 * and writing overlap and this thread's event loop stays free (on PGlite,
 * which runs in this thread, that is what keeps both cores busy). Same
 * all-or-nothing result as importRecords.
 */
export async function importInWorker(
  db: Db,
  entity: Entity,
  source: WorkerSource,
  opts: ImportOptions = {},
): Promise<ImportResult & { ignoredColumns: string[] }> {
  return withSlot(() => runInWorker(db, entity, source, opts));
}

async function runInWorker(
  db: Db,
  entity: Entity,
  source: WorkerSource,
  opts: ImportOptions,
): Promise<ImportResult & { ignoredColumns: string[] }> {
  let ignoredColumns: string[] = [];
  const result = await writeAll(
    db,
    entity,
    async (tx, write) => {
      const known = await knownAccountsOf(tx, entity);
      const worker = startImportWorker({
        entity: entity.name,
        source,
        knownAccounts: known ? [...known] : null,
        batchSize: opts.batchSize ?? 50_000,
        batchBytes: opts.batchBytes ?? BATCH_BYTES,
      });
      try {
        return await new Promise((resolve, reject) => {
          let chain = Promise.resolve();
          worker.on("message", (m: WorkerMessage) => {
            chain = chain.then(async () => {
              if (m.t === "batch") {
                opts.onProgress?.(m.records);
                await write(m.batch);
                worker.postMessage("credit");
              } else if (m.t === "done") {
                const issues = new IssueList();
                for (const i of m.issues) issues.add(i);
                issues.total = m.total;
                ignoredColumns = m.ignoredColumns;
                opts.onProgress?.(m.records);
                resolve({ records: m.records, issues, unknownAccounts: m.unknownAccounts });
              } else {
                reject(
                  m.code === "payload_too_large"
                    ? new AppError("payload_too_large", m.message)
                    : new Error(m.message),
                );
              }
            });
            chain.catch(reject);
          });
          worker.on("error", reject);
          worker.on("exit", (code) => {
            if (code !== 0) reject(new Error(`the import worker stopped with code ${code}`));
          });
        });
      } finally {
        await worker.terminate();
      }
    },
    { inTransaction: opts.inTransaction },
  );
  return { ...result, ignoredColumns };
}
