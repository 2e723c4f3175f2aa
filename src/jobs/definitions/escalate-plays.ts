import { z } from "zod";

/**
 * Every minute while a worker runs (a pg-boss schedule, so one run per
 * minute however many workers): wake plays whose snooze ended, walk overdue
 * plays up their escalation chain.
 */
export const ESCALATE_PLAYS = "escalate-plays";
export const ESCALATE_EVERY = "* * * * *";

export const escalatePlaysPayload = z.object({}).passthrough();
export type EscalatePlaysPayload = z.infer<typeof escalatePlaysPayload>;
