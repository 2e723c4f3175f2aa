import type { JobQueue } from "../jobs/queue.js";
import { reconcileAbandoned, requeueOverdue } from "./deliver.js";
import type { NotifyDeps } from "./deps.js";
import { writeDueDigests } from "./digests.js";
import { routePendingEvents } from "./route.js";

export type SweepSummary = {
  resent: number;
  uncertain: number;
  routed: number;
  requeued: number;
  digests: number;
};

/**
 * The minute's housekeeping (a pg-boss schedule: once a minute however many
 * workers): abandoned attempts reconciled, events whose routing job was lost
 * routed, due messages whose job was lost queued again, due digests written.
 */
export async function notifySweep(deps: NotifyDeps & { jobs?: JobQueue | undefined }): Promise<SweepSummary> {
  const r = await reconcileAbandoned(deps);
  const routed = await routePendingEvents(deps);
  const requeued = await requeueOverdue(deps);
  const digests = await writeDueDigests(deps);
  return { ...r, routed: routed.events, requeued: requeued.length, digests };
}
