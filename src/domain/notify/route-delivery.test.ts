import { describe, expect, it } from "vitest";
import { context, event, hoursAgo, NOW, prefs, sub, who } from "./route.fixture.js";
import { routeEvents } from "./route.js";
import type { EventFacts } from "./types.js";

describe("routeEvents: immediate or digest", () => {
  const decide = (e: EventFacts, mode: "default" | "immediate" | "digest") => {
    const a = routeEvents([e], context({}, [prefs("csm", { mode })])).alerts[0];
    return [a?.severity, a?.delivery, a?.delivery_reason];
  };
  const watchPlay = event("play.opened", { play: { band: "watch" } });
  const cases: [string, EventFacts, "default" | "immediate" | "digest", unknown[]][] = [
    ["critical play, default: at once", event("play.opened"), "default", ["critical", "immediate", null]],
    [
      "at-risk play, default: at once",
      event("play.opened", { play: { band: "at_risk" } }),
      "default",
      ["at_risk", "immediate", null],
    ],
    ["watch play, default: digest", watchPlay, "default", ["watch", "digest", "severity"]],
    [
      "healthy band change, default: digest",
      event("account.band_changed", { detail: { band_before: "watch", band_after: "healthy" } }),
      "default",
      ["healthy", "digest", "severity"],
    ],
    ["closed play, default: digest", event("play.closed"), "default", ["info", "digest", "severity"]],
    [
      "watch escalation, default: at once",
      event("play.escalated", { play: { band: "watch" }, detail: { to_user: "csm" } }),
      "default",
      ["watch", "immediate", null],
    ],
    [
      "watch play overdue, default: at once",
      event("play.overdue", { play: { band: "watch" } }),
      "default",
      ["watch", "immediate", null],
    ],
    ["churn flag, default: at once", event("account.flagged"), "default", ["at_risk", "immediate", null]],
    ["watch play, immediate mode: at once", watchPlay, "immediate", ["watch", "immediate", null]],
    ["closed play, immediate mode: at once", event("play.closed"), "immediate", ["info", "immediate", null]],
    ["critical play, digest mode: digest", event("play.opened"), "digest", ["critical", "digest", "mode"]],
    ["churn flag, digest mode: digest", event("account.flagged"), "digest", ["at_risk", "digest", "mode"]],
  ];
  it.each(cases)("%s", (_name, e, mode, expected) => {
    expect(decide(e, mode)).toEqual(expected);
  });

  it("follows the default rule for channels", () => {
    const ctx = context({ subscriptions: [sub({ channel: "ch_alerts" })] }, [
      prefs("csm", { mode: "digest" }),
    ]);
    const r = routeEvents(
      [event("play.opened"), event("play.opened", { subject: "ply_2", play: { band: "watch" } })],
      ctx,
    );
    expect(r.alerts.map((a) => [who({ ...r, alerts: [a] })[0], a.delivery, a.delivery_reason])).toEqual([
      ["csm", "digest", "mode"],
      ["#ch_alerts", "immediate", null],
      ["csm", "digest", "mode"],
      ["#ch_alerts", "digest", "severity"],
    ]);
  });
});

