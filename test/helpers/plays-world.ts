import { mapOwner, type User } from "../../src/auth/index.js";
import {
  activePlaybooks,
  evaluatePlaybooks,
  savePlaybooks,
  validatePlaybooks,
} from "../../src/playbooks/index.js";
import { activeScorecard, runScoring } from "../../src/scoring/index.js";
import type { Db } from "../../src/store/index.js";
import { loadCompany } from "./company.js";
import { addUser } from "./team.js";

/** When the plays open (and the scores were computed). */
export const NOW = new Date("2025-07-01T09:00:00.000Z");
export const DAY = 86_400_000;

/** One playbook every scored account triggers, owned by its CSM: a play per account, owners known in advance. */
export const FOLLOW_UP_YAML = `playbooks:
  - key: follow_up
    name: "Follow up"
    tier: 1
    trigger: { band: [healthy, watch, at_risk, critical] }
    owner: owner
    due: 14d
    acknowledge_within: 2d
    steps:
      - { key: call, title: Call the customer, due: 2d }
      - { key: review, title: Review with the leader, due: 7d, owner: owner_manager }
`;

export interface PlaysWorld {
  users: {
    admin: User;
    exec: User;
    leaderA: User;
    leaderB: User;
    csmA: User;
    csmB: User;
    viewer: User;
  };
  /** Play ids by owner, by due time. */
  playsOf: (u: User) => Promise<string[]>;
  /** Every play's id, by due time then id. */
  all: string[];
}

const SYSTEM = { type: "system" as const, id: null, label: "tests" };

/**
 * A small company through the normal paths — records imported, scored,
 * its CRM owners mapped to users — and the plays the playbooks open on it:
 * the executive manages leader A, who manages CSM A; leader B manages CSM B.
 * The CRM's owners are shared out between CSM A and CSM B, about half the accounts each.
 */
export async function playsWorld(db: Db): Promise<PlaysWorld> {
  const admin = await addUser(db, "admin", { email: "admin@team.example" });
  const exec = await addUser(db, "executive", { email: "vp@team.example", name: "Vera Pike" });
  const leaderA = await addUser(db, "leader", {
    email: "lead.a@team.example",
    name: "Lee A",
    manager: exec.id,
  });
  const leaderB = await addUser(db, "leader", { email: "lead.b@team.example", name: "Lee B" });
  const csmA = await addUser(db, "csm", { email: "csm.a@team.example", name: "Cass A", manager: leaderA.id });
  const csmB = await addUser(db, "csm", { email: "csm.b@team.example", name: "Cass B", manager: leaderB.id });
  const viewer = await addUser(db, "viewer", { email: "viewer@team.example" });

  await loadCompany(db, { accounts: 16, months: 4, seed: "plays", end: "2025-07-01" });
  await runScoring(db, { asOf: NOW.toISOString(), scorecard: await activeScorecard(db), target: "current" });
  // Owners with the most accounts first, each to whichever CSM has fewer so far (CSM A on a tie).
  const owners = await db.query<{ owner: string; n: number }>(
    `SELECT owner, count(*) FILTER (WHERE status = 'active')::int AS n FROM accounts
     WHERE owner IS NOT NULL GROUP BY owner ORDER BY n DESC, owner`,
  );
  const load = { a: 0, b: 0 };
  await db.transaction(async (tx) => {
    for (const o of owners) {
      const to = load.a <= load.b ? "a" : "b";
      load[to] += o.n;
      await mapOwner(tx, o.owner, to === "a" ? csmA.id : csmB.id, SYSTEM);
    }
  });

  await activePlaybooks(db);
  await savePlaybooks(db, await validatePlaybooks(db, FOLLOW_UP_YAML), "api");
  const summary = await evaluatePlaybooks(db, { now: NOW });
  if (summary.opened < 5) throw new Error(`expected plays to open, got ${JSON.stringify(summary)}`);

  const all = (await db.query<{ id: string }>("SELECT id FROM plays ORDER BY due_at, id")).map((r) => r.id);
  const playsOf = async (u: User) =>
    (
      await db.query<{ id: string }>(
        "SELECT id FROM plays WHERE owner_user = $1 AND state <> 'closed' ORDER BY due_at, id",
        [u.id],
      )
    ).map((r) => r.id);
  return { users: { admin, exec, leaderA, leaderB, csmA, csmB, viewer }, playsOf, all };
}
