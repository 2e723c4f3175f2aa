import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JOBS, JobQueue, startWorkers } from "../src/jobs/index.js";
import { escalatePlays, evaluatePlaybooks } from "../src/playbooks/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { type SeedAccount, seedScores } from "./helpers/plays.js";
import { addUser } from "./helpers/team.js";

const NOW = new Date("2026-06-15T09:00:00Z");
const H = 3_600_000;
const at = (hours: number) => new Date(NOW.getTime() + hours * H);

type PlayRow = {
  id: string;
  account: string;
  playbook: string;
  state: string;
  owner_user: string | null;
  owner_via: string;
  reason: string;
  outcome: string | null;
  superseded_by: string | null;
  collaborators: string[];
  notes: { text: string }[];
  occurrences: number;
  condition_cleared_at: string | null;
  escalation_level: number;
  baseline: { score: number | null; band: string | null };
};

async function plays(db: Db): Promise<PlayRow[]> {
  return db.query<PlayRow>(
    `SELECT id, account, playbook, state, owner_user, owner_via, reason, outcome, superseded_by, collaborators, notes,
            occurrences, condition_cleared_at, escalation_level, baseline
     FROM plays ORDER BY account, opened_at, playbook`,
  );
}
const openOf = (rows: PlayRow[], account: string) =>
  rows.filter((p) => p.account === account && p.state !== "closed");

