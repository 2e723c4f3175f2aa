import { newId } from "../auth/tokens.js";
import {
  type Decision,
  decide,
  dueEscalations,
  type LastClosed,
  lookBackDays,
  metricsUsed,
  type NewPlay,
  type OpenPlay,
  Team,
} from "../domain/playbooks/index.js";
import { activeScorecard } from "../scoring/index.js";
import { type Db, type Queryable, retryTransient } from "../store/index.js";
import { loadFacts, loadTeam } from "./facts-sql.js";
import { writePlayEvents } from "./play-events.js";
import { activePlaybooks } from "./versions.js";

/** Evaluations (and escalations) of plays run one at a time, whichever process runs them. */
export const PLAYS_LOCK = 7_310_003;

export interface EvaluationSummary {
  playbook_version: number;
  accounts: number;
  opened: number;
  superseded: number;
  cleared: number;
  recurred: number;
  seconds: number;
}

export interface EvaluateOptions {
  /** Only these accounts (all active scored accounts when absent). */
  accounts?: readonly string[] | undefined;
  now: Date;
}

type OpenRow = OpenPlay & { opened_at: string; due_at: string; escalation_level: number };

async function openPlays(tx: Queryable, accounts: readonly string[] | undefined): Promise<OpenRow[]> {
  return tx.query<OpenRow>(
    `SELECT id, account, playbook, tier, state, owner_user, condition_cleared_at, opened_at, due_at, escalation_level
     FROM plays WHERE state <> 'closed' AND ($1::text[] IS NULL OR account = ANY($1::text[]))`,
    [accounts ?? null],
  );
}

