import { durationMs } from "./durations.js";
import type { EscalationRule } from "./schema.js";

/** When an escalation rule fires for a play opened at `opened` and due at `due`. */
export function escalationTime(rule: EscalationRule, opened: Date, due: Date): Date {
  const share = /^(\d+(?:\.\d+)?)%$/.exec(rule.at);
  if (share)
    return new Date(opened.getTime() + (Number(share[1]) / 100) * (due.getTime() - opened.getTime()));
  return new Date(due.getTime() + durationMs(rule.at));
}

/** The chain in the order it fires (ties keep the file's order). */
export function escalationSchedule(
  chain: readonly EscalationRule[],
  opened: Date,
  due: Date,
): { rule: EscalationRule; at: Date; level: number }[] {
  return chain
    .map((rule, i) => ({ rule, at: escalationTime(rule, opened, due), i }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.i - b.i)
    .map(({ rule, at }, k) => ({ rule, at, level: k + 1 }));
}

export interface EscalationState {
  opened_at: Date;
  due_at: Date;
  /** How many of the chain's rules have fired. */
  escalation_level: number;
}

/**
 * The rules due by `now` that have not fired yet (in order), and when the
 * next one after them falls (null when the chain is done).
 */
export function dueEscalations(
  chain: readonly EscalationRule[],
  play: EscalationState,
  now: Date,
): { fire: { rule: EscalationRule; at: Date; level: number }[]; next: Date | null } {
  const schedule = escalationSchedule(chain, play.opened_at, play.due_at).slice(play.escalation_level);
  const fire = schedule.filter((s) => s.at.getTime() <= now.getTime());
  const next = schedule[fire.length]?.at ?? null;
  return { fire, next };
}
