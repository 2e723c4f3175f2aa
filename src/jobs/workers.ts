import type { EscalationRun, EvaluationSummary } from "../playbooks/index.js";
import { escalatePlays } from "../playbooks/index.js";
import type { Db } from "../store/index.js";
import { ESCALATE_EVERY, JOBS } from "./definitions/index.js";
import { evaluateQueued } from "./handlers/evaluate-playbooks.js";
import { type RescoreResult, rescoreAccounts } from "./handlers/rescore-accounts.js";
import type { JobQueue } from "./queue.js";

export interface WorkerDeps {
  db: Db;
  jobs: JobQueue;
  clock: () => Date;
  /** Told after each batch of fresh scores (for logs and tests). */
  onRescored?: (r: RescoreResult) => void;
  /** Told after each evaluation of the playbooks. */
  onEvaluated?: (r: EvaluationSummary) => void;
  /** Told after each escalation run. */
  onEscalated?: (r: EscalationRun) => void;
}

/** Registers every handler on the queue, schedules the periodic jobs and starts polling: what `keepwell serve` and `keepwell worker` run. */
export async function startWorkers(deps: WorkerDeps): Promise<void> {
  await deps.jobs.work(JOBS.rescoreAccounts, async (payloads) => {
    const r = await rescoreAccounts(deps, payloads, deps.clock());
    deps.onRescored?.(r);
  });
  await deps.jobs.work(JOBS.evaluatePlaybooks, async (payloads) => {
    const r = await evaluateQueued(deps.db, payloads, deps.clock());
    deps.onEvaluated?.(r);
  });
  await deps.jobs.work(
    JOBS.escalatePlays,
    async () => {
      const r = await escalatePlays(deps.db, deps.clock());
      deps.onEscalated?.(r);
    },
    { batchSize: 1 },
  );
  await deps.jobs.schedule(JOBS.escalatePlays, ESCALATE_EVERY);
}
