import type { z } from "zod";
import { ESCALATE_PLAYS, escalatePlaysPayload } from "./escalate-plays.js";
import { EVALUATE_PLAYBOOKS, evaluatePlaybooksPayload } from "./evaluate-playbooks.js";
import { RESCORE_ACCOUNTS, rescoreAccountsPayload } from "./rescore-accounts.js";

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
} as const satisfies Record<string, JobDefinition>;

export { ESCALATE_EVERY } from "./escalate-plays.js";

export type { EvaluatePlaybooksPayload } from "./evaluate-playbooks.js";
export type { RescoreAccountsPayload } from "./rescore-accounts.js";
