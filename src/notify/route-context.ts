import type { EndpointRule, RouteContext, SubscriptionRule, UserPrefs } from "../domain/notify/index.js";
import type { Queryable } from "../store/index.js";
import type { NotifyDeps } from "./deps.js";

/** What routing knows besides the events: the users and their preferences, channels, subscriptions, endpoints, budgets. */

type UserRow = {
  user: string;
  name: string;
  active: boolean;
  email_address: string;
  time_zone: string;
  email: boolean;
  slack: boolean;
  mode: UserPrefs["mode"];
  digest_hour: number | null;
  quiet_start: number | null;
  quiet_end: number | null;
  budget_per_day: number | null;
};

async function loadUsers(
  tx: Queryable,
): Promise<{ prefs: Map<string, UserPrefs>; names: Map<string, string> }> {
  const rows = await tx.query<UserRow>(
    `SELECT u.id AS user, u.name, u.active, u.email AS email_address, u.time_zone,
            coalesce(p.email, true) AS email, (coalesce(p.slack, false) AND p.slack_url_sealed IS NOT NULL) AS slack,
            coalesce(p.mode, 'default') AS mode, p.digest_hour, p.quiet_start, p.quiet_end, p.budget_per_day
     FROM users u LEFT JOIN notification_prefs p ON p.user_id = u.id`,
  );
  const prefs = new Map<string, UserPrefs>();
  const names = new Map<string, string>();
  for (const r of rows) {
    names.set(r.user, r.name);
    prefs.set(r.user, {
      user: r.user,
      active: r.active,
      email_address: r.email_address,
      time_zone: r.time_zone,
      email: r.email,
      slack: r.slack,
      mode: r.mode,
      digest_hour: r.digest_hour,
      quiet:
        r.quiet_start === null || r.quiet_end === null ? null : { start: r.quiet_start, end: r.quiet_end },
      budget_per_day: r.budget_per_day,
    });
  }
  return { prefs, names };
}

type SettingsRow = { budget: number | null; digest_hour: number | null; smtp_host: string | null };

/** The team's settings as routing needs them (whether email can go out, not the SMTP secrets). */
export async function routingSettings(
  tx: Queryable,
  envSmtp: NotifyDeps["config"]["smtp"],
): Promise<RouteContext["settings"]> {
  const [s] = await tx.query<SettingsRow>(
    `SELECT (settings->>'budget_per_day')::int AS budget, (settings->>'digest_hour')::int AS digest_hour,
            settings->'smtp'->>'host' AS smtp_host
     FROM notification_settings`,
  );
  return {
    budget_per_day: s?.budget ?? 20,
    digest_hour: s?.digest_hour ?? 8,
    email_enabled: Boolean(s?.smtp_host || envSmtp?.host),
  };
}

export async function loadContext(
  tx: Queryable,
  deps: NotifyDeps,
  subjects: readonly string[],
  now: Date,
): Promise<
  Omit<RouteContext, "users"> & {
    names: Map<string, string>;
    channelNames: Map<string, string>;
    users: Map<string, UserPrefs>;
  }
> {
  const { prefs, names } = await loadUsers(tx);
  const channels = await tx.query<{ id: string; name: string }>(
    "SELECT id, name FROM slack_channels WHERE disabled_at IS NULL",
  );
  const subscriptions = await tx.query<SubscriptionRule>(
    `SELECT id, user_id AS "user", channel_id AS channel, scope, value, event_types FROM notify_subscriptions`,
  );
  const endpoints = await tx.query<EndpointRule>(
    "SELECT id, event_types FROM webhook_endpoints WHERE disabled_at IS NULL",
  );
  const existing = await tx.query<{ dedupe_key: string }>(
    "SELECT dedupe_key FROM alerts WHERE subject = ANY($1::text[])",
    [subjects],
  );
  const sent = await tx.query<{ key: string; created_at: string }>(
    `SELECT coalesce('user:' || recipient_user, 'channel:' || recipient_channel) AS key, created_at FROM alerts
     WHERE delivery = 'immediate' AND created_at > $1::timestamptz - interval '48 hours'`,
    [now.toISOString()],
  );
  const immediateSent = new Map<string, Date[]>();
  for (const s of sent) {
    const list = immediateSent.get(s.key) ?? [];
    list.push(new Date(s.created_at));
    immediateSent.set(s.key, list);
  }
  return {
    users: prefs,
    names,
    channels: new Set(channels.map((c) => c.id)),
    channelNames: new Map(channels.map((c) => [c.id, c.name])),
    subscriptions,
    endpoints,
    existing: new Set(existing.map((e) => e.dedupe_key)),
    immediateSent,
    settings: await routingSettings(tx, deps.config.smtp),
    publicUrl: (deps.config.publicUrl ?? "http://127.0.0.1:3000").replace(/\/+$/, ""),
    now,
  };
}
