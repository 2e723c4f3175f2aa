/**
 * negotiation_friction: for renewal and expansion deals open at T (as the
 * deal's history shows it then: the newest entry before T, else the first
 * entry's `previous` values a trigger kept, else the row; a deal whose history
 * only starts after T did not exist yet) closing within 120 days after T or
 * past due:
 * - a discount well above the norm: at least 15%, and 10 points or more over
 *   both the account's previous deals' median and the segment's median (deals
 *   closed before T; a deal without a discount requested counts as 0%);
 * - its close date slipping: 2 or more history entries before T moving it later;
 * - its stage moving backwards: a stage earlier, in the ordered list
 *   prospecting < qualification (discovery) < proposal < negotiation < commit
 *   < closed or in the deal's own sequence, than one it held before;
 * - procurement pushback text in notes or tickets in the 60 days before T.
 * One signal per account, evidence each reason.
 */
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import type { RecordEvidence } from "../types.js";
import { type DetectContext, type Detected, listInWords, newestFirst, scopeOf } from "./shared.js";

export const FRICTION_WINDOW_DAYS = 120;
export const MIN_DISCOUNT_PCT = 15;
export const DISCOUNT_OVER_NORM = 10;
export const MIN_SLIPS = 2;
export const PUSHBACK_DAYS = 60;

const norm = (col: string) => `lower(replace(trim(${col}), ' ', '_'))`;
const CLOSED = "('closed', 'closed_won', 'closed_lost', 'won', 'lost')";
const rank = (
  col: string,
) => `CASE ${col} WHEN 'prospecting' THEN 1 WHEN 'qualification' THEN 2 WHEN 'discovery' THEN 2
  WHEN 'proposal' THEN 3 WHEN 'negotiation' THEN 4 WHEN 'commit' THEN 5 WHEN 'closed' THEN 6 WHEN 'closed_won' THEN 6
  WHEN 'closed_lost' THEN 6 WHEN 'won' THEN 6 WHEN 'lost' THEN 6 END`;

type Row = {
  account: string;
  deal: string | null;
  reason: "discount" | "slipping" | "backwards" | "pushback";
  entity: RecordEvidence["entity"];
  id: string;
  at: string;
  text: string;
  match_start: number | null;
  match_end: number | null;
};

