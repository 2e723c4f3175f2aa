import { describe, expect, it } from "vitest";
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
import { type Playbook, type Playbooks, type PlaybooksInput, playbooksSchema } from "./schema.js";

const NOW = new Date("2025-06-01T00:00:00Z");
const BANDS: BandThresholds = { healthy: 75, watch: 60 };
const H = 3_600_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS).toISOString();

const member = (id: string, manager_id: string | null, role = "csm"): TeamMember => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  manager_id,
  active: true,
});
const TEAM = new Team([
  member("ceo", null, "executive"),
  member("lead", "ceo", "leader"),
  member("csm", "lead"),
]);

function facts(over: Partial<AccountFacts> = {}): AccountFacts {
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
const scored = (score: number, over: Partial<AccountFacts> = {}): AccountFacts =>
  facts({ score, band: score >= 75 ? "healthy" : score >= 60 ? "watch" : "at_risk", ...over });
const critical = (over: Partial<AccountFacts> = {}) =>
  facts({ score: 70, band: "critical", signals: ["churn_notice"], ...over });

const playbooks = (input: PlaybooksInput): Playbooks => playbooksSchema.parse(input);
const pb = (over: Partial<PlaybooksInput["playbooks"][number]> & { key: string }) => ({
  name: over.key,
  trigger: { band: "watch" as const },
  owner: "owner" as const,
  due: "7d",
  ...over,
});

interface State {
  open: OpenPlay[];
  lastClosed: LastClosed[];
}
const EMPTY: State = { open: [], lastClosed: [] };

function run(f: AccountFacts | AccountFacts[], state: State = EMPTY, now = NOW, pbs = DEFAULT_PLAYBOOKS) {
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
function apply(state: State, decisions: Decision[], now = NOW): State {
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

const opened = (ds: Decision[]): NewPlay[] => ds.flatMap((d) => (d.kind === "open" ? [d.play] : []));
const summary = (ds: Decision[]) =>
  ds.map((d) => (d.kind === "open" ? `open ${d.play.account} ${d.play.playbook}` : `${d.kind} ${d.play_id}`));
const openPlay = (playbook: string, tier: number, over: Partial<OpenPlay> = {}): OpenPlay => ({
  id: `p_${playbook}`,
  account: "acc_1",
  playbook,
  tier,
  state: "open",
  owner_user: "csm",
  condition_cleared_at: null,
  ...over,
});

describe("decide: opening", () => {
  it("opens the watch play with owner, due, acknowledgement, steps, escalation and baseline", () => {
    const f = scored(68, {
      history: [{ at: daysAgo(20), score: 72 }],
      renewal_date: "2025-12-01",
      arr: 80_000,
    });
    const [play, ...rest] = opened(run(f));
    expect(rest).toEqual([]);
    expect(play).toEqual({
      account: "acc_1",
      playbook: "watch",
      name: "Watch: CSM outreach and a mini business review",
      tier: 2,
      reason: "watch: score 68, between 60 and 75; fell from 72 within 30 days",
      trigger_values: { band: "watch", score: 68 },
      owner_user: "csm",
      owner_via: "owner",
      opened_at: NOW,
      due_at: later(14 * DAY_MS),
      ack_due_at: later(3 * DAY_MS),
      next_escalation_at: later(7 * DAY_MS),
      steps: [
        {
          key: "outreach",
          title: "Reach out to the customer",
          position: 0,
          owner_user: "csm",
          due_at: later(7 * DAY_MS),
        },
        {
          key: "mini_review",
          title: "Hold a mini business review",
          position: 1,
          owner_user: "csm",
          due_at: later(14 * DAY_MS),
        },
        {
          key: "value_conversation",
          title: "Value-reinforcement conversation",
          position: 2,
          owner_user: "csm",
          due_at: later(14 * DAY_MS),
        },
      ],
      baseline: { score: 68, band: "watch", churn_probability: 0.2, arr: 80_000, renewal_date: "2025-12-01" },
      supersedes: [],
    });
  });

  const cases: [string, AccountFacts, string, string | null, string, Date, Date | null][] = [
    [
      "at risk → leadership in 48 h",
      scored(55),
      "at_risk",
      "lead",
      "owner_manager",
      later(48 * H),
      later(24 * H),
    ],
    ["critical → the executive at once", critical(), "critical", "ceo", "executive", NOW, later(4 * H)],
    ["healthy → nurture by the CSM", scored(80), "healthy_nurture", "csm", "owner", later(30 * DAY_MS), null],
    [
      "no owner: the owner's rule falls up",
      scored(68, { owner_user: null }),
      "watch",
      "ceo",
      "executive",
      later(14 * DAY_MS),
      later(7 * DAY_MS),
    ],
  ];
  it.each(cases)("%s", (_name, f, playbook, owner, via, due, nextEscalation) => {
    const plays = opened(run(f));
    expect(plays.map((p) => p.playbook)).toEqual([playbook]);
    expect(plays[0]).toMatchObject({
      owner_user: owner,
      owner_via: via,
      due_at: due,
      next_escalation_at: nextEscalation,
    });
  });

  it("gives each step its own owner rule, else the play's owner", () => {
    const [play] = opened(run(critical()));
    expect(play?.steps.map((s) => [s.key, s.owner_user, s.due_at])).toEqual([
      ["sponsor_call", "ceo", later(24 * H)],
      ["recovery_plan", "csm", later(72 * H)],
      ["weekly_review", "lead", later(7 * DAY_MS)],
    ]);
    const custom = playbooks({
      playbooks: [pb({ key: "x", owner: "owner_manager", steps: [{ key: "a", title: "A", due: "1d" }] })],
    });
    expect(opened(run(scored(68), EMPTY, NOW, custom))[0]?.steps[0]?.owner_user).toBe("lead");
  });

  it("opens nothing for an account without a band", () => {
    expect(run(facts({ score: null, band: null }))).toEqual([]);
  });

  it("opens every untiered playbook that fires, side by side with a tiered one", () => {
    const pbs = playbooks({
      playbooks: [
        pb({ key: "watch_tiered", tier: 2 }),
        pb({ key: "flagged", trigger: { model_flag: true } }),
        pb({ key: "renewal", trigger: { renewal: { within_days: 60 } } }),
      ],
    });
    const f = scored(68, { flagged: true, renewal_date: "2025-07-01" });
    expect(summary(run(f, EMPTY, NOW, pbs)).sort()).toEqual([
      "open acc_1 flagged",
      "open acc_1 renewal",
      "open acc_1 watch_tiered",
    ]);
    // an untiered play is neither blocked by nor superseded by a tiered one
    const state = { open: [openPlay("flagged", 0, { id: "f" })], lastClosed: [] };
    const again = run(f, state, NOW, pbs);
    expect(opened(again).map((p) => [p.playbook, p.supersedes])).toEqual([
      ["watch_tiered", []],
      ["renewal", []],
    ]);
  });

  it("decides account by account", () => {
    const ds = run([
      scored(80, { account: "a" }),
      scored(68, { account: "b" }),
      scored(50, { account: "c" }),
      critical({ account: "d" }),
    ]);
    expect(summary(ds)).toEqual([
      "open a healthy_nurture",
      "open b watch",
      "open c at_risk",
      "open d critical",
    ]);
  });
});

describe("decide: idempotence, one play per (account, playbook)", () => {
  it("decides nothing when fed back the plays it opened", () => {
    const accounts = [
      scored(80, { account: "a" }),
      scored(68, { account: "b" }),
      scored(50, { account: "c" }),
      critical({ account: "d" }),
      scored(61, { account: "e" }),
    ];
    const first = run(accounts);
    expect(opened(first)).toHaveLength(5);
    const state = apply(EMPTY, first);
    expect(run(accounts, state)).toEqual([]);
    expect(run(accounts, state, later(H))).toEqual([]);
  });

  it("decides nothing again after a supersede, a clearing and a recurrence are applied", () => {
    let state: State = {
      open: [openPlay("at_risk", 3), openPlay("watch", 2, { account: "b" })],
      lastClosed: [],
    };
    const accounts = [critical(), scored(80, { account: "b" })];
    const first = run(accounts, state);
    expect(summary(first)).toEqual(["open acc_1 critical", "cleared p_watch"]);
    state = apply(state, first);
    expect(run(accounts, state)).toEqual([]);
    const back = [critical(), scored(70, { account: "b" })];
    const second = run(back, state);
    expect(summary(second)).toEqual(["recurred p_watch"]);
    expect(run(back, apply(state, second))).toEqual([]);
  });

  it("does not open a second play while one is open, whatever its state", () => {
    for (const s of ["open", "acknowledged", "in_progress", "snoozed"] as const) {
      const state = { open: [openPlay("watch", 2, { state: s })], lastClosed: [] };
      expect(run(scored(68), state)).toEqual([]);
    }
  });
});

describe("decide: tiers supersede", () => {
  it("a critical play opening supersedes the open at-risk and watch plays, and nothing else is said of them", () => {
    const state = {
      open: [
        openPlay("at_risk", 3),
        openPlay("watch", 2),
        openPlay("untiered", 0),
        openPlay("other", 2, { account: "acc_2" }),
      ],
      lastClosed: [],
    };
    const ds = run(critical(), state);
    // The untiered play's playbook is not in the file: it clears; the superseded ones are not spoken of.
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({
      kind: "cleared",
      play_id: "p_untiered",
      reason: "cleared: the playbook was removed",
    });
    expect(opened(ds)[0]).toMatchObject({ playbook: "critical", supersedes: ["p_at_risk", "p_watch"] });
  });

  it("an at-risk play opening supersedes the watch play", () => {
    const ds = run(scored(55), { open: [openPlay("watch", 2)], lastClosed: [] });
    expect(ds).toEqual([
      expect.objectContaining({
        kind: "open",
        play: expect.objectContaining({ playbook: "at_risk", supersedes: ["p_watch"] }),
      }),
    ]);
  });

  const blocked: [string, OpenPlay, AccountFacts, string[]][] = [
    ["watch does not open while at risk is open (held)", openPlay("at_risk", 3), scored(61), []],
    [
      "watch does not open while at risk is open (cleared)",
      openPlay("at_risk", 3),
      scored(68),
      ["cleared p_at_risk"],
    ],
    [
      "watch does not open while at risk's cleared play awaits its outcome",
      openPlay("at_risk", 3, { condition_cleared_at: daysAgo(1) }),
      scored(68),
      [],
    ],
    [
      "healthy does not open while critical is open",
      openPlay("critical", 4),
      scored(90),
      ["cleared p_critical"],
    ],
    [
      "at risk does not open while critical is open",
      openPlay("critical", 4),
      critical({ band: "at_risk", signals: [], score: 40 }),
      ["cleared p_critical"],
    ],
  ];
  it.each(blocked)("%s", (_name, play, f, expected) => {
    expect(summary(run(f, { open: [play], lastClosed: [] }))).toEqual(expected);
  });

  it("opens only the highest tier when several fire at once", () => {
    const pbs = playbooks({
      playbooks: [
        pb({ key: "low", tier: 1, trigger: { band: ["watch", "at_risk"] } }),
        pb({ key: "high", tier: 3, trigger: { model_flag: true } }),
        pb({ key: "mid", tier: 2, trigger: { band: "watch" } }),
        pb({ key: "same_as_high", tier: 3, trigger: { band: "watch" } }),
      ],
    });
    const ds = run(scored(68, { flagged: true }), { open: [openPlay("low", 1)], lastClosed: [] }, NOW, pbs);
    expect(opened(ds).map((p) => [p.playbook, p.supersedes])).toEqual([
      ["high", ["p_low"]],
      // Superseded once, by the first play opening over it.
      ["same_as_high", []],
    ]);
  });
});

describe("decide: hysteresis", () => {
  // the default at-risk play: opened under 60, hysteresis 3
  const cases: [number, string[]][] = [
    [55, []],
    [60, []],
    [61, []],
    [62, []],
    [62.9, []],
    [63, ["cleared p_at_risk"]],
    [70, ["cleared p_at_risk"]],
  ];
  it.each(cases)("an at-risk play at %d → %j", (score, expected) => {
    expect(summary(run(scored(score), { open: [openPlay("at_risk", 3)], lastClosed: [] }))).toEqual(expected);
  });

  it("says why it cleared", () => {
    const [d] = run(scored(63), { open: [openPlay("at_risk", 3)], lastClosed: [] });
    expect(d).toEqual({ kind: "cleared", play_id: "p_at_risk", reason: "cleared: band is watch" });
  });

  it("a cleared play recurs only when the trigger fires again, not inside the hysteresis band", () => {
    const state = { open: [openPlay("at_risk", 3, { condition_cleared_at: daysAgo(3) })], lastClosed: [] };
    expect(run(scored(62), state)).toEqual([]);
    expect(run(scored(60), state)).toEqual([]);
    expect(run(scored(59), state)).toEqual([
      {
        kind: "recurred",
        play_id: "p_at_risk",
        reason: "at risk: score 59, under 60",
        trigger_values: { band: "at_risk", score: 59 },
      },
    ]);
  });

  it("the watch play (hysteresis 2) holds from 58 to under 77", () => {
    const state = { open: [openPlay("watch", 2)], lastClosed: [] };
    expect(summary(run(scored(76), state))).toEqual([]);
    expect(summary(run(scored(77), state))).toEqual(["cleared p_watch"]);
    // at 58 the at-risk play opens and supersedes it
    expect(summary(run(scored(58), state))).toEqual(["open acc_1 at_risk"]);
  });
});

describe("decide: cooldown", () => {
  // the default at-risk cooldown is 14 days
  const cases: [string, number, boolean][] = [
    ["closed an hour ago", 1 / 24, false],
    ["closed 10 days ago", 10, false],
    ["closed 13.9 days ago", 13.9, false],
    ["closed exactly 14 days ago", 14, true],
    ["closed 15 days ago", 15, true],
  ];
  it.each(cases)("%s → reopens: %s", (_name, days, reopens) => {
    const state = {
      open: [],
      lastClosed: [{ account: "acc_1", playbook: "at_risk", closed_at: daysAgo(days) }],
    };
    expect(summary(run(scored(50), state))).toEqual(reopens ? ["open acc_1 at_risk"] : []);
  });

  it("cools down only that account and that playbook", () => {
    const state = {
      open: [],
      lastClosed: [
        { account: "acc_1", playbook: "watch", closed_at: daysAgo(1) },
        { account: "acc_2", playbook: "at_risk", closed_at: daysAgo(1) },
      ],
    };
    expect(summary(run([scored(50), scored(68, { account: "acc_2" })], state))).toEqual([
      "open acc_1 at_risk",
      "open acc_2 watch",
    ]);
  });

  it("a playbook without a cooldown reopens at once", () => {
    const pbs = playbooks({ playbooks: [pb({ key: "x" })] });
    const state = {
      open: [],
      lastClosed: [{ account: "acc_1", playbook: "x", closed_at: NOW.toISOString() }],
    };
    expect(summary(run(scored(68), state, NOW, pbs))).toEqual(["open acc_1 x"]);
  });
});

describe("decide: clearing, snooze and repeat occurrences", () => {
  it("an open play whose condition cleared says so once", () => {
    const state = { open: [openPlay("watch", 2)], lastClosed: [] };
    const ds = run(scored(90), state);
    expect(ds).toEqual([{ kind: "cleared", play_id: "p_watch", reason: "cleared: band is healthy" }]);
    expect(run(scored(90), apply(state, ds))).toEqual([]);
  });

  it("cleared, then firing again → one more occurrence on the same play", () => {
    let state: State = { open: [openPlay("watch", 2)], lastClosed: [] };
    state = apply(state, run(scored(80), state));
    expect(state.open[0]?.condition_cleared_at).not.toBeNull();
    const ds = run(scored(66), state);
    expect(ds).toEqual([
      {
        kind: "recurred",
        play_id: "p_watch",
        reason: "watch: score 66, between 60 and 75",
        trigger_values: { band: "watch", score: 66 },
      },
    ]);
    expect(opened(ds)).toEqual([]);
  });

  it("a snoozed play that clears says so, and firing again gets no occurrence", () => {
    let state: State = { open: [openPlay("watch", 2, { state: "snoozed" })], lastClosed: [] };
    const cleared = run(scored(80), state);
    expect(summary(cleared)).toEqual(["cleared p_watch"]);
    state = apply(state, cleared);
    expect(run(scored(66), state)).toEqual([]);
    // once unsnoozed, it does
    const awake = { ...state, open: state.open.map((p) => ({ ...p, state: "in_progress" as const })) };
    expect(summary(run(scored(66), awake))).toEqual(["recurred p_watch"]);
  });

  it("a snoozed play that still holds decides nothing", () => {
    expect(run(scored(66), { open: [openPlay("watch", 2, { state: "snoozed" })], lastClosed: [] })).toEqual(
      [],
    );
  });
});

describe("decide: audience and disabled playbooks", () => {
  const enterprise = (over: Partial<Playbook> = {}) =>
    playbooks({ playbooks: [pb({ key: "ent", audience: { segments: ["enterprise"] }, ...over })] });

  it("opens only in the audience", () => {
    const ds = run([scored(68), scored(68, { account: "acc_2", segment: "smb" })], EMPTY, NOW, enterprise());
    expect(summary(ds)).toEqual(["open acc_1 ent"]);
  });

  it("an account leaving the audience clears its play, once", () => {
    const state = { open: [openPlay("ent", 0)], lastClosed: [] };
    const ds = run(scored(68, { segment: "smb" }), state, NOW, enterprise());
    expect(ds).toEqual([
      { kind: "cleared", play_id: "p_ent", reason: "cleared: no longer in the playbook's audience" },
    ]);
    expect(run(scored(68, { segment: "smb" }), apply(state, ds), NOW, enterprise())).toEqual([]);
  });

  it("a disabled playbook opens nothing and clears its open plays", () => {
    const pbs = enterprise({ enabled: false });
    expect(run(scored(68, { account: "acc_2" }), EMPTY, NOW, pbs)).toEqual([]);
    expect(run(scored(68), { open: [openPlay("ent", 0)], lastClosed: [] }, NOW, pbs)).toEqual([
      { kind: "cleared", play_id: "p_ent", reason: "cleared: playbook disabled" },
    ]);
  });

  it("a cleared play does not recur while the account is outside the audience", () => {
    const state = { open: [openPlay("ent", 0, { condition_cleared_at: daysAgo(1) })], lastClosed: [] };
    expect(run(scored(68, { segment: "smb" }), state, NOW, enterprise())).toEqual([]);
  });
});
