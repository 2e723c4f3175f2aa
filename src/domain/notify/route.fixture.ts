import type { EventFacts, RouteContext, RouteResult, SubscriptionRule, UserPrefs } from "./types.js";

/** What the routing tests share: a fixed now, an account, a play, the team's users. */
export const NOW = new Date("2026-01-15T15:00:00Z"); // 10:00 in New York, 00:00 on the 16th in Tokyo
export const URL = "https://keepwell.example";

type EventOver = Partial<Omit<EventFacts, "play">> & {
  play?: Partial<NonNullable<EventFacts["play"]>> | null;
};

let nextId = 1;

export function event(type: string, over: EventOver = {}): EventFacts {
  const { play: playOver, ...rest } = over;
  const isPlay = type.startsWith("play.");
  const play =
    playOver === null || (!isPlay && playOver === undefined)
      ? null
      : {
          name: "Executive sponsor call",
          tier: 1,
          reason: "critical: the champion left",
          owner_user: "csm",
          owner_name: "Casey Smith",
          collaborators: ["lead"],
          band: "critical",
          due_at: "2026-01-16T15:00:00.000Z",
          arm: "treated" as const,
          ...playOver,
        };
  return {
    id: nextId++,
    type,
    at: NOW,
    account: "acc_1",
    play_id: isPlay ? "ply_1" : null,
    subject: isPlay ? "ply_1" : "acc_1",
    detail: {},
    account_name: "Acme Corp",
    account_segment: "enterprise",
    account_arr: 120_000,
    band: "at_risk",
    score: 48,
    trend: -12,
    churn_probability: 0.64,
    account_owner_user: "csm",
    play,
    ...rest,
  };
}

export function prefs(user: string, over: Partial<UserPrefs> = {}): UserPrefs {
  return {
    user,
    active: true,
    email_address: `${user}@example.com`,
    time_zone: "America/New_York",
    email: true,
    slack: false,
    mode: "default",
    digest_hour: null,
    quiet: null,
    budget_per_day: null,
    ...over,
  };
}

export function context(over: Partial<RouteContext> = {}, users: UserPrefs[] = []): RouteContext {
  const all = [prefs("csm"), prefs("lead"), prefs("vp"), prefs("exec"), ...users];
  return {
    users: new Map(all.map((u) => [u.user, u])),
    channels: new Set(["ch_alerts"]),
    subscriptions: [],
    endpoints: [],
    existing: new Set(),
    immediateSent: new Map(),
    settings: { budget_per_day: 20, digest_hour: 8, email_enabled: true },
    publicUrl: URL,
    now: NOW,
    ...over,
  };
}

/** Who the alerts went to: a user's id, a channel as "#id". */
export const who = (r: RouteResult) =>
  r.alerts.map((a) => (a.recipient.kind === "user" ? a.recipient.user : `#${a.recipient.channel}`));
export const sub = (over: Partial<SubscriptionRule>): SubscriptionRule => ({
  id: "sub",
  user: null,
  channel: null,
  scope: "account",
  value: "acc_1",
  event_types: [],
  ...over,
});
export const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
