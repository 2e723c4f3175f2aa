/**
 * stakeholder_silence: a normally engaged stakeholder (executive sponsor,
 * champion or decision maker at T, not departed) gone quiet, judged against
 * their own history. Their two-way contact days before T are inbound notes
 * from them, meetings held that they attended, and their own product use
 * (usage_user_days under their user_id, else their email or id). Over the 365
 * days before T, with at least 4 contact days, their usual gap is the median
 * gap between consecutive contact days; they are silent when the days since
 * the last one are more than 3 × that gap and at least 30. One signal per
 * silent stakeholder. An account where every stakeholder with a usual gap is
 * silent, at least 2 of them, is dark: those signals are high and say so.
 */
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import {
  type DetectContext,
  type Detected,
  dayInstant,
  daysWords,
  roleAtSql,
  roleWords,
  scopeOf,
} from "./shared.js";

/** The roles whose silence is a signal. */
export const STAKEHOLDER_ROLES = ["executive_sponsor", "champion", "decision_maker"] as const;
/** Silent when the days since the last contact exceed this many usual gaps… */
export const SILENCE_GAPS = 3;
/** …and are at least this many days. */
export const SILENCE_MIN_DAYS = 30;
/** A usual gap needs at least this many contact days in the year before T. */
export const MIN_CONTACTS = 4;
/** Meeting statuses that mean it took place. */
const HELD = ["held", "completed"];

type Row = {
  account: string;
  contact: string;
  name: string;
  role: string;
  contacts: number;
  last_day: string;
  since: number;
  usual: number;
  judged: number;
  silent_count: number;
  dark: boolean;
};

export async function detectStakeholderSilence(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const s = scopeOf(ctx);
  const roles = s.param(STAKEHOLDER_ROLES);
  const held = s.param(HELD);
  const from = s.dayMinus(365);
  const rows = await q.query<Row>(
    `WITH stake AS NOT MATERIALIZED (
       SELECT c.id, c.account, coalesce(c.name, c.id) AS name, ${roleAtSql("c", s.day)} AS role, c.user_id, c.email
       FROM contacts c
       -- Their role at T is a stakeholder's (written so the planner can estimate it from the columns).
       WHERE ${s.accountIn("c.account")}
         AND ((c.role = ANY(${roles}::text[]) AND (c.role_changed_at IS NULL OR c.role_changed_at < ${s.day} OR c.previous_role IS NULL))
              OR (c.role_changed_at >= ${s.day} AND c.previous_role = ANY(${roles}::text[])))
         -- Departed as of T: inactive since before T; marked inactive without a date counts whatever T is.
         AND (c.inactive_since IS NULL OR c.inactive_since >= ${s.day}) AND (c.active OR c.inactive_since IS NOT NULL)
     ),
     -- Plain subqueries (not materialised), so the usage scan can run in parallel against a hash of the keys.
     keys AS NOT MATERIALIZED (
       SELECT id, account, user_id AS uid FROM stake WHERE user_id IS NOT NULL
       UNION ALL SELECT id, account, email FROM stake WHERE user_id IS NULL AND email IS NOT NULL
       UNION ALL SELECT id, account, id FROM stake WHERE user_id IS NULL
     ),
     -- Every contact day (a day may repeat across sources: its zero gap is left out below).
     touch AS (
       SELECT n.contact AS id, (n.ts AT TIME ZONE 'UTC')::date AS d
       FROM notes n JOIN stake st ON st.id = n.contact AND st.account = n.account
       WHERE n.direction = 'inbound' AND n.ts >= ${s.daysBefore(366)} AND n.ts < ${s.t}
       UNION ALL
       SELECT st.id, (m.scheduled_at AT TIME ZONE 'UTC')::date
       FROM meetings m JOIN stake st ON st.account = m.account AND st.id = ANY(m.attendees)
       WHERE m.status = ANY(${held}::text[]) AND m.scheduled_at >= ${s.daysBefore(366)} AND m.scheduled_at < ${s.t}
       UNION ALL
       SELECT k.id, u.day
       FROM usage_user_days u JOIN keys k ON k.account = u.account AND k.uid = u.user_id
       WHERE u.day >= ${from} AND u.day < ${s.day} AND ${s.accountIn("u.account")}
     ),
     -- Each person's days gathered unsorted (a hash aggregate), then each small list sorted on its own:
     -- much cheaper than sorting every contact day of every account at once.
     lists AS (
       SELECT id, array_agg(${s.day} - d) AS ago FROM touch WHERE d >= ${from} AND d < ${s.day} GROUP BY id
     ),
     stats AS (
       SELECT l.id, x.contacts, x.since, x.usual
       FROM lists l CROSS JOIN LATERAL (
         SELECT count(*)::int AS contacts, min(a) AS since, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS usual
         FROM (SELECT a, lead(a) OVER (ORDER BY a) - a AS gap FROM (SELECT DISTINCT unnest(l.ago) AS a) u) g
       ) x
       WHERE cardinality(l.ago) >= ${MIN_CONTACTS}
     ),
     judged AS (
       SELECT st.account, st.id AS contact, st.name, st.role, x.contacts, ${s.day} - x.since AS last_day, x.usual, x.since,
              x.since > ${SILENCE_GAPS} * x.usual AND x.since >= ${SILENCE_MIN_DAYS} AS silent
       FROM stake st JOIN stats x ON x.id = st.id
       WHERE x.contacts >= ${MIN_CONTACTS}
     ),
     counted AS (
       SELECT judged.*, count(*) OVER (PARTITION BY account)::int AS judged,
              count(*) FILTER (WHERE silent) OVER (PARTITION BY account)::int AS silent_count
       FROM judged
     )
     SELECT j.account, j.contact, j.name, j.role, j.contacts, j.last_day::text AS last_day, j.since, j.usual,
            j.judged, j.silent_count, (j.judged >= 2 AND j.silent_count = j.judged) AS dark
     FROM counted j
     WHERE j.silent
     ORDER BY j.account, j.contact`,
    s.params,
  );
  return rows.map((r): Detected => {
    const usual = Number(r.usual);
    const line = `${roleWords(r.role)} ${r.name}: last two-way contact ${daysWords(r.since)} ago; usual gap ${daysWords(usual)}`;
    const dark = r.dark ? `account dark: all ${r.judged} engaged stakeholders silent; ` : "";
    return {
      kind: "stakeholder_silence",
      account: r.account,
      contact: r.contact,
      competitor: null,
      severity: r.dark ? "high" : DEFAULT_SEVERITY.stakeholder_silence,
      first_evidence_at: dayInstant(r.last_day),
      last_evidence_at: dayInstant(r.last_day),
      summary: `${dark}${line}`,
      evidence: [
        {
          text: line,
          values: {
            role: r.role,
            days_since_contact: r.since,
            usual_gap_days: usual,
            contact_days: r.contacts,
            last_contact: r.last_day,
          },
        },
        ...(r.dark
          ? [
              {
                text: `account dark: ${r.silent_count} of ${r.judged} engaged stakeholders silent`,
                values: { silent: r.silent_count, stakeholders: r.judged },
              },
            ]
          : []),
      ],
      occurrences: 1,
    };
  });
}
