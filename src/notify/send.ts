import { createMailer, postSlack, postWebhook } from "./channels/index.js";
import type { SendResult, SmtpSettings } from "./channels/types.js";
import type { NotifyDeps } from "./deps.js";
import { type DeliveryTargets, deliveryTargets, openEndpointSecrets } from "./endpoints.js";
import { loadNotifySettings } from "./settings.js";

/**
 * Sending one claimed message on its channel. Nothing here throws: whatever
 * goes wrong (no SMTP server, a secret that cannot be opened, a receiver
 * down) comes back as a failed result, which the caller records — a claimed
 * message is never left `sending` by an error of ours.
 */

/** A message claimed for an attempt (deliver.ts). */
export type Claimed = {
  id: string;
  channel: "email" | "slack" | "webhook";
  endpoint_id: string | null;
  slack_channel_id: string | null;
  user_id: string | null;
  target: string;
  body: Record<string, unknown>;
  attempts: number;
};

const mailers = new Map<string, ReturnType<typeof createMailer>>();

function mailerFor(smtp: SmtpSettings) {
  const key = JSON.stringify(smtp);
  let m = mailers.get(key);
  if (!m) {
    for (const old of mailers.values()) old.close();
    mailers.clear();
    m = createMailer(smtp);
    mailers.set(key, m);
  }
  return m;
}

/** Closes pooled SMTP connections (at shutdown). */
export function closeMailers(): void {
  for (const m of mailers.values()) m.close();
  mailers.clear();
}

const failed = (error: string): SendResult => ({
  ok: false,
  status: null,
  retry_after: null,
  error,
  response: null,
  latency_ms: 0,
});

/**
 * The SMTP server to send through, or why there is none. Read after the
 * claim: a failure here (a password sealed under another key, the store
 * gone for a moment) must fail the attempts, not throw and leave them
 * `sending` — they would be reconciled as uncertain though never sent.
 */
export async function smtpSettings(deps: NotifyDeps): Promise<SmtpSettings | string> {
  try {
    const { smtp } = await loadNotifySettings(deps.db, deps.secrets, deps.config.smtp);
    return smtp ?? "email is not set up (no SMTP server in the notification settings)";
  } catch (err) {
    const why = err instanceof Error ? err.message.slice(0, 300) : "unknown error";
    return `the SMTP settings could not be read: ${why}`;
  }
}

/** Where the claimed messages go, or why that could not be read (then each attempt fails with it). */
export async function targetsOf(
  deps: NotifyDeps,
  claimed: readonly Claimed[],
): Promise<DeliveryTargets | string> {
  const ids = (f: (c: Claimed) => string | null) => [
    ...new Set(claimed.map(f).filter((x): x is string => x !== null)),
  ];
  try {
    return await deliveryTargets(deps.db, {
      endpoints: ids((c) => (c.channel === "webhook" ? c.endpoint_id : null)),
      channels: ids((c) => (c.channel === "slack" ? c.slack_channel_id : null)),
      users: ids((c) => (c.channel === "slack" && !c.slack_channel_id ? c.user_id : null)),
    });
  } catch (err) {
    const why = err instanceof Error ? err.message.slice(0, 300) : "unknown error";
    return `the message's destination could not be read: ${why}`;
  }
}

export async function sendOne(
  deps: NotifyDeps,
  d: Claimed,
  smtp: SmtpSettings | string | null,
  targets: DeliveryTargets | string,
  now: Date,
): Promise<SendResult> {
  try {
    if (d.channel === "email") {
      if (smtp === null || typeof smtp === "string")
        return failed(smtp ?? "email is not set up (no SMTP server in the notification settings)");
      const b = d.body as { to: string; subject: string; text: string; html: string };
      return await mailerFor(smtp).send({ ...b, to: b.to ?? d.target, message_id: d.id });
    }
    if (typeof targets === "string") return failed(targets);
    if (d.channel === "slack") {
      const sealed = d.slack_channel_id
        ? targets.channels.get(d.slack_channel_id)
        : d.user_id
          ? targets.users.get(d.user_id)
          : undefined;
      if (!sealed) return failed("no Slack webhook URL is set for this recipient");
      return await postSlack(deps.secrets.open(sealed), d.body as { text: string; blocks: unknown[] });
    }
    const ep = d.endpoint_id ? targets.endpoints.get(d.endpoint_id) : undefined;
    if (!ep) return failed("the webhook endpoint no longer exists");
    if (ep.disabled) return { ...failed("the webhook endpoint is disabled"), status: 410 };
    const secrets = openEndpointSecrets(ep, deps.secrets, now);
    return await postWebhook(ep.url, { id: d.id, body: JSON.stringify(d.body) }, secrets, now);
  } catch (err) {
    return failed(err instanceof Error ? err.message.slice(0, 500) : "the message could not be sent");
  }
}
