/**
 * The critical signals present for each account as of T, each with the
 * evidence for people in `detail`. One query per signal, for all accounts.
 *
 * - open_cancellation_or_escalation_ticket: a ticket open at T (see support.ts)
 *   tagged cancellation_request, cancellation or escalation.
 * - executive_detractor: an NPS answer of 3 or less in the 90 days before T
 *   from an executive sponsor or decision maker.
 * - executive_sponsor_inactive: the account has executive sponsors and none
 *   is active. Contacts carry no history, so this reads the current flag and
 *   is NOT point in time: a backtest as of an earlier date sees today's flag.
 * - churn_notice: in the 180 days before T, a ticket or a note (not outbound)
 *   whose text states an intent to leave (churn-phrases.ts), or a renewal
 *   opportunity lost with a close date in that window.
 */
import { CRITICAL_SIGNALS, type CriticalSignal } from "../domain/index.js";
import type { Queryable } from "../store/index.js";
import { CHURN_LIKE, CHURN_PATTERN } from "./churn-phrases.js";
import { accountsInScope, asOfInstant, EXEC_ROLES_SQL, type MetricContext, Scope } from "./scope.js";
import { openAtSql } from "./support.js";

export interface AccountSignal {
  name: CriticalSignal;
  detail: string;
}

/** Ticket tags that make an open ticket a cancellation or escalation. */
export const CANCELLATION_TAGS: readonly string[] = ["cancellation_request", "cancellation", "escalation"];

/** How many pieces of evidence a detail names before "and N more". */
const SHOWN = 3;

type Evidence = { account: string; text: string };

async function openCancellationTickets(db: Queryable, ctx: MetricContext): Promise<Evidence[]> {
  const s = new Scope(ctx);
  const tags = s.param(CANCELLATION_TAGS);
  const rows = await db.query<{ account: string; id: string; opened_at: string; tags: string[] }>(
    `SELECT account, id, opened_at, ARRAY(SELECT tg FROM unnest(tags) AS tg WHERE tg = ANY(${tags}::text[])) AS tags
     FROM tickets
     WHERE tags && ${tags}::text[] AND ${openAtSql(s)} AND ${s.accountIn("account")}
     ORDER BY account, opened_at, id`,
    s.params,
  );
  return rows.map((r) => ({
    account: r.account,
    text: `open ticket ${r.id} tagged ${r.tags.join(", ")} since ${day(r.opened_at)}`,
  }));
}

async function executiveDetractors(db: Queryable, ctx: MetricContext): Promise<Evidence[]> {
  const s = new Scope(ctx);
  const rows = await db.query<{
    account: string;
    score: number;
    ts: string;
    contact: string;
    name: string | null;
    role: string;
  }>(
    `SELECT s.account, s.score, s.ts, c.id AS contact, c.name, c.role
     FROM surveys s JOIN contacts c ON c.id = s.contact AND c.account = s.account
     WHERE s.kind = 'nps' AND s.score <= 3 AND s.ts >= ${s.daysBefore(90)} AND s.ts < ${s.t}
       AND c.role IN ${EXEC_ROLES_SQL} AND ${s.accountIn("s.account")}
     ORDER BY s.account, s.ts DESC, s.id`,
    s.params,
  );
  return rows.map((r) => ({
    account: r.account,
    text: `NPS ${r.score} from ${r.name ?? r.contact} (${r.role.replaceAll("_", " ")}) on ${day(r.ts)}`,
  }));
}

async function inactiveSponsors(db: Queryable, ctx: MetricContext): Promise<Evidence[]> {
  const s = new Scope(ctx, { timeless: true });
  const rows = await db.query<{ account: string; sponsors: string[] }>(
    `SELECT account, array_agg(coalesce(name, id) ORDER BY id) AS sponsors
     FROM contacts
     WHERE role = 'executive_sponsor' AND ${s.accountIn("account")}
     GROUP BY account
     HAVING NOT bool_or(active)`,
    s.params,
  );
  return rows.map((r) => ({
    account: r.account,
    text: `executive sponsor ${r.sponsors.join(", ")} marked inactive (the contact's current flag, not as of the date)`,
  }));
}

