import type { SecretBox } from "../auth/index.js";
import type { Queryable } from "../store/index.js";

/** A webhook endpoint as a delivery needs it: its URL, whether it is disabled, its secrets still sealed. */
export type EndpointTarget = {
  url: string;
  disabled: boolean;
  secret: string;
  previous: string | null;
  previous_until: string | null;
};

/** Where a batch of claimed messages go, read in a few statements (secrets still sealed: opened per send). */
export type DeliveryTargets = {
  endpoints: ReadonlyMap<string, EndpointTarget>;
  /** Sealed Slack webhook URLs of enabled channels, by channel id. */
  channels: ReadonlyMap<string, string>;
  /** Sealed Slack webhook URLs of users' own Slack, by user id. */
  users: ReadonlyMap<string, string>;
};

export async function deliveryTargets(
  q: Queryable,
  want: { endpoints: readonly string[]; channels: readonly string[]; users: readonly string[] },
): Promise<DeliveryTargets> {
  // One after another: `q` may be a transaction, on one connection.
  const eps =
    want.endpoints.length === 0
      ? []
      : await q.query<EndpointTarget & { id: string }>(
          `SELECT id, url, disabled_at IS NOT NULL AS disabled, secret_sealed AS secret,
                  previous_secret_sealed AS previous, previous_secret_until AS previous_until
           FROM webhook_endpoints WHERE id = ANY($1::text[])`,
          [want.endpoints],
        );
  const chans =
    want.channels.length === 0
      ? []
      : await q.query<{ id: string; sealed: string }>(
          "SELECT id, url_sealed AS sealed FROM slack_channels WHERE id = ANY($1::text[]) AND disabled_at IS NULL",
          [want.channels],
        );
  const users =
    want.users.length === 0
      ? []
      : await q.query<{ id: string; sealed: string }>(
          `SELECT user_id AS id, slack_url_sealed AS sealed FROM notification_prefs
           WHERE user_id = ANY($1::text[]) AND slack_url_sealed IS NOT NULL`,
          [want.users],
        );
  return {
    endpoints: new Map(eps.map(({ id, ...e }) => [id, e])),
    channels: new Map(chans.map((c) => [c.id, c.sealed])),
    users: new Map(users.map((u) => [u.id, u.sealed])),
  };
}

/**
 * The secrets an endpoint's deliveries are signed with: its current one, and
 * after a rotation the previous one too until its grace time ends, so a
 * receiver that has not yet switched still verifies (Standard Webhooks sends
 * one signature per secret).
 */
export function openEndpointSecrets(e: EndpointTarget, secrets: SecretBox, now: Date): string[] {
  const out = [secrets.open(e.secret)];
  if (e.previous && e.previous_until && new Date(e.previous_until).getTime() > now.getTime())
    out.push(secrets.open(e.previous));
  return out;
}

/** One endpoint's signing secrets, opened (see openEndpointSecrets); none when it does not exist. */
export async function endpointSecrets(
  q: Queryable,
  secrets: SecretBox,
  id: string,
  now: Date,
): Promise<string[]> {
  const e = (await deliveryTargets(q, { endpoints: [id], channels: [], users: [] })).endpoints.get(id);
  return e ? openEndpointSecrets(e, secrets, now) : [];
}

/** The Slack incoming-webhook URL of a channel, or of a user's own Slack; null when none is set. */
export async function slackUrlOf(
  q: Queryable,
  secrets: SecretBox,
  who: { channel?: string; user?: string },
): Promise<string | null> {
  const t = await deliveryTargets(q, {
    endpoints: [],
    channels: who.channel ? [who.channel] : [],
    users: !who.channel && who.user ? [who.user] : [],
  });
  const sealed = who.channel ? t.channels.get(who.channel) : who.user ? t.users.get(who.user) : undefined;
  return sealed ? secrets.open(sealed) : null;
}
