/**
 * Executive engagement and stakeholder metrics, plus the latest NPS, in one
 * query: held meetings before T, notes with executives, and everyone who was
 * active in the last 90 days (meetings, inbound notes, surveys, tickets). The
 * event users who are contacts come from the usage query (one pass over the
 * roll-ups); `addEngagedStakeholders` joins the two.
 *
 * An executive is a contact whose role is executive_sponsor or decision_maker.
 * Contacts carry no history, so roles are taken as they are now.
 */
import type { Queryable } from "../store/index.js";
import { customerSql, EXEC_ROLES_SQL, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

interface EngagementRow {
  account: string;
  held_before: boolean;
  held_180d: number | null;
  exec_180d: number | null;
  reviews: number | null;
  days_since_exec: number | null;
  people: string[] | null;
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
), exa AS (
  SELECT account, array_agg(id) AS ids FROM ex GROUP BY account
), m AS (
  SELECT m.account, m.kind, m.scheduled_at, m.attendees, coalesce(m.attendees && exa.ids, false) AS exec
  FROM meetings m LEFT JOIN exa ON exa.account = m.account
  WHERE m.status = 'held' AND m.scheduled_at < ${s.t} AND ${s.accountIn("m.account")}
), ma AS (
  SELECT account,
    count(*) FILTER (WHERE scheduled_at >= ${s.daysBefore(180)}) AS held_180d,
    count(*) FILTER (WHERE scheduled_at >= ${s.daysBefore(180)} AND exec) AS exec_180d,
    count(*) FILTER (WHERE scheduled_at >= ${s.daysBefore(182)} AND exec AND kind IN ('qbr', 'ebr')) AS reviews,
    max(scheduled_at) FILTER (WHERE exec) AS last_exec_meeting
  FROM m GROUP BY account
), nx AS (
  SELECT n.account, max(n.ts) AS last_exec_note
  FROM notes n JOIN ex ON ex.id = n.contact AND ex.account = n.account
  WHERE n.ts < ${s.t} AND n.contact IS NOT NULL AND n.direction IS DISTINCT FROM 'outbound'
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
), pa AS (
  SELECT account, array_agg(contact ORDER BY contact) AS people FROM people GROUP BY account
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
), customer AS (${customerSql(s)}
), known AS (
  SELECT DISTINCT account FROM contacts WHERE ${s.accountIn("account")}
), source AS (
  SELECT EXISTS (SELECT 1 FROM meetings WHERE scheduled_at < ${s.t}) AS meetings
)
SELECT a.id AS account,
  ma.account IS NOT NULL AS held_before,
  ma.held_180d, ma.exec_180d, ma.reviews,
  extract(epoch FROM ${s.t} - greatest(ma.last_exec_meeting, nx.last_exec_note)) / 86400 AS days_since_exec,
  pa.people, nps.nps,
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

export interface EngagementResult {
  found: FoundValues;
  /** Per account: contacts engaged in the last 90 days through meetings, notes, surveys or tickets. */
  people: Map<string, string[]>;
  /** Accounts for which nobody engaged means 0 engaged stakeholders (customers at T with contacts). */
  zeroOk: Set<string>;
}

export async function engagementMetrics(db: Queryable, ctx: MetricContext): Promise<EngagementResult> {
  const s = new Scope(ctx);
  const rows = await db.query<EngagementRow & Record<string, unknown>>(engagementSql(s), s.params);
  const found = new FoundValues();
  const people = new Map<string, string[]>();
  const zeroOk = new Set<string>();
  for (const r of rows) {
    const held = num(r.held_180d) ?? 0;
    if (held > 0) found.add(r.account, "exec_meeting_attendance_180d", (num(r.exec_180d) ?? 0) / held);
    found.add(
      r.account,
      "strategic_reviews_2q",
      r.held_before ? (num(r.reviews) ?? 0) : null,
      r.customer && r.meetings_connected,
    );
    found.add(r.account, "days_since_exec_contact", num(r.days_since_exec));
    found.add(r.account, "nps_latest", num(r.nps));
    if (r.people?.length) people.set(r.account, r.people);
    if (r.customer && r.has_contacts) zeroOk.add(r.account);
  }
  return { found, people, zeroOk };
}

/**
 * engaged_stakeholders_90d: the distinct contacts engaged through meetings,
 * notes, surveys or tickets, or seen as event users (`eventContacts`, from usage.ts).
 */
export function addEngagedStakeholders(
  engagement: EngagementResult,
  eventContacts: ReadonlyMap<string, readonly string[]>,
): void {
  const accounts = new Set([...engagement.people.keys(), ...eventContacts.keys(), ...engagement.zeroOk]);
  for (const account of accounts) {
    const engaged = new Set([
      ...(engagement.people.get(account) ?? []),
      ...(eventContacts.get(account) ?? []),
    ]);
    engagement.found.add(
      account,
      "engaged_stakeholders_90d",
      engaged.size || null,
      engagement.zeroOk.has(account),
    );
  }
}
