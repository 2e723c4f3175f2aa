/**
 * competitor_mention: a competitor named in a ticket, note or survey comment
 * in the 90 days before T (text_findings, found once at ingest), or a deal
 * lost in the 180 days before T to a competitor (its `competitor` set, or its
 * lost_reason naming one). One signal per (account, competitor); occurrences
 * is how many times it was named, evidence newest first.
 */

import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import type { RecordEvidence } from "../types.js";
import {
  countsInWords,
  type DetectContext,
  type Detected,
  evidenceJsonSql,
  iso,
  MAX_EVIDENCE,
  scopeOf,
} from "./shared.js";

type Row = {
  account: string;
  competitor: string;
  n: number;
  by_entity: Record<string, number>;
  first_at: string;
  last_at: string;
  evidence: RecordEvidence[];
};

export async function detectCompetitorMentions(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const s = scopeOf(ctx);
  const lostTs = "(o.close_date::timestamp AT TIME ZONE 'UTC')";
  const rows = await q.query<Row>(
    `WITH canon AS (
       SELECT name, lower(name) AS k FROM competitors
       UNION SELECT name, lower(a) FROM competitors, unnest(aliases) AS a
     ),
     lost AS (
       SELECT o.id, o.account, ${lostTs} AS at, o.lost_reason,
              CASE WHEN nullif(trim(o.competitor), '') IS NOT NULL
                THEN coalesce((SELECT min(c.name) FROM canon c WHERE c.k = lower(trim(o.competitor))), trim(o.competitor))
              END AS competitor
       FROM opportunities o
       WHERE o.status = 'lost' AND o.close_date < ${s.day} AND o.close_date >= ${s.dayMinus(180)}
         AND ${s.accountIn("o.account")}
     ),
     found AS (
       SELECT f.account, f.competitor, f.entity, f.record_id AS id, f.at, f.sentence AS text, f.match_start, f.match_end
       FROM text_findings f
       WHERE f.kind = 'competitor_mention' AND f.competitor IS NOT NULL AND f.entity <> 'opportunities'
         AND f.at >= ${s.daysBefore(90)} AND f.at < ${s.t} AND ${s.accountIn("f.account")}
       UNION ALL
       SELECT l.account, f.competitor, 'opportunities', l.id, l.at, f.sentence, f.match_start, f.match_end
       FROM lost l JOIN text_findings f
         ON f.entity = 'opportunities' AND f.record_id = l.id AND f.kind = 'competitor_mention' AND f.competitor IS NOT NULL
       UNION ALL
       -- Lost to a named competitor that the lost reason does not name: the deal in words.
       SELECT l.account, l.competitor, 'opportunities', l.id, l.at,
              'deal ' || l.id || ' lost to ' || l.competitor || coalesce(': ' || nullif(trim(l.lost_reason), ''), ''),
              NULL, NULL
       FROM lost l
       WHERE l.competitor IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM text_findings f WHERE f.entity = 'opportunities' AND f.record_id = l.id
           AND f.kind = 'competitor_mention' AND f.competitor = l.competitor)
     ),
     ranked AS (
       SELECT found.*, row_number() OVER (PARTITION BY account, competitor ORDER BY at DESC, entity, id, match_start) AS rn
       FROM found
     ),
     per_entity AS (
       SELECT account, competitor, entity, count(*)::int AS n FROM found GROUP BY account, competitor, entity
     )
     SELECT r.account, r.competitor, count(*)::int AS n,
            (SELECT jsonb_object_agg(e.entity, e.n) FROM per_entity e
             WHERE e.account = r.account AND e.competitor = r.competitor) AS by_entity,
            min(r.at) AS first_at, max(r.at) AS last_at,
            jsonb_agg(${evidenceJsonSql("r")} ORDER BY r.rn) FILTER (WHERE r.rn <= ${MAX_EVIDENCE}) AS evidence
     FROM ranked r
     GROUP BY r.account, r.competitor
     ORDER BY r.account, r.competitor`,
    s.params,
  );
  return rows.map((r) => ({
    kind: "competitor_mention",
    account: r.account,
    contact: null,
    competitor: r.competitor,
    severity: DEFAULT_SEVERITY.competitor_mention,
    first_evidence_at: iso(r.first_at),
    last_evidence_at: iso(r.last_at),
    summary: `${r.competitor} named in ${countsInWords(r.by_entity)}`,
    evidence: r.evidence,
    occurrences: r.n,
  }));
}
