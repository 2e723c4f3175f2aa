import { z } from "zod";

/**
 * Routes what happened (the `events` outbox) into alerts and messages: queued
 * after every change that wrote events (playbook evaluation, escalation, a
 * person's change to a play, scoring) and run by the sweep too, so an event
 * whose wake-up was lost still goes out within a minute.
 */
export const ROUTE_EVENTS = "route-events";
export const routeEventsPayload = z.object({}).passthrough();

/** Delivers these messages (those due; the others wait for their own job). */
export const DELIVER_MESSAGES = "deliver-messages";
export const deliverMessagesPayload = z.object({ ids: z.array(z.string()).min(1).max(1000) });
export type DeliverMessagesPayload = z.infer<typeof deliverMessagesPayload>;

/**
 * Every minute while a worker runs: attempts left unfinished by a worker that
 * died are reconciled, due messages whose job was lost are queued again,
 * unrouted events are routed, and digests that are due are written.
 */
export const NOTIFY_SWEEP = "notify-sweep";
export const NOTIFY_SWEEP_EVERY = "* * * * *";
export const notifySweepPayload = z.object({}).passthrough();