describe("routeEvents: the budget", () => {
  const critical = (n: number) =>
    event("play.opened", { id: 100 + n, subject: `ply_${n}`, play_id: `ply_${n}` });

  it("folds the 21st immediate alert of the day into the digest", () => {
    const sent = Array.from({ length: 20 }, (_, i) => hoursAgo(i * 0.25)); // since 05:00 local, all today
    const r = routeEvents([critical(21)], context({ immediateSent: new Map([["user:csm", sent]]) }));
    expect(r.alerts.map((a) => [a.delivery, a.delivery_reason])).toEqual([["digest", "budget"]]);
    expect(r.messages).toEqual([]);
  });

  it("counts what this batch decided as well", () => {
    const sent = Array.from({ length: 18 }, () => hoursAgo(1));
    const r = routeEvents(
      [1, 2, 3, 4].map(critical),
      context({ immediateSent: new Map([["user:csm", sent]]) }),
    );
    expect(r.alerts.map((a) => a.delivery_reason)).toEqual([null, null, "budget", "budget"]);
    expect(r.messages.map((m) => m.dedupe_key)).toEqual([
      "user:csm|ply_1|play.opened",
      "user:csm|ply_2|play.opened",
    ]);
  });

  it("counts the recipient's own local day, not the last 24 hours", () => {
    // NOW is 10:00 in New York: alerts from 11 hours ago were yesterday there
    const sent = Array.from({ length: 20 }, () => hoursAgo(11));
    expect(
      routeEvents([critical(1)], context({ immediateSent: new Map([["user:csm", sent]]) })).alerts[0]
        ?.delivery,
    ).toBe("immediate");
    // … and NOW is 00:00 on the 16th in Tokyo: an hour ago was the 15th
    const tokyo = [prefs("csm", { time_zone: "Asia/Tokyo", budget_per_day: 1 })];
    const one = new Map([["user:csm", [hoursAgo(1)]]]);
    expect(routeEvents([critical(1)], context({ immediateSent: one }, tokyo)).alerts[0]?.delivery).toBe(
      "immediate",
    );
    const justNow = new Map([["user:csm", [NOW]]]);
    expect(
      routeEvents([critical(1)], context({ immediateSent: justNow }, tokyo)).alerts[0]?.delivery_reason,
    ).toBe("budget");
  });

  it("takes the user's own budget over the team's, and keeps recipients' budgets apart", () => {
    const ctx = context({ subscriptions: [sub({ user: "vp" })] }, [prefs("csm", { budget_per_day: 2 })]);
    const r = routeEvents([1, 2, 3].map(critical), ctx);
    expect(r.alerts.map((a) => `${who({ ...r, alerts: [a] })[0]} ${a.delivery}`)).toEqual([
      "csm immediate",
      "vp immediate",
      "csm immediate",
      "vp immediate",
      "csm digest",
      "vp immediate",
    ]);
  });

  it("does not spend the budget on digest alerts", () => {
    const watch = (n: number) => event("play.opened", { subject: `w_${n}`, play: { band: "watch" } });
    const ctx = context({}, [prefs("csm", { budget_per_day: 1 })]);
    const r = routeEvents([watch(1), watch(2), critical(1)], ctx);
    expect(r.alerts.map((a) => a.delivery)).toEqual(["digest", "digest", "immediate"]);
  });
});