describe(`playbook evaluation on the store (${storeName})`, () => {
  let db: Db;
  let exec: { id: string };
  let lead: { id: string };
  let csm: { id: string; email: string };
  const accounts: SeedAccount[] = [];

  beforeEach(async () => {
    db = await testDb();
    exec = await addUser(db, "executive", { email: "vp@team.example" });
    lead = await addUser(db, "leader", { email: "lead@team.example", manager: exec.id });
    csm = await addUser(db, "csm", { email: "csm@team.example", name: "Casey Smith", manager: lead.id });
    accounts.length = 0;
    accounts.push(
      { id: "a1", owner: "csm@team.example", score: 55, band: "at_risk", history: { "2026-06-01": 71 } },
      { id: "a2", owner: "Casey Smith", score: 68, band: "watch" },
      { id: "a3", owner: "csm@team.example", score: 85, band: "healthy" },
      { id: "a4", owner: "csm@team.example", score: 70, band: "critical", signals: ["churn_notice"] },
      { id: "a5", owner: "Nobody Known", score: 66, band: "watch" },
    );
    await seedScores(db, accounts, NOW);
  });
  afterEach(async () => db.close());

  it("opens the default tier for each band, with its owner rule, reason and baseline; a second run opens nothing", async () => {
    const first = await evaluatePlaybooks(db, { now: NOW });
    expect(first).toMatchObject({ accounts: 5, opened: 5, superseded: 0, cleared: 0, recurred: 0 });
    const rows = await plays(db);
    const by = new Map(rows.map((p) => [p.account, p]));
    expect(by.get("a1")).toMatchObject({
      playbook: "at_risk",
      owner_user: lead.id,
      owner_via: "owner_manager",
    });
    expect(by.get("a1")?.reason).toContain("fell from 71 within 30 days");
    expect(by.get("a1")?.baseline).toMatchObject({ score: 55, band: "at_risk" });
    // Resolved by name, like the CRM writes it.
    expect(by.get("a2")).toMatchObject({ playbook: "watch", owner_user: csm.id, owner_via: "owner" });
    expect(by.get("a3")).toMatchObject({ playbook: "healthy_nurture", owner_user: csm.id });
    expect(by.get("a4")).toMatchObject({ playbook: "critical", owner_user: exec.id, owner_via: "executive" });
    expect(by.get("a4")?.reason).toContain("churn notice");
    // No owner resolves: the play goes up the rules to the executive rather than to nobody.
    expect(by.get("a5")).toMatchObject({ playbook: "watch", owner_user: exec.id, owner_via: "executive" });
    const [steps] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM play_steps");
    expect(steps?.n).toBe(15);

    const events = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM play_events");
    const second = await evaluatePlaybooks(db, { now: at(1) });
    expect(second).toMatchObject({ opened: 0, superseded: 0, cleared: 0, recurred: 0 });
    expect(await plays(db)).toEqual(rows);
    expect(await db.query("SELECT count(*)::int AS n FROM play_events")).toEqual(events);
  });

  it("a higher tier supersedes the open lower one: closed as superseded, its owner and notes carried over", async () => {
    await evaluatePlaybooks(db, { now: NOW });
    const watch = openOf(await plays(db), "a2")[0]!;
    await db.query(
      `UPDATE plays SET notes = '[{"at": "2026-06-15T10:00:00Z", "by": "csm", "text": "called them"}]' WHERE id = $1`,
      [watch.id],
    );
    await seedScores(db, [{ ...accounts[1]!, band: "critical", signals: ["executive_detractor"] }], at(2));
    const r = await evaluatePlaybooks(db, { now: at(2) });
    expect(r).toMatchObject({ opened: 1, superseded: 1 });
    const rows = (await plays(db)).filter((p) => p.account === "a2");
    const critical = rows.find((p) => p.playbook === "critical")!;
    expect(rows.find((p) => p.id === watch.id)).toMatchObject({
      state: "closed",
      outcome: "superseded",
      superseded_by: critical.id,
    });
    expect(critical.collaborators).toEqual([csm.id]);
    expect(critical.notes.map((n) => n.text)).toEqual(["called them"]);
    expect(openOf(rows, "a2")).toHaveLength(1);
  });

  it("clears with hysteresis, recurs as another occurrence of the same play, and cools down after closing", async () => {
    await evaluatePlaybooks(db, { now: NOW });
    const a1 = accounts[0]!;
    await seedScores(db, [{ ...a1, score: 62, band: "watch" }], at(1));
    expect(await evaluatePlaybooks(db, { now: at(1) })).toMatchObject({ opened: 0, cleared: 0 });
    await seedScores(db, [{ ...a1, score: 64, band: "watch" }], at(2));
    // Cleared, not closed: the at-risk play still blocks the lower watch tier and waits for an outcome.
    expect(await evaluatePlaybooks(db, { now: at(2) })).toMatchObject({ opened: 0, cleared: 1 });
    let play = openOf(await plays(db), "a1")[0]!;
    expect(play.condition_cleared_at).not.toBeNull();
    await seedScores(db, [{ ...a1, score: 52, band: "at_risk" }], at(3));
    expect(await evaluatePlaybooks(db, { now: at(3) })).toMatchObject({ opened: 0, recurred: 1 });
    play = openOf(await plays(db), "a1")[0]!;
    expect(play).toMatchObject({ occurrences: 2, condition_cleared_at: null, playbook: "at_risk" });

    await db.query("UPDATE plays SET state = 'closed', outcome = 'saved', closed_at = $2 WHERE id = $1", [
      play.id,
      at(4).toISOString(),
    ]);
    // Within the 14-day cooldown: nothing reopens; after it, the at-risk play opens again.
    expect(await evaluatePlaybooks(db, { now: at(5) })).toMatchObject({ opened: 0 });
    expect(await evaluatePlaybooks(db, { now: at(4 + 14 * 24 + 1) })).toMatchObject({ opened: 1 });
  });

  it("escalates on the clock: reminds the owner, then escalates up the chain, each step once", async () => {
    await evaluatePlaybooks(db, { now: NOW });
    const before = await plays(db);
    const critical = before.find((p) => p.account === "a4")!;
    const atRisk = before.find((p) => p.account === "a1")!;
    // At +5 h: the critical play's 4 h reminder (due at once) has fired; nothing else is due.
    const first = await escalatePlays(db, at(5));
    expect(first).toMatchObject({ reminded: 1, escalated: 0 });
    expect(await escalatePlays(db, at(5))).toMatchObject({ reminded: 0, escalated: 0 });
    // At +25 h: the critical play escalates to the owner's manager (24 h after due); the at-risk play
    // (due in 48 h) reminds its owner at 50%.
    const second = await escalatePlays(db, at(25));
    expect(second).toMatchObject({ reminded: 1, escalated: 1 });
    const events = await db.query<{ play_id: string; kind: string; to_user: string | null }>(
      "SELECT play_id, kind, detail->>'to_user' AS to_user FROM play_events WHERE kind IN ('reminded', 'escalated') ORDER BY at, kind",
    );
    expect(events).toEqual([
      { play_id: critical.id, kind: "reminded", to_user: exec.id },
      { play_id: critical.id, kind: "escalated", to_user: lead.id },
      { play_id: atRisk.id, kind: "reminded", to_user: lead.id },
    ]);
    const after = await plays(db);
    expect(after.find((p) => p.id === critical.id)).toMatchObject({
      escalation_level: 2,
      collaborators: [lead.id],
    });
    // At +49 h the at-risk play is overdue: escalated to the executive.
    expect(await escalatePlays(db, at(49))).toMatchObject({ escalated: 1 });
  });

  it("snoozed plays do not escalate and wake when the snooze ends", async () => {
    await evaluatePlaybooks(db, { now: NOW });
    const critical = (await plays(db)).find((p) => p.account === "a4")!;
    await db.query(
      "UPDATE plays SET state = 'snoozed', snoozed_until = $2, snooze_reason = 'holiday' WHERE id = $1",
      [critical.id, at(10).toISOString()],
    );
    expect(await escalatePlays(db, at(5))).toMatchObject({ woken: 0, reminded: 0 });
    expect(await escalatePlays(db, at(11))).toMatchObject({ woken: 1, reminded: 1 });
    const [p] = await db.query<{ state: string }>("SELECT state FROM plays WHERE id = $1", [critical.id]);
    expect(p?.state).toBe("open");
  });

  it("two evaluations at once open each play once", async () => {
    const [a, b] = await Promise.all([
      evaluatePlaybooks(db, { now: NOW }),
      evaluatePlaybooks(db, { now: NOW }),
    ]);
    expect(a.opened + b.opened).toBe(5);
    const [n] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM plays");
    expect(n?.n).toBe(5);
  });

  it("runs as a job after scoring: a worker evaluates what afterScoring queued", async () => {
    const jobs = await JobQueue.open(db);
    await jobs.send(JOBS.evaluatePlaybooks, { as_of: NOW.toISOString(), accounts: ["a1", "a2"] });
    const evaluated: number[] = [];
    await startWorkers({ db, jobs, clock: () => NOW, onEvaluated: (r) => evaluated.push(r.opened) });
    jobs.wake(JOBS.evaluatePlaybooks);
    const deadline = Date.now() + 15_000;
    while ((await jobs.pending(JOBS.evaluatePlaybooks)) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    await jobs.stop();
    expect(evaluated).toEqual([2]);
    expect((await plays(db)).map((p) => p.account)).toEqual(["a1", "a2"]);
  });
});
