/**
 * The import worker: reads, parses, validates and encodes a file on its own
 * thread, and posts ready-to-COPY batches to the main thread, which only
 * writes them. It waits for a credit per batch, so it never runs far ahead of
 * the store.
 */
import { parentPort, workerData } from "node:worker_threads";
import { makeBatch } from "./batch.js";
import { RecordChecker } from "./check.js";
import { ENTITIES } from "./entities.js";
import { fileItems } from "./file-items.js";
import type { WorkerInput, WorkerMessage } from "./parallel.js";

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);

let credits = 2;
let wake: (() => void) | undefined;
port.on("message", () => {
  credits++;
  wake?.();
});
async function credit(): Promise<void> {
  while (credits === 0) await new Promise<void>((r) => (wake = r));
  credits--;
}

try {
  const entity = ENTITIES[input.entity];
  const checker = new RecordChecker(entity, input.knownAccounts ? new Set(input.knownAccounts) : undefined);
  const { items, notes } = fileItems(entity, input.path, input.format);
  for await (const chunk of items) {
    checker.add(chunk);
    if (checker.pending >= input.batchSize) {
      await credit();
      post({ t: "batch", batch: makeBatch(entity, checker.take(), true), records: checker.records });
    }
  }
  const rest = checker.take();
  if (rest.length) {
    await credit();
    post({ t: "batch", batch: makeBatch(entity, rest, true), records: checker.records });
  }
  post({
    t: "done",
    records: checker.records,
    issues: checker.issues.items,
    total: checker.issues.total,
    unknownAccounts: [...checker.unknownAccounts],
    ignoredColumns: notes.ignoredColumns,
  });
} catch (err) {
  post({ t: "error", message: (err as Error).message, code: (err as { code?: string }).code });
}