async function churnNotices(db: Queryable, ctx: MetricContext): Promise<Evidence[]> {
  const s = new Scope(ctx);
  const p = s.param(CHURN_PATTERN);
  const like = s.param(CHURN_LIKE);
  // CASE keeps the cheap keyword check ahead of the regular expression.
  const says = (text: string) =>
    `CASE WHEN lower(${text}) LIKE ANY(${like}::text[]) THEN ${text} ~* ${p} END`;
  const ticketText = "(coalesce(subject, '') || E'\\n' || coalesce(body, ''))";
  const rows = await db.query<{
    account: string;
    kind: string;
    id: string;
    at: string;
    phrase: string | null;
  }>(
    `SELECT account, 'ticket' AS kind, id, opened_at AS at, (regexp_match(${ticketText}, ${p}, 'i'))[1] AS phrase
     FROM tickets
     WHERE opened_at >= ${s.daysBefore(180)} AND opened_at < ${s.t} AND ${s.accountIn("account")} AND ${says(ticketText)}
     UNION ALL
     SELECT account, 'note', id, ts, (regexp_match(text, ${p}, 'i'))[1]
     FROM notes
     WHERE ts >= ${s.daysBefore(180)} AND ts < ${s.t} AND direction IS DISTINCT FROM 'outbound'
       AND ${s.accountIn("account")} AND ${says("text")}
     UNION ALL
     SELECT account, 'renewal opportunity', id, close_date::timestamp AT TIME ZONE 'UTC', NULL
     FROM opportunities
     WHERE kind = 'renewal' AND status = 'lost' AND close_date >= ${s.dayMinus(180)} AND close_date < ${s.day}
       AND ${s.accountIn("account")}
     ORDER BY account, at DESC, id`,
    s.params,
  );
  return rows.map((r) => ({
    account: r.account,
    text:
      r.phrase === null
        ? `${r.kind} ${r.id} lost (close date ${day(r.at)})`
        : `${r.kind} ${r.id} on ${day(r.at)} says "${r.phrase}"`,
  }));
}

const FINDERS: Record<CriticalSignal, (db: Queryable, ctx: MetricContext) => Promise<Evidence[]>> = {
  open_cancellation_or_escalation_ticket: openCancellationTickets,
  executive_detractor: executiveDetractors,
  executive_sponsor_inactive: inactiveSponsors,
  churn_notice: churnNotices,
};

/**
 * The critical signals present per account as of `ctx.asOf`, for every account
 * in scope (none present: an empty list), in the order of CRITICAL_SIGNALS.
 */
export async function computeSignals(
  db: Queryable,
  ctx: MetricContext,
): Promise<Map<string, AccountSignal[]>> {
  asOfInstant(ctx.asOf);
  const [accounts, ...found] = await Promise.all([
    accountsInScope(db, ctx),
    ...CRITICAL_SIGNALS.map((name) => FINDERS[name](db, ctx)),
  ]);
  const out = new Map<string, AccountSignal[]>(accounts.map((a) => [a, []]));
  CRITICAL_SIGNALS.forEach((name, i) => {
    const byAccount = new Map<string, string[]>();
    for (const e of found[i] ?? []) {
      const list = byAccount.get(e.account);
      if (list) list.push(e.text);
      else byAccount.set(e.account, [e.text]);
    }
    for (const [account, texts] of byAccount) {
      out.get(account)?.push({ name, detail: summarise(texts) });
    }
  });
  return out;
}

function summarise(texts: readonly string[]): string {
  const shown = texts.slice(0, SHOWN).join("; ");
  return texts.length > SHOWN ? `${shown}; and ${texts.length - SHOWN} more` : shown;
}

const day = (iso: string): string => iso.slice(0, 10);
