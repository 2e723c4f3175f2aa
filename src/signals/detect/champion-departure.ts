/**
 * champion_departure: a champion or executive sponsor (their role at T) who
 * left in the 120 days before T, by any of:
 * - marked inactive: inactive_since before T;
 * - their role changed away: previous_role champion or executive sponsor,
 *   role_changed_at before T;
 * - their email bouncing before T;
 * - a 'departure' text finding in a note or ticket that names them, or whose
 *   contact is them when it names nobody else at the account;
 * - their own product use stopping: none in the 30 days before T after use on
 *   8 or more days in the 90 days before that, while colleagues at the
 *   account used it in the last 14 days.
 * Older departures are history. A contact flagged inactive without
 * inactive_since is timeless: contacts carry no history of that flag, so it
 * reads the current flag whatever T is (as the critical sponsor-inactive
 * signal does). One signal per departed person, evidence each reason.
 */
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import type { RecordEvidence } from "../types.js";
import {
  type DetectContext,
  type Detected,
  listInWords,
  newestFirst,
  roleAtSql,
  roleWords,
  scopeOf,
} from "./shared.js";

/** Departures older than this many days before T are history. */
export const DEPARTURE_DAYS = 120;
/** Use stopped: none in this many days before T… */
export const QUIET_DAYS = 30;
/** …after use on at least this many distinct days in the 90 days before that… */
export const USED_DAYS = 8;
/** …while colleagues used it within this many days before T. */
export const COLLEAGUE_DAYS = 14;

type Row = {
  account: string;
  contact: string;
  name: string;
  role: string;
  reason: string;
  entity: RecordEvidence["entity"];
  id: string;
  at: string;
  text: string;
  match_start: number | null;
  match_end: number | null;
};

