/**
 * What the alert and delivery routes answer (the shared brief's HTTP contract
 * for issue 19): the in-app notifications, a person's preferences and
 * subscriptions, the team's notification settings, webhook endpoints and
 * deliveries. Secrets never come back: only `password_set`, `url_set`, and a
 * webhook secret once, when it is made or rotated.
 */
import type { AlertContent, EventType } from "../../../src/domain/notify/types.js";
import type { SmtpSettings as ServerSmtp } from "../../../src/notify/channels/types.js";

export { EVENT_TYPES } from "../../../src/domain/notify/types.js";
export type { AlertContent, EventType };

/** GET /api/v1/notifications: one in-app notification (an alert for the signed-in person). */
export type Notification = {
  id: string;
  event_type: string;
  severity: string;
  title: string;
  account: { id: string; name: string };
  play_id: string | null;
  occurrences: number;
  delivery: "immediate" | "digest";
  created_at: string;
  updated_at: string;
  read_at: string | null;
  link: string;
  content: AlertContent;
};

export type NotificationList = { items: Notification[]; unread: number; next_cursor: string | null };
export type Unread = { unread: number };
/** POST /api/v1/notifications/read. */
export type Marked = { marked: number; unread: number };

export type DeliveryMode = "default" | "immediate" | "digest";
export type QuietHours = { start: string; end: string };

/** GET /api/v1/me/notifications: the signed-in person's own preferences. */
export type MyPrefs = {
  email: boolean;
  slack: boolean;
  slack_url_set: boolean;
  mode: DeliveryMode;
  digest_hour: number | null;
  quiet_hours: QuietHours | null;
  budget_per_day: number | null;
  time_zone: string;
};

/** PUT /api/v1/me/notifications: `slack_webhook_url` absent keeps the stored one, null clears it. */
export type MyPrefsInput = Omit<MyPrefs, "slack_url_set"> & { slack_webhook_url?: string | null };

export type SubscriptionScope = "account" | "segment" | "band" | "event";
export type Subscription = {
  id: string;
  scope: SubscriptionScope;
  value: string;
  event_types: string[];
  channel: { id: string; name: string } | null;
};

export type SmtpSecurity = ServerSmtp["security"];
export type SmtpSettings = {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  from: string;
  password_set: boolean;
};
export type SlackChannel = { id: string; name: string; url_set: boolean; disabled: boolean };

/** GET /api/v1/notifications/settings (admins). */
export type NotifySettings = {
  smtp: SmtpSettings | null;
  smtp_source: "settings" | "environment" | null;
  slack_channels: SlackChannel[];
  budget_per_day: number;
  digest_hour: number;
  score_drop_points: number;
  public_url_hint: string | null;
};

/** PUT /api/v1/notifications/settings: the password and webhook URLs are write-only. */
export type NotifySettingsInput = {
  smtp:
    | (Omit<SmtpSettings, "password_set" | "port"> & { port: number | string; password?: string | null })
    | null;
  slack_channels: { id?: string; name: string; webhook_url?: string }[];
  budget_per_day: number | string;
  digest_hour: number | string;
  score_drop_points: number | string;
};

export type TestEmail = {
  delivery_id: string;
  state: DeliveryState;
  status: number | null;
  error: string | null;
};

export type Webhook = {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  source: "admin" | "rest_hook";
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  deliveries: { delivered: number; pending: number; dead: number };
};
/** POST /api/v1/webhooks: the secret, shown this once. */
export type WebhookCreated = { id: string; url: string; event_types: string[]; secret: string };
export type SecretRotated = { id: string; secret: string };

export const DELIVERY_STATES = ["pending", "sending", "delivered", "dead", "uncertain", "cancelled"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** GET /api/v1/deliveries: an outgoing email, Slack post or webhook call. */
export type Delivery = {
  id: string;
  channel: "email" | "slack" | "webhook";
  event_type: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  last_response: string | null;
  created_at: string;
  delivered_at: string | null;
  dead_at: string | null;
  alert_id: string | null;
  endpoint_id: string | null;
};
export type DeliveriesPage = { items: Delivery[]; next_cursor: string | null };

export type DeliveryAttempt = {
  n: number;
  started_at: string;
  finished_at: string | null;
  status: number | null;
  error: string | null;
  response: string | null;
  latency_ms: number | null;
};
/** GET /api/v1/deliveries/:id: with its attempts and what was sent (never a secret). */
export type DeliveryDetail = Delivery & { attempts: DeliveryAttempt[]; body: unknown };

/** Event types for people. */
export const EVENT_LABEL: Record<string, string> = {
  "play.opened": "Play opened",
  "play.escalated": "Play escalated",
  "play.overdue": "Play overdue",
  "play.closed": "Play closed",
  "account.band_changed": "Band changed",
  "account.score_dropped": "Score dropped",
  "account.flagged": "Flagged by the churn model",
  "signal.detected": "Signal detected",
  "webhook.test": "Test event",
} satisfies Record<EventType | "webhook.test", string>;

export function eventLabel(type: string): string {
  return EVENT_LABEL[type] ?? type;
}
