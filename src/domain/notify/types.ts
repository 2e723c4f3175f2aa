/**
 * Alerts as data: what the router reads about each event, whom it tells, and
 * what it decides. Pure types; no IO. The router (src/notify/route.ts) reads
 * these from the store, `routeEvents` (route.ts here) decides, the router writes.
 */

export const EVENT_TYPES = [
  "play.opened",
  "play.escalated",
  "play.overdue",
  "play.closed",
  "account.band_changed",
  "account.score_dropped",
  "account.flagged",
  "signal.detected",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Sent only to the one endpoint being tested (POST /api/v1/webhooks/:id/test). */
export const TEST_EVENT = "webhook.test";

/** How urgent an alert is: a band, or `info` (a play closed). */
export type Severity = "critical" | "at_risk" | "watch" | "healthy" | "info";

/** What every message about an event says, whatever the channel. */
export type AlertContent = {
  event_type: string;
  /** One line: "Critical play opened: Acme Corp". */
  title: string;
  account: { id: string; name: string; segment: string | null; arr: number | null };
  band: string | null;
  score: number | null;
  /** Score change over about the last 30 days, in points (null when unknown). */
  trend: number | null;
  churn_probability: number | null;
  /** Why: the play's reason, the band move, the drop. */
  reason: string;
  /** What is due and by when (a play's due time and name); null for account events. */
  due_at: string | null;
  due_what: string | null;
  play: { id: string; name: string; owner: string | null; tier: number } | null;
  /** Absolute link to the account's page in the dashboard. */
  link: string;
  occurred_at: string;
};

/** An event as the router read it: the row, plus what it knows of the account and the play. */
export type EventFacts = {
  id: number;
  type: string;
  at: Date;
  account: string;
  play_id: string | null;
  subject: string;
  detail: Record<string, unknown>;
  account_name: string;
  account_segment: string | null;
  account_arr: number | null;
  /** The account's current band and score (when the router ran). */
  band: string | null;
  score: number | null;
  trend: number | null;
  churn_probability: number | null;
  /** The account's owner as a user (null when the CRM owner resolves to nobody). */
  account_owner_user: string | null;
  play: {
    name: string;
    tier: number;
    reason: string;
    owner_user: string | null;
    owner_name: string | null;
    collaborators: string[];
    /** The band when the play opened (its baseline): what makes a play critical. */
    band: string | null;
    due_at: string;
    arm: "treated" | "holdout";
  } | null;
};

export type Recipient = { kind: "user"; user: string } | { kind: "channel"; channel: string };

export type QuietHours = { start: number; end: number };

/** A user as the router sees them, with their preferences (defaults filled in). */
export type UserPrefs = {
  user: string;
  active: boolean;
  email_address: string;
  time_zone: string;
  email: boolean;
  /** Slack on and a webhook URL set. */
  slack: boolean;
  mode: "default" | "immediate" | "digest";
  /** Local hour (0–23) of the daily digest; null: the team's default. */
  digest_hour: number | null;
  /** Minutes after local midnight; null: no quiet hours. */
  quiet: QuietHours | null;
  /** null: the team's budget. */
  budget_per_day: number | null;
};

export type SubscriptionRule = {
  id: string;
  user: string | null;
  channel: string | null;
  scope: "account" | "segment" | "band" | "event";
  value: string;
  /** Empty: every event type. */
  event_types: string[];
};

export type EndpointRule = { id: string; event_types: string[] };

export type TeamNotifySettings = {
  /** Immediate alerts per recipient per local day; past it, alerts fold into the next digest. */
  budget_per_day: number;
  /** Local hour of the digest for those who set none (channels: UTC). */
  digest_hour: number;
  /** Whether email can be sent at all (SMTP set up). */
  email_enabled: boolean;
};

export type RouteContext = {
  users: ReadonlyMap<string, UserPrefs>;
  /** Enabled Slack channels. */
  channels: ReadonlySet<string>;
  subscriptions: readonly SubscriptionRule[];
  /** Enabled webhook endpoints. */
  endpoints: readonly EndpointRule[];
  /** Dedupe keys of alerts already in the store. */
  existing: ReadonlySet<string>;
  /** Times of immediate alerts already made per recipient key (the last 48 hours), for the budget. */
  immediateSent: ReadonlyMap<string, readonly Date[]>;
  settings: TeamNotifySettings;
  /** For links: the dashboard's address, no trailing slash. */
  publicUrl: string;
  now: Date;
};

export type NewAlert = {
  dedupe_key: string;
  recipient: Recipient;
  event_id: number;
  event_type: string;
  subject: string;
  account: string;
  play_id: string | null;
  severity: Severity;
  delivery: "immediate" | "digest";
  /** Why it waits for the digest: "mode", "severity", "budget"; null when immediate. */
  delivery_reason: string | null;
  content: AlertContent;
};

/** A message to send for an immediate alert: one per channel the recipient uses. */
export type NewMessage = {
  dedupe_key: string;
  channel: "email" | "slack";
  recipient: Recipient;
  /** Not before this time (the end of the recipient's quiet hours), else now. */
  not_before: Date;
};

export type RouteResult = {
  alerts: NewAlert[];
  /** Alerts that exist already (in the store or earlier in the batch): a re-fire adds an occurrence. */
  bumps: { dedupe_key: string; event_id: number }[];
  messages: NewMessage[];
  webhooks: { endpoint: string; event_id: number; content: AlertContent }[];
};
