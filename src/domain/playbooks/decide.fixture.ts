/** What the decide() tests share: a team, an account's facts, playbooks, and a state fed back. */
import {
  type DecideInput,
  type Decision,
  decide,
  type LastClosed,
  type NewPlay,
  type OpenPlay,
} from "./decide.js";
import { DEFAULT_PLAYBOOKS } from "./default-playbooks.js";
import { DAY_MS } from "./durations.js";
import type { AccountFacts, BandThresholds, TeamMember } from "./facts.js";
import { Team } from "./owners.js";
import { type Playbooks, type PlaybooksInput, playbooksSchema } from "./schema.js";

export const NOW = new Date("2025-06-01T00:00:00Z");
export const BANDS: BandThresholds = { healthy: 75, watch: 60 };
export const H = 3_600_000;
export const later = (ms: number) => new Date(NOW.getTime() + ms);
export const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS).toISOString();

export const member = (id: string, manager_id: string | null, role = "csm"): TeamMember => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  manager_id,
  active: true,
});
export const TEAM = new Team([
  member("ceo", null, "executive"),
  member("lead", "ceo", "leader"),
  member("csm", "lead"),
]);

export function facts(over: Partial<AccountFacts> = {}): AccountFacts {
  return {
    account: "acc_1",
    name: "Acme",
    segment: "enterprise",
    plan: "pro",
    arr: 50_000,
    renewal_date: "2026-01-01",
    owner_user: "csm",
    score: 68,
    band: "watch",
    churn_probability: 0.2,
    flagged: false,
    signals: [],
    metrics: {},
    history: [],
    ...over,
  };
}
export const scored = (score: number, over: Partial<AccountFacts> = {}): AccountFacts =>
  facts({ score, band: score >= 75 ? "healthy" : score >= 60 ? "watch" : "at_risk", ...over });
export const critical = (over: Partial<AccountFacts> = {}) =>
  facts({ score: 70, band: "critical", signals: ["churn_notice"], ...over });

export const playbooks = (input: PlaybooksInput): Playbooks => playbooksSchema.parse(input);
export const pb = (over: Partial<PlaybooksInput["playbooks"][number]> & { key: string }) => ({
  name: over.key,
  trigger: { band: "watch" as const },
  owner: "owner" as const,
  due: "7d",
  ...over,
});

export interface State {
  open: OpenPlay[];
  lastClosed: LastClosed[];
}
export const EMPTY: State = { open: [], lastClosed: [] };

export function run(
  f: AccountFacts | AccountFacts[],
  state: State = EMPTY,
  now = NOW,
  pbs = DEFAULT_PLAYBOOKS,
) {
  const input: DecideInput = {
    playbooks: pbs,
    facts: Array.isArray(f) ? f : [f],
    open: state.open,
    lastClosed: state.lastClosed,
    team: TEAM,
    bands: BANDS,
    now,
  };
  return decide(input);
}

/** What the store does with decisions (the IO's job, done in memory). */
export function apply(state: State, decisions: Decision[], now = NOW): State {
  let n = state.open.length;
  let open = state.open.map((p) => ({ ...p }));
  const lastClosed = [...state.lastClosed];
  for (const d of decisions) {
    if (d.kind === "open") {
      for (const id of d.play.supersedes) {
        const gone = open.find((p) => p.id === id);
        if (gone)
          lastClosed.push({ account: gone.account, playbook: gone.playbook, closed_at: now.toISOString() });
      }
      open = open.filter((p) => !d.play.supersedes.includes(p.id));
      open.push({
        id: `play_${++n}_${d.play.playbook}`,
        account: d.play.account,
        playbook: d.play.playbook,
        tier: d.play.tier,
        state: "open",
        owner_user: d.play.owner_user,
        condition_cleared_at: null,
      });
    } else {
      const p = open.find((o) => o.id === d.play_id);
      if (!p) throw new Error(`no play ${d.play_id}`);
      p.condition_cleared_at = d.kind === "cleared" ? now.toISOString() : null;
    }
  }
  return { open, lastClosed };
}

export const opened = (ds: Decision[]): NewPlay[] => ds.flatMap((d) => (d.kind === "open" ? [d.play] : []));
export const summary = (ds: Decision[]) =>
  ds.map((d) => (d.kind === "open" ? `open ${d.play.account} ${d.play.playbook}` : `${d.kind} ${d.play_id}`));
export const openPlay = (playbook: string, tier: number, over: Partial<OpenPlay> = {}): OpenPlay => ({
  id: `p_${playbook}`,
  account: "acc_1",
  playbook,
  tier,
  state: "open",
  owner_user: "csm",
  condition_cleared_at: null,
  ...over,
});
