import { describe, expect, it } from "vitest";
import {
  apply,
  critical,
  daysAgo,
  EMPTY,
  facts,
  H,
  later,
  NOW,
  opened,
  openPlay,
  pb,
  playbooks,
  run,
  type State,
  scored,
  summary,
} from "./decide.fixture.js";
import type { OpenPlay } from "./decide.js";
import { DAY_MS } from "./durations.js";
import type { AccountFacts } from "./facts.js";

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
