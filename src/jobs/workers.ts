import { missingKeyBox, type SecretBox } from "../auth/index.js";
import type { Config } from "../config.js";
import {
  type DeliverySummary,
  deliverDeliveries,
  notifySweep,
  type RouteSummary,
  routePendingEvents,
  type SweepSummary,
} from "../notify/index.js";
import type { EscalationRun, EvaluationSummary } from "../playbooks/index.js";
import { escalatePlays } from "../playbooks/index.js";
import { refreshSignals } from "../signals/index.js";
import { redetectText } from "../signals/text-findings.js";
import type { Db } from "../store/index.js";
import { ESCALATE_EVERY, JOBS, NOTIFY_SWEEP_EVERY } from "./definitions/index.js";
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
  /** Seals and opens stored secrets (SMTP password, webhook secrets, Slack URLs). */
  secrets?: SecretBox;
  /** SMTP from the environment, the dashboard's address (for links). */
  config?: Partial<Pick<Config, "smtp" | "publicUrl">>;
  /** Delivery workers side by side in this process (each takes a batch of messages). */
  deliveryWorkers?: number;
  onRouted?: (r: RouteSummary) => void;
  onDelivered?: (r: DeliverySummary) => void;
  onSwept?: (r: SweepSummary) => void;
}

/** Registers every handler on the queue, schedules the periodic jobs and starts polling: what `keepwell serve` and `keepwell worker` run. */
export async function startWorkers(deps: WorkerDeps): Promise<void> {
  await deps.jobs.work(JOBS.rescoreAccounts, async (payloads) => {
    const r = await rescoreAccounts(deps, payloads, deps.clock());
    deps.onRescored?.(r);
  });
  const notify = {
    db: deps.db,
    jobs: deps.jobs,
    clock: deps.clock,
    secrets: deps.secrets ?? missingKeyBox(),
    config: deps.config ?? {},
  };
  // What changed plays wrote to the events outbox is routed straight after.
  const routeNow = async () => {
    await deps.jobs.send(JOBS.routeEvents, {});
    deps.jobs.wake(JOBS.routeEvents);
  };
  await deps.jobs.work(JOBS.evaluatePlaybooks, async (payloads) => {
    const r = await evaluateQueued(deps.db, payloads, deps.clock());
    deps.onEvaluated?.(r);
    await routeNow();
  });
  await deps.jobs.work(
    JOBS.escalatePlays,
    async () => {
      const r = await escalatePlays(deps.db, deps.clock());
      deps.onEscalated?.(r);
      if (r.overdue + r.reminded + r.escalated > 0) await routeNow();
    },
    { batchSize: 1 },
  );
  await deps.jobs.schedule(JOBS.escalatePlays, ESCALATE_EVERY);
  await deps.jobs.work(
    JOBS.routeEvents,
    async () => {
      const r = await routePendingEvents(notify);
      deps.onRouted?.(r);
      if (r.messages + r.webhooks > 0) deps.jobs.wake(JOBS.deliverMessages);
    },
    { batchSize: 100 },
  );
  for (let i = 0; i < (deps.deliveryWorkers ?? 4); i++)
    await deps.jobs.work(
      JOBS.deliverMessages,
      async (payloads) => {
        const r = await deliverDeliveries(notify, [...new Set(payloads.flatMap((p) => p.ids))]);
        deps.onDelivered?.(r);
      },
      { batchSize: 1 },
    );
  await deps.jobs.work(
    JOBS.notifySweep,
    async () => {
      const r = await notifySweep(notify);
      deps.onSwept?.(r);
      deps.jobs.wake(JOBS.deliverMessages);
    },
    { batchSize: 1 },
  );
  await deps.jobs.schedule(JOBS.notifySweep, NOTIFY_SWEEP_EVERY);
  // The competitors changed: the stored text is read again, the signals detected again, the playbooks told.
  await deps.jobs.work(
    JOBS.redetectText,
    async () => {
      await redetectText(deps.db);
      await refreshSignals(deps.db, { now: deps.clock() });
      await deps.jobs.send(JOBS.evaluatePlaybooks, { as_of: deps.clock().toISOString() });
      deps.jobs.wake(JOBS.evaluatePlaybooks);
      await routeNow();
    },
    { batchSize: 100 },
  );
}
