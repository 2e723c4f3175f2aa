import { JOBS } from "../jobs/definitions/index.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Queryable } from "../store/index.js";

export type NewDelivery = {
  id: string;
  channel: "email" | "slack" | "webhook";
  alert_id: string | null;
  endpoint_id: string | null;
  slack_channel_id: string | null;
  user_id: string | null;
  event_id: number | null;
  event_type: string;
  target: string;
  body: object;
  next_attempt_at: Date;
  digest_id?: string | null;
};

/** Ids per delivery job: one job takes a batch, sent side by side. */
export const IDS_PER_JOB = 100;

/**
 * Writes messages to the outbox (state pending) and queues their delivery
 * jobs in the same transaction: due ones now, in batches; one waiting for a
 * recipient's quiet hours to end, at that time.
 */
export async function queueDeliveries(
  tx: Queryable,
  jobs: JobQueue | undefined,
  list: readonly NewDelivery[],
  now: Date,
): Promise<void> {
  if (list.length === 0) return;
  await tx.withRows(
    [
      "id",
      "channel",
      "alert_id",
      "digest_id",
      "endpoint_id",
      "slack_channel_id",
      "user_id",
      "event_id",
      "event_type",
      "target",
      "body",
      "next_attempt_at",
      "created_at",
    ],
    list.map((d) => [
      d.id,
      d.channel,
      d.alert_id,
      d.digest_id ?? null,
      d.endpoint_id,
      d.slack_channel_id,
      d.user_id,
      d.event_id === null ? null : String(d.event_id),
      d.event_type,
      d.target,
      JSON.stringify(d.body),
      d.next_attempt_at.toISOString(),
      now.toISOString(),
    ]),
    (src) =>
      `INSERT INTO deliveries (id, channel, alert_id, digest_id, endpoint_id, slack_channel_id, user_id, event_id,
                               event_type, target, body, next_attempt_at, created_at)
       SELECT id, channel, alert_id, digest_id, endpoint_id, slack_channel_id, user_id, event_id::bigint, event_type,
              target, body::jsonb, next_attempt_at::timestamptz, created_at::timestamptz
       FROM ${src}`,
  );
  await queueDeliveryJobs(
    tx,
    jobs,
    list.map((d) => ({ id: d.id, at: d.next_attempt_at })),
    now,
  );
}

/** Delivery jobs for these messages: those due now in batches, the others at their time (to the second). */
export async function queueDeliveryJobs(
  tx: Queryable | undefined,
  jobs: JobQueue | undefined,
  list: readonly { id: string; at: Date }[],
  now: Date,
): Promise<void> {
  if (!jobs || list.length === 0) return;
  const byTime = new Map<number, string[]>();
  for (const d of list) {
    const t = d.at.getTime() <= now.getTime() ? 0 : Math.ceil(d.at.getTime() / 1000) * 1000;
    byTime.set(t, [...(byTime.get(t) ?? []), d.id]);
  }
  const batch: { data: { ids: string[] }; startAfter?: Date }[] = [];
  for (const [t, ids] of byTime)
    for (let i = 0; i < ids.length; i += IDS_PER_JOB)
      batch.push({ data: { ids: ids.slice(i, i + IDS_PER_JOB) }, ...(t ? { startAfter: new Date(t) } : {}) });
  await jobs.sendMany(JOBS.deliverMessages, batch, tx);
}
