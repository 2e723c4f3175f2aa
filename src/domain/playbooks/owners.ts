import type { AccountFacts, TeamMember } from "./facts.js";
import type { OwnerRule, Playbooks } from "./schema.js";

/** The team as a playbook needs it: users by id and by email. */
export class Team {
  readonly byId = new Map<string, TeamMember>();
  readonly byEmail = new Map<string, TeamMember>();
  constructor(members: readonly TeamMember[]) {
    for (const m of members) {
      this.byId.set(m.id, m);
      this.byEmail.set(m.email.toLowerCase(), m);
    }
  }

  active(id: string | null | undefined): TeamMember | undefined {
    const m = id ? this.byId.get(id) : undefined;
    return m?.active ? m : undefined;
  }

  /** The nearest active manager up the chain. */
  manager(id: string | null | undefined): TeamMember | undefined {
    const seen = new Set<string>(id ? [id] : []);
    let m = id ? this.byId.get(id) : undefined;
    while (m?.manager_id && !seen.has(m.manager_id)) {
      seen.add(m.manager_id);
      const up = this.byId.get(m.manager_id);
      if (up?.active) return up;
      m = up;
    }
    return undefined;
  }

  /** Whether `leaderId` is `id`'s manager, or their manager's, and so on. */
  reportsTo(id: string | null | undefined, leaderId: string): boolean {
    const seen = new Set<string>();
    let m = id ? this.byId.get(id) : undefined;
    while (m?.manager_id && !seen.has(m.manager_id)) {
      if (m.manager_id === leaderId) return true;
      seen.add(m.manager_id);
      m = this.byId.get(m.manager_id);
    }
    return false;
  }
}

export interface Resolved {
  user: string | null;
  /** The rule that gave the user: the one asked for, or the next one up when it had nobody. */
  via: string;
}

/**
 * The executive sponsor of an account: the one named for its segment, else
 * the default, else the first executive up the owner's management chain,
 * else the first active executive (by email).
 */
function executiveFor(
  facts: AccountFacts,
  team: Team,
  config: Playbooks["executives"],
): TeamMember | undefined {
  const segments = config?.segments ?? {};
  const bySegment =
    facts.segment !== null && Object.hasOwn(segments, facts.segment) ? segments[facts.segment] : undefined;
  for (const named of [bySegment, config?.default]) {
    const byName = named ? team.byEmail.get(named.toLowerCase()) : undefined;
    if (byName?.active) return byName;
  }
  let m = team.active(facts.owner_user) ?? (facts.owner_user ? team.byId.get(facts.owner_user) : undefined);
  const seen = new Set<string>();
  while (m && !seen.has(m.id)) {
    if (m.role === "executive" && m.active) return m;
    seen.add(m.id);
    m = m.manager_id ? team.byId.get(m.manager_id) : undefined;
  }
  return [...team.byId.values()]
    .filter((u) => u.role === "executive" && u.active)
    .sort((a, b) => a.email.localeCompare(b.email))[0];
}

const ORDER = ["owner", "owner_manager", "executive"] as const;

/**
 * Who a rule names for an account. A rule that finds nobody (no owner
 * resolved, no manager, no executive) falls to the next one up — owner, then
 * owner_manager, then executive — so a play is never silently unowned; `via`
 * says which answered. Null only when none does.
 */
export function resolveOwner(
  rule: OwnerRule,
  facts: AccountFacts,
  team: Team,
  config: Playbooks["executives"],
): Resolved {
  if (typeof rule === "object") {
    const u = team.byEmail.get(rule.user.toLowerCase());
    if (u?.active) return { user: u.id, via: `user ${u.email}` };
    return resolveOwner("owner_manager", facts, team, config);
  }
  for (const r of ORDER.slice(ORDER.indexOf(rule))) {
    const u =
      r === "owner"
        ? team.active(facts.owner_user)
        : r === "owner_manager"
          ? team.manager(facts.owner_user)
          : executiveFor(facts, team, config);
    if (u) return { user: u.id, via: r };
  }
  return { user: null, via: "unassigned" };
}