describe("routeEvents: messages", () => {
  it("emails and posts to Slack for an immediate alert, as the user chose", () => {
    const ctx = context({}, [prefs("csm", { slack: true })]);
    expect(routeEvents([event("play.opened")], ctx).messages).toEqual([
      {
        dedupe_key: "user:csm|ply_1|play.opened",
        channel: "email",
        recipient: { kind: "user", user: "csm" },
        not_before: NOW,
      },
      {
        dedupe_key: "user:csm|ply_1|play.opened",
        channel: "slack",
        recipient: { kind: "user", user: "csm" },
        not_before: NOW,
      },
    ]);
  });

  it("sends no email when the user turned it off or SMTP is not set up; in-app only", () => {
    const off = routeEvents([event("play.opened")], context({}, [prefs("csm", { email: false })]));
    expect([off.alerts.length, off.messages]).toEqual([1, []]);
    const noSmtp = context({ settings: { budget_per_day: 20, digest_hour: 8, email_enabled: false } });
    const r = routeEvents([event("play.opened")], noSmtp);
    expect([r.alerts.length, r.messages]).toEqual([1, []]);
  });

  it("posts to a subscribed channel", () => {
    const r = routeEvents(
      [event("play.opened")],
      context({ subscriptions: [sub({ channel: "ch_alerts" })] }),
    );
    expect(r.messages.filter((m) => m.recipient.kind === "channel")).toEqual([
      {
        dedupe_key: "channel:ch_alerts|ply_1|play.opened",
        channel: "slack",
        recipient: { kind: "channel", channel: "ch_alerts" },
        not_before: NOW,
      },
    ]);
  });

  it("holds email until quiet hours end, but makes the alert now", () => {
    // 02:00 in New York; quiet 22:00–07:00 → 07:00 EST is 12:00 UTC
    const night = new Date("2026-01-15T07:00:00Z");
    const ctx = context({ now: night, subscriptions: [sub({ channel: "ch_alerts" })] }, [
      prefs("csm", { slack: true, quiet: { start: 22 * 60, end: 7 * 60 } }),
    ]);
    const r = routeEvents([event("play.opened")], ctx);
    expect(r.alerts.map((a) => a.delivery)).toEqual(["immediate", "immediate"]);
    expect(r.messages.map((m) => [m.channel, m.recipient.kind, m.not_before.toISOString()])).toEqual([
      ["email", "user", "2026-01-15T12:00:00.000Z"],
      ["slack", "user", "2026-01-15T12:00:00.000Z"],
      ["slack", "channel", "2026-01-15T07:00:00.000Z"],
    ]);
    // the same user in London is past 07:00 there
    const london = context({ now: night }, [
      prefs("csm", { time_zone: "Europe/London", quiet: { start: 1320, end: 420 } }),
    ]);
    expect(routeEvents([event("play.opened")], london).messages[0]?.not_before).toEqual(night);
  });

  it("reads an unknown time zone as UTC rather than failing the batch", () => {
    const ctx = context({}, [prefs("csm", { time_zone: "Mars/Olympus_Mons", quiet: { start: 0, end: 60 } })]);
    const r = routeEvents([event("play.opened")], context({ ...ctx, now: new Date("2026-01-15T00:30:00Z") }));
    expect(r.messages[0]?.not_before.toISOString()).toBe("2026-01-15T01:00:00.000Z");
  });

  it("words an escalation for the one it went to, and neutrally for the rest", () => {
    const e = event("play.escalated", { detail: { to_user: "vp", level: 2, via: "owner_manager" } });
    const r = routeEvents(
      [e],
      context({ subscriptions: [sub({ channel: "ch_alerts" })], endpoints: [{ id: "ep", event_types: [] }] }),
    );
    expect(r.alerts.map((a) => a.content.title)).toEqual([
      "Escalated to you: Acme Corp — Executive sponsor call",
      "Escalated (level 2): Acme Corp — Executive sponsor call",
    ]);
    expect(r.webhooks[0]?.content.title).toBe("Escalated (level 2): Acme Corp — Executive sponsor call");
  });
});

describe("routeEvents: webhooks", () => {
  const endpoints = [
    { id: "ep_all", event_types: [] },
    { id: "ep_plays", event_types: ["play.opened", "play.closed"] },
    { id: "ep_flags", event_types: ["account.flagged"] },
  ];

  it("sends every event to each endpoint whose filter takes it", () => {
    const r = routeEvents(
      [
        event("play.opened", { id: 1 }),
        event("account.flagged", { id: 2 }),
        event("play.overdue", { id: 3 }),
      ],
      context({ endpoints }),
    );
    expect(r.webhooks.map((w) => `${w.event_id} ${w.endpoint}`)).toEqual([
      "1 ep_all",
      "1 ep_plays",
      "2 ep_all",
      "2 ep_flags",
      "3 ep_all",
    ]);
    expect(r.webhooks[0]?.content).toMatchObject({ event_type: "play.opened", account: { id: "acc_1" } });
  });

  it("whoever is told, and even when the alert is only bumped", () => {
    const ctx = context({ endpoints, existing: new Set(["user:csm|ply_1|play.opened"]) });
    const r = routeEvents([event("play.opened", { id: 5, play: { owner_user: "csm" } })], ctx);
    expect([r.alerts.length, r.bumps.length, r.webhooks.map((w) => w.endpoint)]).toEqual([
      0,
      1,
      ["ep_all", "ep_plays"],
    ]);
    const nobody = routeEvents(
      [event("account.flagged", { account_owner_user: null })],
      context({ endpoints }),
    );
    expect([nobody.alerts.length, nobody.webhooks.length]).toEqual([0, 2]);
  });
});
