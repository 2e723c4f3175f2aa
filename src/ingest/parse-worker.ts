/**
 * The import worker: reads, parses, validates and encodes a file on its own
 * thread, and posts ready-to-COPY batches to the main thread, which only
 * writes them. It waits for a credit per batch, so it never runs far ahead of
 * the store.
 */
import { parentPort, workerData } from "node:worker_threads";
import { bodyItems } from "./body-items.js";
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
  const source = input.source;
  const notes = { ignoredColumns: [] as string[] };
  const items =
    "path" in source
      ? fileItems(entity, source.path, source.format, notes)
      : bodyItems(entity, source.body, source.format, notes);
  for await (const chunk of items) {
    checker.add(chunk);
    if (checker.full(input.batchSize, input.batchBytes)) {
      const batch = checker.takeBatch(true);
      if (batch) {
        await credit();
        post({ t: "batch", batch, records: checker.records });
      }
    }
  }
  const rest = checker.takeBatch(true);
  if (rest) {
    await credit();
    post({ t: "batch", batch: rest, records: checker.records });
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