export async function detectChampionDepartures(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const s = scopeOf(ctx);
  const roles = s.param(["champion", "executive_sponsor"]);
  const since = s.dayMinus(DEPARTURE_DAYS);
  const dayTs = (d: string) => `(${d}::timestamp AT TIME ZONE 'UTC')`;
  const words = (col: string) => `replace(${col}, '_', ' ')`;
  const rows = await q.query<Row>(
    `WITH people AS NOT MATERIALIZED (
       SELECT c.id, c.account, coalesce(c.name, c.id) AS name, c.name AS real_name, ${roleAtSql("c", s.day)} AS role,
              c.role AS role_now, c.previous_role, c.role_changed_at, c.active, c.inactive_since, c.email_bounced_at,
              c.user_id, c.email
       FROM contacts c WHERE ${s.accountIn("c.account")}
     ),
     -- Champions and sponsors at T (written so the planner can estimate it from the columns; inlined where used).
     leads AS NOT MATERIALIZED (
       SELECT * FROM people p
       WHERE (p.role_now = ANY(${roles}::text[]) AND (p.role_changed_at IS NULL OR p.role_changed_at < ${s.day} OR p.previous_role IS NULL))
          OR (p.role_changed_at >= ${s.day} AND p.previous_role = ANY(${roles}::text[]))
     ),
     keys AS NOT MATERIALIZED (
       SELECT id, account, user_id AS uid FROM leads WHERE user_id IS NOT NULL
       UNION ALL SELECT id, account, email FROM leads WHERE user_id IS NULL AND email IS NOT NULL
       UNION ALL SELECT id, account, id FROM leads WHERE user_id IS NULL
     ),
     use AS NOT MATERIALIZED (
       SELECT u.account, u.user_id, u.day FROM usage_user_days u
       WHERE u.day >= ${s.dayMinus(QUIET_DAYS + 90)} AND u.day < ${s.day} AND u.user_id <> '' AND ${s.accountIn("u.account")}
     ),
     mine AS (
       SELECT k.id, k.account, count(DISTINCT u.day) FILTER (WHERE u.day < ${s.dayMinus(QUIET_DAYS)})::int AS used_days,
              count(*) FILTER (WHERE u.day >= ${s.dayMinus(QUIET_DAYS)})::int AS recent, max(u.day) AS last_day
       FROM keys k JOIN use u ON u.account = k.account AND u.user_id = k.uid
       GROUP BY k.id, k.account
     ),
     quiet AS MATERIALIZED (SELECT * FROM mine WHERE recent = 0 AND used_days >= ${USED_DAYS}),
     -- Someone quiet used nothing in the last 30 days, so every user active in the last 14 is a colleague.
     recent_users AS (
       SELECT u.account, count(DISTINCT u.user_id)::int AS n FROM use u
       WHERE u.day >= ${s.dayMinus(COLLEAGUE_DAYS)} AND u.account IN (SELECT account FROM quiet)
       GROUP BY u.account
     ),
     stopped AS (
       SELECT m.id, m.used_days, m.last_day, r.n AS colleagues
       FROM quiet m JOIN recent_users r ON r.account = m.account
     )
     SELECT l.account, l.id AS contact, l.name, l.role, 'inactive' AS reason, 'contacts' AS entity, l.id,
            ${dayTs("l.inactive_since")} AS at,
            ${words("l.role")} || ' ' || l.name || ' marked inactive on ' || l.inactive_since::text AS text,
            NULL::int AS match_start, NULL::int AS match_end
     FROM leads l WHERE l.inactive_since < ${s.day} AND l.inactive_since >= ${since}
     UNION ALL
     -- Timeless: the current flag without a date (see above).
     SELECT l.account, l.id, l.name, l.role, 'inactive', 'contacts', l.id, ${s.t},
            ${words("l.role")} || ' ' || l.name || ' marked inactive (the contact''s current flag, not as of the date)',
            NULL, NULL
     FROM leads l WHERE NOT l.active AND l.inactive_since IS NULL
     UNION ALL
     SELECT p.account, p.id, p.name, p.previous_role, 'role_changed', 'contacts', p.id, ${dayTs("p.role_changed_at")},
            p.name || '''s role changed from ' || ${words("p.previous_role")} || ' to ' ||
              coalesce(${words("p.role_now")}, 'none') || ' on ' || p.role_changed_at::text,
            NULL, NULL
     FROM people p
     WHERE p.previous_role = ANY(${roles}::text[]) AND p.role_changed_at < ${s.day} AND p.role_changed_at >= ${since}
       AND p.role_now IS DISTINCT FROM p.previous_role
     UNION ALL
     SELECT l.account, l.id, l.name, l.role, 'email_bounced', 'contacts', l.id, l.email_bounced_at,
            'mail to ' || ${words("l.role")} || ' ' || l.name || ' bounced on ' ||
              to_char(l.email_bounced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
            NULL, NULL
     FROM leads l WHERE l.email_bounced_at < ${s.t} AND l.email_bounced_at >= ${s.daysBefore(DEPARTURE_DAYS)}
     UNION ALL
     SELECT l.account, l.id, l.name, l.role, 'said', f.entity, f.record_id, f.at, f.sentence, f.match_start, f.match_end
     FROM text_findings f JOIN leads l ON l.account = f.account
     WHERE f.kind = 'departure' AND f.entity IN ('notes', 'tickets')
       AND f.at < ${s.t} AND f.at >= ${s.daysBefore(DEPARTURE_DAYS)}
       AND (position(lower(l.real_name) IN lower(f.sentence)) > 0
            OR (f.contact = l.id AND NOT EXISTS (
                  SELECT 1 FROM contacts o WHERE o.account = f.account AND o.id <> l.id AND o.name IS NOT NULL
                    AND position(lower(o.name) IN lower(f.sentence)) > 0)))
     UNION ALL
     SELECT l.account, l.id, l.name, l.role, 'use_stopped', 'contacts', l.id, ${dayTs("x.last_day")},
            ${words("l.role")} || ' ' || l.name || ' used the product on ' || x.used_days ||
              ' days in the 90 days before the last ${QUIET_DAYS}, last on ' || x.last_day::text ||
              ', then not at all; ' || x.colleagues || ' colleague' || CASE WHEN x.colleagues = 1 THEN '' ELSE 's' END ||
              ' used it in the last ${COLLEAGUE_DAYS} days',
            NULL, NULL
     FROM stopped x JOIN leads l ON l.id = x.id
     ORDER BY account, contact, at DESC`,
    s.params,
  );
  const byContact = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byContact.get(r.contact);
    if (list) list.push(r);
    else byContact.set(r.contact, [r]);
  }
  return [...byContact.values()].map((list) => {
    const first = list[0]!;
    const ats = list.map((r) => new Date(r.at).toISOString()).sort();
    const reasons = [...new Set(list.map((r) => REASON_WORDS[r.reason] ?? r.reason))];
    return {
      kind: "champion_departure",
      account: first.account,
      contact: first.contact,
      competitor: null,
      severity: DEFAULT_SEVERITY.champion_departure,
      first_evidence_at: ats[0]!,
      last_evidence_at: ats[ats.length - 1]!,
      summary: `${roleWords(first.role)} ${first.name} may have left: ${listInWords(reasons)}`,
      evidence: newestFirst(
        list.map((r) => ({
          entity: r.entity,
          id: r.id,
          date: r.at.slice(0, 10),
          text: r.text,
          ...(r.match_start === null || r.match_end === null
            ? {}
            : { match: [r.match_start, r.match_end] as [number, number] }),
        })),
      ),
      occurrences: list.length,
    };
  });
}

const REASON_WORDS: Record<string, string> = {
  inactive: "marked inactive",
  role_changed: "role changed",
  email_bounced: "email bouncing",
  said: "said to have left",
  use_stopped: "product use stopped",
};
