import type { Db } from "../store/index.js";
import { JOBS } from "./definitions/index.js";
import { type RescoreResult, rescoreAccounts } from "./handlers/rescore-accounts.js";
import type { JobQueue } from "./queue.js";

export interface WorkerDeps {
  db: Db;
  jobs: JobQueue;
  clock: () => Date;
  /** Told after each batch of fresh scores (for logs and tests). */
  onRescored?: (r: RescoreResult) => void;
}

/** Registers every handler on the queue and starts polling: what `keepwell serve` and `keepwell worker` run. */
export async function startWorkers(deps: WorkerDeps): Promise<void> {
  await deps.jobs.work(JOBS.rescoreAccounts, async (payloads) => {
    const r = await rescoreAccounts(deps, payloads, deps.clock());
    deps.onRescored?.(r);
  });
}
