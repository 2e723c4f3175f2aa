import type { z } from "zod";
import { ESCALATE_PLAYS, escalatePlaysPayload } from "./escalate-plays.js";
import { EVALUATE_PLAYBOOKS, evaluatePlaybooksPayload } from "./evaluate-playbooks.js";
import {
  DELIVER_MESSAGES,
  deliverMessagesPayload,
  NOTIFY_SWEEP,
  notifySweepPayload,
  ROUTE_EVENTS,
  routeEventsPayload,
} from "./notify.js";
import { RESCORE_ACCOUNTS, rescoreAccountsPayload } from "./rescore-accounts.js";
import { redetectTextJob } from "./signals.js";

/** A queue: its name, its payload, and how its failures are retried. */
export interface JobDefinition<P extends z.ZodType = z.ZodType> {
  name: string;
  payload: P;
  retryLimit: number;
  /** Seconds a job may run before it counts as failed (and is retried). */
  expireInSeconds: number;
}

export const JOBS = {
  rescoreAccounts: {
    name: RESCORE_ACCOUNTS,
    payload: rescoreAccountsPayload,
    retryLimit: 5,
    expireInSeconds: 15 * 60,
  },
  evaluatePlaybooks: {
    name: EVALUATE_PLAYBOOKS,
    payload: evaluatePlaybooksPayload,
    retryLimit: 5,
    expireInSeconds: 15 * 60,
  },
  escalatePlays: {
    name: ESCALATE_PLAYS,
    payload: escalatePlaysPayload,
    // The next minute's run does it again: no retries to pile up.
    retryLimit: 0,
    expireInSeconds: 5 * 60,
  },
  routeEvents: {
    name: ROUTE_EVENTS,
    payload: routeEventsPayload,
    retryLimit: 5,
    expireInSeconds: 5 * 60,
  },
  deliverMessages: {
    name: DELIVER_MESSAGES,
    payload: deliverMessagesPayload,
    // A worker that dies mid-batch: the job expires and runs again; its
    // handler reconciles the attempts the dead worker had started.
    retryLimit: 3,
    expireInSeconds: 5 * 60,
  },
  notifySweep: {
    name: NOTIFY_SWEEP,
    payload: notifySweepPayload,
    retryLimit: 0,
    expireInSeconds: 5 * 60,
  },
  redetectText: redetectTextJob,
} as const satisfies Record<string, JobDefinition>;

export { ESCALATE_EVERY } from "./escalate-plays.js";
export type { EvaluatePlaybooksPayload } from "./evaluate-playbooks.js";
export { type DeliverMessagesPayload, NOTIFY_SWEEP_EVERY } from "./notify.js";
export type { RescoreAccountsPayload } from "./rescore-accounts.js";
