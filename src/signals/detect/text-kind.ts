/**
 * One signal per account from text_findings of one kind in the 90 days before
 * T (the parity asks and the evaluations): the competitor is the one named
 * most (ties: the latest named), when any is; evidence newest first.
 */
import type { Queryable } from "../../store/index.js";
import type { SignalKind } from "../kinds.js";
import type { RecordEvidence } from "../types.js";
import { type DetectContext, evidenceJsonSql, MAX_EVIDENCE, scopeOf } from "./shared.js";

export type TextKindRow = {
  account: string;
  competitor: string | null;
  n: number;
  by_entity: Record<string, number>;
  first_at: string;
  last_at: string;
  evidence: RecordEvidence[];
};

export async function textKindRows(
  q: Queryable,
  ctx: DetectContext,
  kind: SignalKind & ("feature_parity_request" | "evaluating_alternatives"),
  days = 90,
): Promise<TextKindRow[]> {
  const s = scopeOf(ctx);
  const k = s.param(kind);
  return q.query<TextKindRow>(
    `WITH found AS (
       SELECT f.account, f.competitor, f.entity, f.record_id AS id, f.at, f.sentence AS text, f.match_start, f.match_end,
              row_number() OVER (PARTITION BY f.account ORDER BY f.at DESC, f.entity, f.record_id, f.match_start) AS rn
       FROM text_findings f
       WHERE f.kind = ${k} AND f.at >= ${s.daysBefore(days)} AND f.at < ${s.t} AND ${s.accountIn("f.account")}
     ),
     named AS (
       SELECT DISTINCT ON (account) account, competitor
       FROM (SELECT account, competitor, count(*) AS n, max(at) AS last_at FROM found
             WHERE competitor IS NOT NULL GROUP BY account, competitor) c
       ORDER BY account, n DESC, last_at DESC, competitor
     ),
     per_entity AS (SELECT account, jsonb_object_agg(entity, n) AS by_entity
                    FROM (SELECT account, entity, count(*)::int AS n FROM found GROUP BY account, entity) e
                    GROUP BY account)
     SELECT r.account, (SELECT competitor FROM named WHERE named.account = r.account) AS competitor,
            count(*)::int AS n, (SELECT by_entity FROM per_entity p WHERE p.account = r.account) AS by_entity,
            min(r.at) AS first_at, max(r.at) AS last_at,
            jsonb_agg(${evidenceJsonSql("r")} ORDER BY r.rn) FILTER (WHERE r.rn <= ${MAX_EVIDENCE}) AS evidence
     FROM found r
     GROUP BY r.account
     ORDER BY r.account`,
    s.params,
  );
}
