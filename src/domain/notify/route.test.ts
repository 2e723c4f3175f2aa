import { describe, expect, it } from "vitest";
import { context, event, prefs, sub, who } from "./route.fixture.js";
import { dedupeKey, routeEvents } from "./route.js";
import type { EventFacts, SubscriptionRule } from "./types.js";

describe("routeEvents: held-out plays", () => {
  it("announce nothing at all", () => {
    const ctx = context({
      endpoints: [{ id: "ep_all", event_types: [] }],
      subscriptions: [
        sub({ channel: "ch_alerts" }),
        sub({ user: "vp", scope: "event", value: "play.opened" }),
      ],
    });
    for (const type of ["play.opened", "play.escalated", "play.overdue", "play.closed"]) {
      const e = event(type, { play: { arm: "holdout" }, detail: { to_user: "vp" } });
      expect(routeEvents([e], ctx)).toEqual({ alerts: [], bumps: [], messages: [], webhooks: [] });
    }
    // the same play treated does
    const treated = routeEvents([event("play.opened")], ctx);
    expect([who(treated), treated.webhooks.length]).toEqual([["csm", "#ch_alerts", "vp"], 1]);
  });

  it("ignores the webhook test event (it goes to the one endpoint tested, not here)", () => {
    const r = routeEvents([event("webhook.test")], context({ endpoints: [{ id: "ep", event_types: [] }] }));
    expect(r).toEqual({ alerts: [], bumps: [], messages: [], webhooks: [] });
  });
});

describe("routeEvents: who is told", () => {
  const cases: [string, EventFacts, string[]][] = [
    ["play.opened: the owner", event("play.opened"), ["csm"]],
    [
      "play.opened without play facts: the history line's owner",
      event("play.opened", { play: null, detail: { owner_user: "lead" } }),
      ["lead"],
    ],
    [
      "play.escalated: whom it went to",
      event("play.escalated", { detail: { to_user: "vp", level: 2 } }),
      ["vp"],
    ],
    ["play.escalated to nobody", event("play.escalated", { detail: { to_user: null } }), []],
    [
      "play.overdue: owner and collaborators",
      event("play.overdue", { play: { collaborators: ["lead", "vp"] } }),
      ["csm", "lead", "vp"],
    ],
    [
      "play.closed: not whoever closed it",
      event("play.closed", { detail: { closed_by_user: "csm" } }),
      ["lead"],
    ],
    [
      "play.closed by the system: everyone",
      event("play.closed", { detail: { closed_by_user: null } }),
      ["csm", "lead"],
    ],
    [
      "account.band_changed: the account owner",
      event("account.band_changed", { account_owner_user: "lead" }),
      ["lead"],
    ],
    ["account.score_dropped", event("account.score_dropped"), ["csm"]],
    ["account.flagged", event("account.flagged"), ["csm"]],
    ["signal.detected", event("signal.detected"), ["csm"]],
    ["an account with no owner", event("account.flagged", { account_owner_user: null }), []],
    ["an owner who is not a user", event("play.opened", { play: { owner_user: "ghost" } }), []],
    ["an inactive owner", event("play.overdue", { play: { owner_user: "gone" } }), ["lead"]],
    [
      "once each, though listed twice",
      event("play.overdue", { play: { collaborators: ["csm", "lead", "lead"] } }),
      ["csm", "lead"],
    ],
  ];
  it.each(cases)("%s", (_name, e, expected) => {
    expect(who(routeEvents([e], context({}, [prefs("gone", { active: false })])))).toEqual(expected);
  });
});

