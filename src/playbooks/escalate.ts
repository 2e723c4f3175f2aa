import { ownerUserIdSql } from "../auth/index.js";
import {
  type AccountFacts,
  dueEscalations,
  type EscalationRule,
  type Playbooks,
  resolveOwner,
  Team,
} from "../domain/playbooks/index.js";
import { type Db, retryTransient } from "../store/index.js";
import { PLAYS_LOCK } from "./evaluate.js";
import { loadTeam } from "./facts-sql.js";
import { type NewPlayEvent, writePlayEvents } from "./play-events.js";

export interface EscalationRun {
  /** Snoozed plays whose snooze ended. */
  woken: number;
  /** Plays that passed their due time (announced once each). */
  overdue: number;
  reminded: number;
  escalated: number;
}

type DueRow = {
  id: string;
  playbook: string;
  playbook_version: number;
  opened_at: string;
  due_at: string;
  escalation_level: number;
  owner_user: string | null;
  account_owner: string | null;
  segment: string | null;
};

/**
 * The periodic escalation (a job every minute while the server runs; `now`
 * from the injected clock): snoozes that ended wake their plays, then each
 * play past its next escalation time walks its playbook's chain — the owner
 * is reminded, anyone else is escalated to (and joins the play). A play
 * whose condition cleared, or that is snoozed or closed, does not escalate.
 * Each step fires once: the play keeps its level.
 */
export async function escalatePlays(db: Db, now: Date): Promise<EscalationRun> {
  const team = new Team(await loadTeam(db));
  return retryTransient(() =>
    db.withLock(PLAYS_LOCK, async (tx) => {
      const at = now.toISOString();
      const woken = await tx.query<{ id: string }>(
        `WITH w AS (
           UPDATE plays SET state = CASE WHEN acknowledged_at IS NULL THEN 'open' ELSE 'in_progress' END,
                  snoozed_until = NULL, snooze_reason = NULL,
                  next_escalation_at = $1::timestamptz
           WHERE state = 'snoozed' AND snoozed_until <= $1
           RETURNING id)
         INSERT INTO play_events (play_id, at, kind, actor, detail)
         SELECT id, $1, 'unsnoozed', 'system', '{"why": "the snooze ended"}'::jsonb FROM w RETURNING play_id AS id`,
        [at],
      );
      // A play past its due time is announced once (play.overdue), whatever its escalation chain.
      const overdue = await tx.query<{ id: string; due_at: string }>(
        `UPDATE plays SET overdue_at = $1
         WHERE state IN ('open', 'acknowledged', 'in_progress') AND condition_cleared_at IS NULL
           AND overdue_at IS NULL AND due_at <= $1
         RETURNING id, due_at`,
        [at],
      );
      await writePlayEvents(
        tx,
        overdue.map((o) => ({
          play_id: o.id,
          kind: "overdue",
          detail: { due_at: new Date(o.due_at).toISOString() },
        })),
        now,
      );
      const due = await tx.query<DueRow>(
        `SELECT p.id, p.playbook, p.playbook_version, p.opened_at, p.due_at, p.escalation_level, p.owner_user,
                ${ownerUserIdSql("a.owner")} AS account_owner, a.segment
         FROM plays p JOIN accounts a ON a.id = p.account
         WHERE p.state IN ('open', 'acknowledged', 'in_progress') AND p.condition_cleared_at IS NULL
           AND p.next_escalation_at <= $1
         ORDER BY p.next_escalation_at, p.id
         FOR UPDATE OF p`,
        [at],
      );
      if (due.length === 0)
        return { woken: woken.length, overdue: overdue.length, reminded: 0, escalated: 0 };
      const versions = [...new Set(due.map((d) => d.playbook_version))];
      const defs = await tx.query<{ version: number; definition: Playbooks }>(
        "SELECT version, definition FROM playbook_versions WHERE version = ANY($1::int[])",
        [versions],
      );
      const byVersion = new Map(defs.map((d) => [d.version, d.definition]));
      const updates: { id: string; level: number; next: string | null; add: string[] }[] = [];
      const events: NewPlayEvent[] = [];
      let reminded = 0;
      let escalated = 0;
      for (const d of due) {
        const pbs = byVersion.get(d.playbook_version);
        const chain: EscalationRule[] = pbs?.playbooks.find((p) => p.key === d.playbook)?.escalation ?? [];
        const { fire, next } = dueEscalations(
          chain,
          {
            opened_at: new Date(d.opened_at),
            due_at: new Date(d.due_at),
            escalation_level: d.escalation_level,
          },
          now,
        );
        const facts = { owner_user: d.account_owner, segment: d.segment } as AccountFacts;
        const add: string[] = [];
        for (const f of fire) {
          const to =
            f.rule.to === "owner"
              ? { user: d.owner_user, via: "owner" }
              : resolveOwner(f.rule.to, facts, team, pbs?.executives);
          const kind = to.user !== null && to.user === d.owner_user ? "reminded" : "escalated";
          if (kind === "reminded") reminded++;
          else escalated++;
          if (kind === "escalated" && to.user) add.push(to.user);
          events.push({
            play_id: d.id,
            kind,
            detail: {
              level: f.level,
              at: f.rule.at,
              to: f.rule.to,
              to_user: to.user,
              via: to.via,
              due_at: d.due_at,
            },
          });
        }
        updates.push({
          id: d.id,
          level: d.escalation_level + fire.length,
          next: next?.toISOString() ?? null,
          add,
        });
      }
      await tx.query(
        `UPDATE plays p SET escalation_level = r.level, next_escalation_at = r.next,
                collaborators = (SELECT coalesce(array_agg(DISTINCT u), '{}') FROM unnest(p.collaborators || r.add) u
                                 WHERE u IS DISTINCT FROM p.owner_user)
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, level int, next timestamptz, add text[]) WHERE p.id = r.id`,
        [JSON.stringify(updates)],
      );
      await writePlayEvents(tx, events, now);
      return { woken: woken.length, overdue: overdue.length, reminded, escalated };
    }),
  );
}