export async function detectNegotiationFriction(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const s = scopeOf(ctx);
  const label = "d.kind || ' deal ' || d.id";
  const rows = await q.query<Row>(
    `WITH hist AS (
       SELECT o.id, (e.v->>'at')::timestamptz AS at, e.v, row_number() OVER (PARTITION BY o.id ORDER BY (e.v->>'at')::timestamptz, e.n) AS pos
       FROM opportunities o
       CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(o.history) = 'array' THEN o.history ELSE '[]'::jsonb END)
         WITH ORDINALITY AS e(v, n)
       WHERE o.kind IN ('renewal', 'expansion') AND (o.status = 'open' OR o.close_date >= ${s.day}) AND ${s.accountIn("o.account")}
     ),
     before AS (SELECT DISTINCT ON (id) id, at, v FROM hist WHERE at < ${s.t} ORDER BY id, pos DESC),
     firsts AS (SELECT id, v FROM hist WHERE pos = 1),
     state AS (
       SELECT o.id, o.account, o.kind, coalesce(a.segment, '') AS segment, b.at AS state_at,
              CASE WHEN b.id IS NOT NULL THEN b.v WHEN f.v -> 'previous' IS NOT NULL THEN f.v -> 'previous'
                   ELSE jsonb_build_object('stage', o.stage, 'close_date', o.close_date, 'discount_requested_pct', o.discount_requested_pct)
              END AS st,
              (b.id IS NULL AND f.id IS NOT NULL AND f.v -> 'previous' IS NULL) AS unborn
       FROM opportunities o JOIN accounts a ON a.id = o.account
       LEFT JOIN before b ON b.id = o.id LEFT JOIN firsts f ON f.id = o.id
       WHERE o.kind IN ('renewal', 'expansion') AND (o.status = 'open' OR o.close_date >= ${s.day}) AND ${s.accountIn("o.account")}
     ),
     d AS (
       SELECT id, account, kind, segment, state_at, (st->>'close_date')::date AS close_date,
              (st->>'discount_requested_pct')::numeric AS discount
       FROM state
       WHERE NOT unborn AND (st->>'close_date')::date <= ${s.day} + ${FRICTION_WINDOW_DAYS}
         AND coalesce(${norm("st->>'stage'")}, '') NOT IN ${CLOSED}
     ),
     prev AS (
       SELECT o.id, o.account, coalesce(a.segment, '') AS segment, coalesce(o.discount_requested_pct, 0) AS discount
       FROM opportunities o JOIN accounts a ON a.id = o.account WHERE o.close_date < ${s.day}
     ),
     seg AS (SELECT segment, percentile_cont(0.5) WITHIN GROUP (ORDER BY discount) AS median FROM prev GROUP BY segment),
     asked AS (SELECT * FROM d WHERE d.discount >= ${MIN_DISCOUNT_PCT}),
     account_norm AS (
       SELECT a.id, percentile_cont(0.5) WITHIN GROUP (ORDER BY p.discount) AS median
       FROM asked a JOIN prev p ON p.account = a.account AND p.id <> a.id GROUP BY a.id
     ),
     discounts AS (
       SELECT a.*, coalesce(n.median, 0) AS account_median, coalesce(g.median, 0) AS segment_median
       FROM asked a LEFT JOIN account_norm n ON n.id = a.id LEFT JOIN seg g ON g.segment = a.segment
     ),
     seq AS (
       SELECT h.id, h.at, h.pos, ${norm("h.v->>'stage'")} AS stage, (h.v->>'close_date')::date AS close_date,
              coalesce((h.v->'previous'->>'close_date')::date, lag((h.v->>'close_date')::date) OVER w) AS prev_close,
              ${norm("h.v->'previous'->>'stage'")} AS kept_stage
       FROM hist h JOIN d ON d.id = h.id
       WHERE h.at < ${s.t}
       WINDOW w AS (PARTITION BY h.id ORDER BY h.pos)
     ),
     slips AS (
       SELECT id, count(*)::int AS n, max(at) AS last_at,
              string_agg(prev_close::text || ' → ' || close_date::text, ', ' ORDER BY pos) AS moves
       FROM seq WHERE close_date > prev_close GROUP BY id HAVING count(*) >= ${MIN_SLIPS}
     ),
     stages AS (
       SELECT id, at, pos, stage FROM seq WHERE stage IS NOT NULL
       UNION ALL
       SELECT id, at, 0, kept_stage FROM seq WHERE pos = 1 AND kept_stage IS NOT NULL
     ),
     firstpos AS (SELECT stages.*, min(pos) OVER (PARTITION BY id, stage) AS fp, ${rank("stage")} AS rnk FROM stages),
     moved AS (
       SELECT firstpos.*, max(fp) OVER pw AS prior_fp, max(rnk) OVER pw AS prior_rank,
              lag(stage) OVER (PARTITION BY id ORDER BY pos) AS from_stage
       FROM firstpos WINDOW pw AS (PARTITION BY id ORDER BY pos ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
     ),
     backs AS (
       SELECT id, max(at) AS last_at,
              string_agg(from_stage || ' to ' || stage || ' on ' || to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), ', ' ORDER BY pos) AS moves
       FROM moved WHERE fp < prior_fp OR rnk < prior_rank GROUP BY id
     )
     SELECT d.account, d.id AS deal, 'discount' AS reason, 'opportunities' AS entity, d.id,
            coalesce(d.state_at, ${s.t}) AS at,
            ${label} || ' (closing ' || d.close_date::text || ') asks a ' || trim_scale(round(d.discount, 1))::text ||
              '% discount; the account''s previous deals'' median is ' || trim_scale(round(d.account_median::numeric, 1))::text ||
              '%, the segment''s ' || trim_scale(round(d.segment_median::numeric, 1))::text || '%' AS text,
            NULL::int AS match_start, NULL::int AS match_end
     FROM discounts d
     WHERE d.discount >= d.account_median + ${DISCOUNT_OVER_NORM} AND d.discount >= d.segment_median + ${DISCOUNT_OVER_NORM}
     UNION ALL
     SELECT d.account, d.id, 'slipping', 'opportunities', d.id, x.last_at,
            ${label} || ': close date slipped ' || x.n || ' times (' || x.moves || ')', NULL, NULL
     FROM slips x JOIN d ON d.id = x.id
     UNION ALL
     SELECT d.account, d.id, 'backwards', 'opportunities', d.id, x.last_at,
            ${label} || ': stage moved back (' || x.moves || ')', NULL, NULL
     FROM backs x JOIN d ON d.id = x.id
     UNION ALL
     SELECT f.account, NULL, 'pushback', f.entity, f.record_id, f.at, f.sentence, f.match_start, f.match_end
     FROM text_findings f
     WHERE f.kind = 'procurement_pushback' AND f.entity IN ('notes', 'tickets')
       AND f.at >= ${s.daysBefore(PUSHBACK_DAYS)} AND f.at < ${s.t} AND f.account IN (SELECT account FROM d)
     ORDER BY account, at DESC, reason, id`,
    s.params,
  );
  return group(rows);
}

function group(rows: readonly Row[]): Detected[] {
  const byAccount = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byAccount.get(r.account);
    if (list) list.push(r);
    else byAccount.set(r.account, [r]);
  }
  return [...byAccount.values()].map((list) => {
    const ats = list.map((r) => new Date(r.at).toISOString()).sort();
    const reasons: string[] = [];
    for (const reason of ["discount", "slipping", "backwards", "pushback"] as const) {
      const n = list.filter((r) => r.reason === reason).length;
      if (n > 0) reasons.push(REASON_WORDS[reason](n));
    }
    const deals = [...new Set(list.flatMap((r) => (r.deal ? [r.deal] : [])))];
    return {
      kind: "negotiation_friction",
      account: list[0]!.account,
      contact: null,
      competitor: null,
      severity: DEFAULT_SEVERITY.negotiation_friction,
      first_evidence_at: ats[0]!,
      last_evidence_at: ats[ats.length - 1]!,
      summary: `${listInWords(reasons)}${deals.length ? ` (${deals.join(", ")})` : ""}`,
      evidence: newestFirst(
        list.map((r) => ({
          entity: r.entity,
          id: r.id,
          date: new Date(r.at).toISOString().slice(0, 10),
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

const REASON_WORDS: Record<Row["reason"], (n: number) => string> = {
  discount: () => "a discount well above the norm",
  slipping: () => "a close date slipping",
  backwards: () => "a stage moving backwards",
  pushback: (n) => `procurement pushback in ${n} ${n === 1 ? "record" : "records"}`,
};