describe("routeEvents: subscriptions", () => {
  const band = (b: string | null) => event("account.score_dropped", { band: b });
  const cases: [string, SubscriptionRule, EventFacts, boolean][] = [
    ["account: this one", sub({ scope: "account", value: "acc_1" }), event("play.opened"), true],
    ["account: another", sub({ scope: "account", value: "acc_2" }), event("play.opened"), false],
    ["segment: this one", sub({ scope: "segment", value: "enterprise" }), event("account.flagged"), true],
    ["segment: another", sub({ scope: "segment", value: "smb" }), event("account.flagged"), false],
    [
      "segment: an account with none",
      sub({ scope: "segment", value: "" }),
      event("account.flagged", { account_segment: null }),
      false,
    ],
    ["band: the account's current band", sub({ scope: "band", value: "at_risk" }), band("at_risk"), true],
    ["band: not the current band", sub({ scope: "band", value: "critical" }), band("at_risk"), false],
    [
      "band: a band change matches its new band",
      sub({ scope: "band", value: "critical" }),
      event("account.band_changed", {
        band: "at_risk",
        detail: { band_before: "at_risk", band_after: "critical" },
      }),
      true,
    ],
    [
      "band: … not its old one",
      sub({ scope: "band", value: "at_risk" }),
      event("account.band_changed", {
        band: "at_risk",
        detail: { band_before: "at_risk", band_after: "critical" },
      }),
      false,
    ],
    ["event: this type", sub({ scope: "event", value: "account.flagged" }), event("account.flagged"), true],
    ["event: another type", sub({ scope: "event", value: "play.opened" }), event("account.flagged"), false],
    [
      "event types filter: listed",
      sub({ event_types: ["play.opened", "play.overdue"] }),
      event("play.overdue"),
      true,
    ],
    ["event types filter: not listed", sub({ event_types: ["play.opened"] }), event("play.overdue"), false],
  ];
  it.each(cases)("%s", (_name, s, e, told) => {
    for (const r of [{ user: "exec" }, { channel: "ch_alerts" }] as { user?: string; channel?: string }[]) {
      const got = who(routeEvents([e], context({ subscriptions: [{ ...s, ...r }] })));
      const name = r.user ?? `#${r.channel}`;
      expect(got.includes(name)).toBe(told);
    }
  });

  it("skips a disabled channel, an inactive or unknown user, and tells a subscribing owner once", () => {
    const ctx = context(
      {
        subscriptions: [
          sub({ channel: "ch_disabled" }),
          sub({ user: "gone" }),
          sub({ user: "ghost" }),
          sub({ user: "csm", scope: "segment", value: "enterprise" }),
          sub({ user: "vp" }),
          sub({ user: "vp", scope: "event", value: "play.opened" }),
        ],
      },
      [prefs("gone", { active: false })],
    );
    expect(who(routeEvents([event("play.opened")], ctx))).toEqual(["csm", "vp"]);
  });

  it("does not tell the closer of a play through a subscription either", () => {
    const ctx = context({ subscriptions: [sub({ user: "csm" }), sub({ user: "vp" })] });
    expect(who(routeEvents([event("play.closed", { detail: { closed_by_user: "csm" } })], ctx))).toEqual([
      "lead",
      "vp",
    ]);
  });
});

describe("routeEvents: dedupe", () => {
  it("keys a play's alerts on the play, an account's on the UTC day too", () => {
    expect(dedupeKey({ kind: "user", user: "csm" }, event("play.opened"))).toBe("user:csm|ply_1|play.opened");
    expect(
      dedupeKey(
        { kind: "channel", channel: "ch_alerts" },
        event("account.flagged", { at: new Date("2026-01-15T23:59:00Z") }),
      ),
    ).toBe("channel:ch_alerts|acc_1|account.flagged|2026-01-15");
  });

  it("bumps a re-fire in the same batch instead of a second alert or message", () => {
    const r = routeEvents([event("play.opened", { id: 1 }), event("play.opened", { id: 2 })], context());
    expect(r.alerts.map((a) => [a.dedupe_key, a.event_id])).toEqual([["user:csm|ply_1|play.opened", 1]]);
    expect(r.bumps).toEqual([{ dedupe_key: "user:csm|ply_1|play.opened", event_id: 2 }]);
    expect(r.messages).toHaveLength(1);
  });

  it("bumps an alert already in the store", () => {
    const r = routeEvents(
      [event("play.opened", { id: 7 })],
      context({ existing: new Set(["user:csm|ply_1|play.opened"]) }),
    );
    expect([r.alerts, r.messages, r.bumps]).toEqual([
      [],
      [],
      [{ dedupe_key: "user:csm|ply_1|play.opened", event_id: 7 }],
    ]);
  });

  it("makes a new account alert on a new UTC day, a bump on the same one", () => {
    const r = routeEvents(
      [
        event("account.flagged", { id: 1, at: new Date("2026-01-14T23:00:00Z") }),
        event("account.flagged", { id: 2, at: new Date("2026-01-15T01:00:00Z") }),
        event("account.flagged", { id: 3, at: new Date("2026-01-15T14:00:00Z") }),
      ],
      context(),
    );
    expect(r.alerts.map((a) => a.event_id)).toEqual([1, 2]);
    expect(r.bumps.map((b) => b.event_id)).toEqual([3]);
  });

  it("keeps alerts for other recipients and types apart", () => {
    const r = routeEvents(
      [event("play.opened"), event("play.overdue"), event("play.escalated", { detail: { to_user: "csm" } })],
      context({ subscriptions: [sub({ channel: "ch_alerts" })] }),
    );
    expect(r.alerts).toHaveLength(2 + 3 + 2);
    expect(r.bumps).toEqual([]);
  });
});