async function lastClosed(tx: Queryable, accounts: readonly string[] | undefined): Promise<LastClosed[]> {
  return tx.query<LastClosed>(
    `SELECT account, playbook, max(closed_at) AS closed_at FROM plays
     WHERE state = 'closed' AND outcome <> 'superseded' AND ($1::text[] IS NULL OR account = ANY($1::text[]))
     GROUP BY account, playbook`,
    [accounts ?? null],
  );
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

const PLAY_COLUMNS = [
  "id",
  "account",
  "playbook",
  "name",
  "tier",
  "reason",
  "trigger_values",
  "owner_user",
  "owner_via",
  "opened_at",
  "ack_due_at",
  "due_at",
  "next_escalation_at",
  "baseline",
];

/**
 * Inserts the new plays, their steps and their `opened` events through the
 * store's bulk path (COPY into a staging table): with thousands of plays at
 * once (the first evaluation) that is several times cheaper than JSON
 * parameters. The version is a number from the store, written inline.
 */
async function writeOpened(tx: Queryable, plays: NewPlay[], version: number, now: Date): Promise<number> {
  if (plays.length === 0) return 0;
  const withIds = plays.map((p) => ({ id: newId("play"), ...p }));
  const inserted = await tx.withRows<{ id: string }>(
    PLAY_COLUMNS,
    withIds.map((p) => [
      p.id,
      p.account,
      p.playbook,
      p.name,
      String(p.tier),
      p.reason,
      JSON.stringify(p.trigger_values),
      p.owner_user,
      p.owner_via,
      iso(p.opened_at),
      iso(p.ack_due_at),
      iso(p.due_at),
      iso(p.next_escalation_at),
      JSON.stringify(p.baseline),
    ]),
    (src) =>
      `INSERT INTO plays (id, account, playbook, playbook_version, name, tier, reason, trigger_values, owner_user, owner_via,
                          opened_at, ack_due_at, due_at, last_fired_at, next_escalation_at, baseline)
       SELECT src.id, src.account, src.playbook, ${Math.trunc(Number(version))}, src.name, src.tier::int, src.reason,
              src.trigger_values::jsonb, src.owner_user, src.owner_via, src.opened_at::timestamptz,
              src.ack_due_at::timestamptz, src.due_at::timestamptz, src.opened_at::timestamptz,
              src.next_escalation_at::timestamptz, src.baseline::jsonb
       FROM ${src}
       ON CONFLICT (account, playbook) WHERE state <> 'closed' DO NOTHING
       RETURNING id`,
  );
  const kept = new Set(inserted.map((r) => r.id));
  const opened = withIds.filter((p) => kept.has(p.id));
  const steps = opened.flatMap((p) =>
    p.steps.map((s) => [p.id, s.key, String(s.position), s.title, s.owner_user, iso(s.due_at)]),
  );
  if (steps.length > 0)
    await tx.withRows(
      ["play_id", "key", "position", "title", "owner_user", "due_at"],
      steps,
      (src) =>
        `INSERT INTO play_steps (play_id, key, position, title, owner_user, due_at)
         SELECT play_id, key, position::int, title, owner_user, due_at::timestamptz FROM ${src}`,
    );
  await writePlayEvents(
    tx,
    opened.map((p) => ({
      play_id: p.id,
      kind: "opened",
      detail: { reason: p.reason, owner_user: p.owner_user, owner_via: p.owner_via },
    })),
    now,
  );
  // Superseded plays close, their owner joins the new play and their notes carry over.
  const pairs = opened.flatMap((p) => p.supersedes.map((old) => ({ old, by: p.id })));
  if (pairs.length > 0) {
    await tx.query(
      `WITH pairs AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(old text, by text)),
       closed AS (
         UPDATE plays p SET state = 'closed', outcome = 'superseded', closed_at = $2, closed_by = 'system',
                superseded_by = pairs.by, next_escalation_at = NULL
         FROM pairs WHERE p.id = pairs.old AND p.state <> 'closed'
         RETURNING p.id, p.superseded_by, p.owner_user, p.notes, p.name
       ),
       carried AS (
         SELECT superseded_by AS id,
                array_agg(DISTINCT owner_user) FILTER (WHERE owner_user IS NOT NULL) AS owners,
                coalesce(jsonb_agg(n ORDER BY n->>'at') FILTER (WHERE n IS NOT NULL), '[]'::jsonb) AS notes
         FROM closed LEFT JOIN LATERAL jsonb_array_elements(closed.notes) n ON true
         GROUP BY superseded_by
       ),
       upd AS (
         UPDATE plays p SET collaborators = (SELECT coalesce(array_agg(DISTINCT u), '{}') FROM unnest(p.collaborators || coalesce(c.owners, '{}')) u WHERE u IS DISTINCT FROM p.owner_user),
                notes = c.notes || p.notes
         FROM carried c WHERE p.id = c.id
         RETURNING p.id
       )
       INSERT INTO play_events (play_id, at, kind, actor, detail)
       SELECT id, $2, 'closed', 'system', jsonb_build_object('outcome', 'superseded', 'superseded_by', superseded_by) FROM closed`,
      [JSON.stringify(pairs), now.toISOString()],
    );
  }
  return opened.length;
}

/**
 * Evaluates the active playbooks for the accounts (all when none given) as
 * of `now`: reads every account's facts and open plays in a few statements,
 * decides in memory (domain/playbooks/decide.ts), and writes what changed in
 * one transaction. Idempotent: a second evaluation on the same scores opens
 * nothing; two at once take turns on one lock.
 */
export async function evaluatePlaybooks(db: Db, opts: EvaluateOptions): Promise<EvaluationSummary> {
  const began = performance.now();
  const { now } = opts;
  const [active, scorecard, members] = await Promise.all([
    activePlaybooks(db),
    activeScorecard(db),
    loadTeam(db),
  ]);
  const team = new Team(members);
  const pbs = active.playbooks;
  const triggers = pbs.playbooks.map((p) => p.trigger);
  const byKey = new Map(pbs.playbooks.map((p) => [p.key, p]));
  const summary = await retryTransient(() =>
    db.withLock(PLAYS_LOCK, async (tx) => {
      // One after another: they share the transaction's one connection.
      const facts = await loadFacts(tx, {
        now,
        accounts: opts.accounts,
        lookBackDays: lookBackDays(triggers),
        metrics: metricsUsed(triggers),
      });
      const open = await openPlays(tx, opts.accounts);
      const closed = await lastClosed(tx, opts.accounts);
      const decisions = decide({
        playbooks: pbs,
        facts,
        open,
        lastClosed: closed,
        team,
        bands: scorecard.scorecard.bands,
        now,
      });
      const openById = new Map(open.map((p) => [p.id, p]));
      const of = <K extends Decision["kind"]>(k: K) =>
        decisions.filter((d): d is Extract<Decision, { kind: K }> => d.kind === k);
      const opens = of("open").map((d) => d.play);
      const opened = await writeOpened(tx, opens, active.version, now);
      const cleared = of("cleared");
      if (cleared.length > 0) {
        await tx.query(
          `UPDATE plays p SET condition_cleared_at = $2, cleared_reason = r.reason, next_escalation_at = NULL
           FROM jsonb_to_recordset($1::jsonb) AS r(id text, reason text) WHERE p.id = r.id`,
          [JSON.stringify(cleared.map((d) => ({ id: d.play_id, reason: d.reason }))), now.toISOString()],
        );
        await writePlayEvents(
          tx,
          cleared.map((d) => ({ play_id: d.play_id, kind: "cleared", detail: { reason: d.reason } })),
          now,
        );
      }
      const recurred = of("recurred");
      if (recurred.length > 0) {
        const rows = recurred.map((d) => {
          const p = openById.get(d.play_id) as OpenRow;
          const chain = byKey.get(p.playbook)?.escalation ?? [];
          const { next } = dueEscalations(
            chain,
            {
              opened_at: new Date(p.opened_at),
              due_at: new Date(p.due_at),
              escalation_level: p.escalation_level,
            },
            now,
          );
          return { id: d.play_id, values: d.trigger_values, next: iso(next) };
        });
        await tx.query(
          `UPDATE plays p SET condition_cleared_at = NULL, cleared_reason = NULL, occurrences = occurrences + 1,
                  last_fired_at = $2, trigger_values = r.values,
                  next_escalation_at = CASE WHEN p.state = 'snoozed' THEN p.next_escalation_at ELSE r.next END
           FROM jsonb_to_recordset($1::jsonb) AS r(id text, values jsonb, next timestamptz) WHERE p.id = r.id`,
          [JSON.stringify(rows), now.toISOString()],
        );
        await writePlayEvents(
          tx,
          recurred.map((d) => ({ play_id: d.play_id, kind: "recurred", detail: { reason: d.reason } })),
          now,
        );
      }
      return {
        accounts: facts.length,
        opened,
        superseded: opens.reduce((n, p) => n + p.supersedes.length, 0),
        cleared: cleared.length,
        recurred: recurred.length,
      };
    }),
  );
  return { playbook_version: active.version, ...summary, seconds: (performance.now() - began) / 1000 };
}
