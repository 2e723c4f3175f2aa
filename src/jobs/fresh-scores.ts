import type { ImportOptions } from "../ingest/index.js";
import { JOBS } from "./definitions/index.js";
import type { JobQueue } from "./queue.js";

/**
 * An import's `inTransaction` step that queues fresh scores for the accounts
 * it changed, in the import's own transaction: if the import commits, the
 * rescore is sure to run (in whichever process runs workers); if it rolls
 * back, nothing is queued. Nothing without a queue.
 */
export function queueFreshScores(jobs: JobQueue | undefined): ImportOptions["inTransaction"] {
  if (!jobs) return undefined;
  return async (tx, result) => {
    if (result.touched.length) await jobs.send(JOBS.rescoreAccounts, { accounts: result.touched }, tx);
  };
}
