import type { Queryable } from "../store/index.js";

export interface NewPlayEvent {
  play_id: string;
  kind: string;
  detail: Record<string, unknown>;
}

/**
 * What of a play's history is announced (the `events` outbox the alerts are
 * made from), by history kind: a recurrence re-fires the opening (its alert
 * adds an occurrence), a reminder is an escalation to the owner, and a close
 * by supersession is not announced (the higher play's opening is).
 */
const ANNOUNCED = `CASE ins.kind
    WHEN 'opened' THEN 'play.opened' WHEN 'recurred' THEN 'play.opened'
    WHEN 'escalated' THEN 'play.escalated' WHEN 'reminded' THEN 'play.escalated'
    WHEN 'overdue' THEN 'play.overdue'
    WHEN 'closed' THEN CASE WHEN ins.detail->>'outcome' = 'superseded' THEN NULL ELSE 'play.closed' END
  END`;

/**
 * Appends lines to plays' histories, all at `now`, through the store's bulk
 * path — and, in the same statement, the events they announce: whatever
 * writes a play's history writes its announcement in the same transaction,
 * so an alert is never lost nor sent for a change that rolled back. A
 * held-out play (revenue recovery's control group) announces nothing.
 */
export async function writePlayEvents(
  tx: Queryable,
  list: readonly NewPlayEvent[],
  now: Date,
  actor = "system",
): Promise<void> {
  if (list.length === 0) return;
  const at = now.toISOString();
  await tx.withRows(
    ["play_id", "at", "kind", "actor", "detail"],
    list.map((e) => [e.play_id, at, e.kind, actor, JSON.stringify(e.detail)]),
    (src) =>
      `WITH ins AS (
         INSERT INTO play_events (play_id, at, kind, actor, detail)
         SELECT play_id, at::timestamptz, kind, actor, detail::jsonb FROM ${src}
         RETURNING play_id, at, kind, detail
       ),
       announced AS (
         SELECT ${ANNOUNCED} AS type, ins.at, p.account, p.id, ins.detail
         FROM ins JOIN plays p ON p.id = ins.play_id
         WHERE p.arm = 'treated'
       )
       INSERT INTO notify_events (type, at, account, play_id, subject, detail)
       SELECT type, at, account, id, id, detail FROM announced WHERE type IS NOT NULL`,
  );
}
