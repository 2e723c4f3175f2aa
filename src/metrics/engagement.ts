/**
 * Executive engagement and stakeholder metrics, plus the latest NPS, in one
 * query: held meetings before T, notes with executives, and everyone who was
 * active in the last 90 days (meetings, inbound notes, surveys, tickets, and
 * event users from the roll-ups that are the account's contacts).
 *
 * An executive is a contact whose role is executive_sponsor or decision_maker.
 * Contacts carry no history, so roles are taken as they are now.
 */
import type { Queryable } from "../store/index.js";
import { EXEC_ROLES_SQL, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

interface EngagementRow {
  account: string;
  held_before: boolean;
  held_180d: number | null;
  exec_180d: number | null;
  reviews: number | null;
  days_since_exec: number | null;
  engaged: number | null;
  nps: number | null;
  customer: boolean;
  has_contacts: boolean;
  meetings_connected: boolean;
}

export function engagementSql(s: Scope): string {
  const d90 = s.daysBefore(90);
  const before = (col: string, from: string) => `${col} >= ${from} AND ${col} < ${s.t}`;
  return `
WITH ex AS (
  SELECT id, account FROM contacts WHERE role IN ${EXEC_ROLES_SQL} AND ${s.accountIn("account")}
), m AS (
  SELECT id, account, kind, scheduled_at, attendees
  FROM meetings
  WHERE status = 'held' AND scheduled_at < ${s.t} AND ${s.accountIn("account")}
), with_exec AS (
  SELECT DISTINCT m.id
  FROM m CROSS JOIN LATERAL unnest(m.attendees) AS att(contact)
  JOIN ex ON ex.id = att.contact AND ex.account = m.account
), ma AS (
  SELECT m.account,
    count(*) FILTER (WHERE m.scheduled_at >= ${s.daysBefore(180)}) AS held_180d,
    count(w.id) FILTER (WHERE m.scheduled_at >= ${s.daysBefore(180)}) AS exec_180d,
    count(w.id) FILTER (WHERE m.scheduled_at >= ${s.daysBefore(182)} AND m.kind IN ('qbr', 'ebr')) AS reviews,
    max(m.scheduled_at) FILTER (WHERE w.id IS NOT NULL) AS last_exec_meeting
  FROM m LEFT JOIN with_exec w ON w.id = m.id
  GROUP BY m.account
), nx AS (
  SELECT n.account, max(n.ts) AS last_exec_note
  FROM notes n JOIN ex ON ex.id = n.contact AND ex.account = n.account
  WHERE n.ts < ${s.t} AND n.direction IS DISTINCT FROM 'outbound'
  GROUP BY n.account
), people AS (
  SELECT account, unnest(attendees) AS contact FROM m WHERE scheduled_at >= ${d90}
  UNION
  SELECT account, contact FROM notes
  WHERE direction = 'inbound' AND ${before("ts", d90)} AND contact IS NOT NULL AND ${s.accountIn("account")}
  UNION
  SELECT account, contact FROM surveys
  WHERE ${before("ts", d90)} AND contact IS NOT NULL AND ${s.accountIn("account")}
  UNION
  SELECT account, contact FROM tickets
  WHERE ${before("opened_at", d90)} AND contact IS NOT NULL AND ${s.accountIn("account")}
  UNION
  SELECT u.account, u.user_id
  FROM (
    SELECT account, user_id FROM usage_user_days
    WHERE day >= ${s.dayMinus(90)} AND day < ${s.day} AND user_id <> '' AND ${s.accountIn("account")}
    GROUP BY account, user_id
  ) u
  JOIN contacts c ON c.id = u.user_id AND c.account = u.account
), pa AS (
  SELECT account, count(*) AS engaged FROM people GROUP BY account
), nps AS (
  SELECT account, avg(score) AS nps FROM (
    SELECT DISTINCT ON (account, respondent) account, score
    FROM (
      SELECT account, score, ts, id, coalesce('c:' || contact, 's:' || id) AS respondent
      FROM surveys
      WHERE kind = 'nps' AND ${before("ts", s.daysBefore(365))} AND ${s.accountIn("account")}
    ) answers
    ORDER BY account, respondent, ts DESC, id DESC
  ) latest GROUP BY account
), customer AS (
  SELECT DISTINCT account FROM subscriptions WHERE started_at < ${s.t} AND ${s.accountIn("account")}
), known AS (
  SELECT DISTINCT account FROM contacts WHERE ${s.accountIn("account")}
), source AS (
  SELECT EXISTS (SELECT 1 FROM meetings WHERE scheduled_at < ${s.t}) AS meetings
)
SELECT a.id AS account,
  ma.account IS NOT NULL AS held_before,
  ma.held_180d, ma.exec_180d, ma.reviews,
  extract(epoch FROM ${s.t} - greatest(ma.last_exec_meeting, nx.last_exec_note)) / 86400 AS days_since_exec,
  pa.engaged, nps.nps,
  customer.account IS NOT NULL AS customer,
  known.account IS NOT NULL AS has_contacts,
  source.meetings AS meetings_connected
FROM accounts a
CROSS JOIN source
LEFT JOIN ma ON ma.account = a.id
LEFT JOIN nx ON nx.account = a.id
LEFT JOIN pa ON pa.account = a.id
LEFT JOIN nps ON nps.account = a.id
LEFT JOIN customer ON customer.account = a.id
LEFT JOIN known ON known.account = a.id
WHERE ${s.accountIn("a.id")}`;
}

export async function engagementMetrics(db: Queryable, ctx: MetricContext): Promise<FoundValues> {
  const s = new Scope(ctx);
  const rows = await db.query<EngagementRow & Record<string, unknown>>(engagementSql(s), s.params);
  const found = new FoundValues();
  for (const r of rows) {
    const held = num(r.held_180d) ?? 0;
    if (held > 0) found.add(r.account, "exec_meeting_attendance_180d", (num(r.exec_180d) ?? 0) / held);
    found.add(
      r.account,
      "strategic_reviews_2q",
      r.held_before ? (num(r.reviews) ?? 0) : null,
      r.customer && r.meetings_connected,
    );
    found.add(r.account, "engaged_stakeholders_90d", num(r.engaged), r.customer && r.has_contacts);
    found.add(r.account, "days_since_exec_contact", num(r.days_since_exec));
    found.add(r.account, "nps_latest", num(r.nps));
  }
  return found;
}
