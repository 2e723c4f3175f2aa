import { addMs, durationMs } from "./durations.js";
import { escalationSchedule } from "./escalation.js";
import type { AccountFacts, BandThresholds } from "./facts.js";
import { resolveOwner, type Team } from "./owners.js";
import type { Playbook, Playbooks } from "./schema.js";
import { evaluateTrigger, inAudience } from "./triggers.js";

/** What evaluation needs of a play that is not closed. */
export type OpenPlay = {
  id: string;
  account: string;
  playbook: string;
  tier: number;
  state: "open" | "acknowledged" | "in_progress" | "snoozed";
  owner_user: string | null;
  condition_cleared_at: string | null;
};

/** The last closing of each (account, playbook), for cooldowns. */
export type LastClosed = {
  account: string;
  playbook: string;
  closed_at: string;
};

export interface Baseline {
  score: number | null;
  band: string | null;
  churn_probability: number | null;
  arr: number | null;
  renewal_date: string | null;
}

export interface NewPlay {
  account: string;
  playbook: string;
  name: string;
  tier: number;
  reason: string;
  trigger_values: Record<string, unknown>;
  owner_user: string | null;
  owner_via: string;
  opened_at: Date;
  due_at: Date;
  ack_due_at: Date | null;
  next_escalation_at: Date | null;
  steps: { key: string; title: string; position: number; owner_user: string | null; due_at: Date }[];
  baseline: Baseline;
  /** Open plays of lower tiers on the account that this one supersedes (closed, their owner and notes carried over). */
  supersedes: string[];
}

export type Decision =
  | { kind: "open"; play: NewPlay }
  /** The condition no longer holds: the play says so and asks for an outcome. */
  | { kind: "cleared"; play_id: string; reason: string }
  /** It held again after clearing: one more occurrence on the same play. */
  | { kind: "recurred"; play_id: string; reason: string; trigger_values: Record<string, unknown> };

export interface DecideInput {
  playbooks: Playbooks;
  facts: readonly AccountFacts[];
  open: readonly OpenPlay[];
  lastClosed: readonly LastClosed[];
  team: Team;
  bands: BandThresholds;
  now: Date;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

function reasonText(reasons: string[]): string {
  return [...new Set(reasons)].join("; ");
}

function newPlay(
  pb: Playbook,
  f: AccountFacts,
  input: DecideInput,
  reason: string,
  values: Record<string, unknown>,
) {
  const { team, now } = input;
  const exec = input.playbooks.executives;
  const owner = resolveOwner(pb.owner, f, team, exec);
  const due = addMs(now, durationMs(pb.due));
  const chain = escalationSchedule(pb.escalation, now, due);
  return {
    account: f.account,
    playbook: pb.key,
    name: pb.name,
    tier: pb.tier,
    reason,
    trigger_values: values,
    owner_user: owner.user,
    owner_via: owner.via,
    opened_at: now,
    due_at: due,
    ack_due_at: pb.acknowledge_within ? addMs(now, durationMs(pb.acknowledge_within)) : null,
    next_escalation_at: chain[0]?.at ?? null,
    steps: pb.steps.map((s, i) => ({
      key: s.key,
      title: s.title,
      position: i,
      owner_user: s.owner ? resolveOwner(s.owner, f, team, exec).user : owner.user,
      due_at: addMs(now, durationMs(s.due)),
    })),
    baseline: {
      score: f.score,
      band: f.band,
      churn_probability: f.churn_probability,
      arr: f.arr,
      renewal_date: f.renewal_date,
    },
    supersedes: [] as string[],
  } satisfies NewPlay;
}

/**
 * What the playbooks call for, account by account, given their facts and
 * the plays already open: pure, and idempotent — deciding again on the
 * same facts after applying the result decides nothing.
 *
 * - A condition that holds with no open play opens one, unless the playbook
 *   is cooling down for the account (closed within `cooldown`), or a higher
 *   tier's play is open or opening there. A tiered play supersedes the open
 *   plays of lower tiers.
 * - An open play whose condition no longer holds (with hysteresis) is
 *   marked cleared; one that holds again after clearing gets another
 *   occurrence — unless snoozed, which stops re-firing.
 * - An account outside a playbook's audience (or a disabled playbook) opens
 *   nothing; its open plays clear.
 */
export function decide(input: DecideInput): Decision[] {
  const { now, bands, team } = input;
  const openBy = groupBy(input.open, (p) => p.account);
  const closedAt = new Map(
    input.lastClosed.map((c) => [`${c.account}\u0000${c.playbook}`, new Date(c.closed_at).getTime()]),
  );
  const playbooks = [...input.playbooks.playbooks].sort((a, b) => b.tier - a.tier);
  const out: Decision[] = [];

  for (const f of input.facts) {
    const open = openBy.get(f.account) ?? [];
    let topTier = Math.max(0, ...open.map((p) => p.tier));
    const opening: NewPlay[] = [];
    const about: Decision[] = [];
    for (const pb of playbooks) {
      const existing = open.find((p) => p.playbook === pb.key);
      const applies = pb.enabled && inAudience(pb.audience, f, team);
      if (existing) {
        // Hysteresis holds a live play; a cleared one recurs only when the trigger itself fires again.
        const holding = existing.condition_cleared_at === null ? { holdingBy: pb.hysteresis } : {};
        const held = applies
          ? evaluateTrigger(pb.trigger, f, { now, bands, ...holding })
          : {
              fired: false,
              reasons: [pb.enabled ? "no longer in the playbook's audience" : "playbook disabled"],
              values: {},
            };
        if (held.fired && existing.condition_cleared_at !== null && existing.state !== "snoozed")
          about.push({
            kind: "recurred",
            play_id: existing.id,
            reason: reasonText(held.reasons),
            trigger_values: held.values,
          });
        else if (!held.fired && existing.condition_cleared_at === null)
          about.push({
            kind: "cleared",
            play_id: existing.id,
            reason: `cleared: ${reasonText(held.reasons)}`,
          });
        continue;
      }
      if (!applies) continue;
      const r = evaluateTrigger(pb.trigger, f, { now, bands });
      if (!r.fired) continue;
      if (pb.tier > 0 && pb.tier < topTier) continue;
      const closed = closedAt.get(`${f.account}\u0000${pb.key}`);
      if (pb.cooldown && closed !== undefined && now.getTime() - closed < durationMs(pb.cooldown)) continue;
      const play = newPlay(pb, f, input, reasonText(r.reasons), r.values);
      if (pb.tier > 0) {
        // Each lower play is superseded once, by the first (highest) play opening over it.
        const taken = new Set(opening.flatMap((p) => p.supersedes));
        play.supersedes = open
          .filter((p) => p.tier > 0 && p.tier < pb.tier && !taken.has(p.id))
          .map((p) => p.id);
        topTier = Math.max(topTier, pb.tier);
      }
      opening.push(play);
    }
    // A play whose playbook is gone from the file clears (and asks its owner for an outcome).
    const known = new Set(playbooks.map((p) => p.key));
    for (const p of open)
      if (!known.has(p.playbook) && p.condition_cleared_at === null)
        about.push({ kind: "cleared", play_id: p.id, reason: "cleared: the playbook was removed" });
    // A play being superseded is closed by the opening one; nothing else is said of it.
    const superseded = new Set(opening.flatMap((p) => p.supersedes));
    for (const d of about) if (d.kind === "open" || !superseded.has(d.play_id)) out.push(d);
    for (const play of opening) out.push({ kind: "open", play });
  }
  return out;
}
