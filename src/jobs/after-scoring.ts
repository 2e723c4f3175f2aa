import { refreshAfterScoring } from "../predict/index.js";
import type { RunResult } from "../scoring/index.js";
import { refreshSignals } from "../signals/index.js";
import type { Db } from "../store/index.js";
import { JOBS } from "./definitions/index.js";
import type { JobQueue } from "./queue.js";

export interface AfterScoringDeps {
  db: Db;
  /** Where playbook evaluation is queued; without one (a bare test), nothing is. */
  jobs?: JobQueue;
}

/**
 * The one step after every scoring run of current scores — a full run, fresh
 * scores after an import, a rescore with a new scorecard: the churn model's
 * predictions for the accounts scored, their signals detected again (the
 * `signals` table, announcing the new ones), then the playbooks' evaluation
 * queued (so a crash never skips it). Alerts attach here too. A history run (a
 * backfill month) has nothing to follow.
 */
export async function afterScoring(deps: AfterScoringDeps, run: RunResult): Promise<void> {
  if (run.target !== "current" || run.changes.accounts.length === 0) return;
  const everyone = run.changes.accounts.length === run.accounts && !run.partial;
  await refreshAfterScoring(
    deps.db,
    everyone ? undefined : run.changes.accounts,
    new Map(run.changes.scores.map((c) => [c.account, c.churn_probability_before])),
  );
  await refreshSignals(deps.db, {
    now: new Date(run.as_of),
    ...(everyone ? {} : { accounts: run.changes.accounts }),
  });
  if (!deps.jobs) return;
  await deps.jobs.send(JOBS.evaluatePlaybooks, {
    as_of: run.as_of,
    ...(everyone ? {} : { accounts: run.changes.accounts }),
  });
  deps.jobs.wake(JOBS.evaluatePlaybooks);
  // The run's band moves and drops (and the flags its predictions raised) wait in the events outbox.
  await deps.jobs.send(JOBS.routeEvents, {});
  deps.jobs.wake(JOBS.routeEvents);
}
