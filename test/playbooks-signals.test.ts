import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluatePlaybooks } from "../src/playbooks/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { seedScores } from "./helpers/plays.js";
import { addUser } from "./helpers/team.js";

const NOW = new Date("2026-06-15T09:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();

/** An active signal as refreshSignals leaves it, its latest evidence `seen` days ago. */
async function signal(db: Db, account: string, kind: string, seen: number, contact: string | null = null) {
  await db.query(
    `INSERT INTO signals (id, key, account, contact, kind, severity, first_seen, last_seen, evidence, summary,
                          first_evidence_at, last_evidence_at, detected_at)
     VALUES ($1, $2, $3, $4, $5, 'medium', $6, $6, '[]', $5, $7, $7, $6)`,
    [
      `sig_${account}_${kind}`,
      `${kind}|${account}|${contact ?? ""}`,
      account,
      contact,
      kind,
      NOW.toISOString(),
      daysAgo(seen),
    ],
  );
}

describe(`the signals' default plays on the store (${storeName})`, () => {
  let db: Db;
  let lead: { id: string };
  let csm: { id: string };

  beforeEach(async () => {
    db = await testDb();
    const exec = await addUser(db, "executive", { email: "vp@team.example" });
    lead = await addUser(db, "leader", { email: "lead@team.example", manager: exec.id });
    csm = await addUser(db, "csm", { email: "csm@team.example", manager: lead.id });
    await seedScores(
      db,
      ["w1", "w2", "w3", "c1"].map((id) => ({
        id,
        owner: "csm@team.example",
        score: 80,
        band: "healthy" as const,
      })),
      NOW,
    );
  });
  afterEach(async () => db.close());

  it("opens the win-back play on two displacement signals within 30 days, owned by account leadership, beside the band's play", async () => {
    await signal(db, "w1", "competitor_mention", 2);
    await signal(db, "w1", "evaluating_alternatives", 12);
    // One kind only; and two kinds with one seen 45 days ago: neither opens it.
    await signal(db, "w2", "competitor_mention", 1);
    await signal(db, "w3", "feature_parity_request", 3);
    await signal(db, "w3", "stakeholder_silence", 45);
    await evaluatePlaybooks(db, { now: NOW });
    const plays = await db.query<{
      account: string;
      playbook: string;
      owner_user: string;
      state: string;
      reason: string;
    }>("SELECT account, playbook, owner_user, state, reason FROM plays ORDER BY account, playbook");
    const winBack = plays.filter((p) => p.playbook === "competitive_win_back");
    expect(winBack.map((p) => p.account)).toEqual(["w1"]);
    expect(winBack[0]).toMatchObject({ owner_user: lead.id, state: "open" });
    expect(winBack[0]!.reason).toMatch(/competitor mention/);
    // Tier 0 supersedes nothing: the healthy play stays open beside it.
    expect(
      plays
        .filter((p) => p.account === "w1" && p.state !== "closed")
        .map((p) => p.playbook)
        .sort(),
    ).toEqual(["competitive_win_back", "healthy_nurture"]);
  });

  it("opens the champion change play for a departed champion, owned by the CSM, and clears it when the signal clears", async () => {
    await signal(db, "c1", "champion_departure", 5, "con_1");
    await evaluatePlaybooks(db, { now: NOW });
    const [p] = await db.query<{ id: string; owner_user: string; due_at: string }>(
      "SELECT id, owner_user, due_at FROM plays WHERE account = 'c1' AND playbook = 'champion_change'",
    );
    expect(p?.owner_user).toBe(csm.id);
    expect(new Date(p!.due_at).getTime() - NOW.getTime()).toBe(14 * DAY);
    await db.query("UPDATE signals SET active = false, cleared_at = $1 WHERE account = 'c1'", [
      NOW.toISOString(),
    ]);
    await evaluatePlaybooks(db, { now: new Date(NOW.getTime() + DAY) });
    const [after] = await db.query<{ condition_cleared_at: string | null }>(
      "SELECT condition_cleared_at FROM plays WHERE id = $1",
      [p!.id],
    );
    expect(after?.condition_cleared_at).not.toBeNull();
  });
});
