import { describe, expect, it } from "vitest";
import {
  apply,
  daysAgo,
  EMPTY,
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
import type { Playbook } from "./schema.js";

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
