import type { AlertContent, Recipient } from "../domain/notify/index.js";
import { renderAlertEmail } from "./render/alert-email.js";
import { slackAlert } from "./render/slack.js";
import { webhookBody } from "./render/webhook-body.js";

/** What a delivery row holds as its body, per channel: fixed when written, the same on every attempt. */
export const messageBodies = {
  alert(channel: "email" | "slack", content: AlertContent, name: string | null, to: string | null): object {
    if (channel === "email")
      return { to, ...renderAlertEmail(content, { recipientName: name, occurrences: 1 }) };
    return slackAlert(content, 1);
  },
  webhook(eventId: number | string, type: string, content: AlertContent): object {
    return webhookBody(eventId, type, content);
  },
};

/** A Slack channel as the delivery log shows it: "#cs-alerts" (its id when its name is unknown). */
export function channelTarget(id: string, name: string | null | undefined): string {
  if (!name) return `Slack channel ${id}`;
  return name.startsWith("#") ? name : `#${name}`;
}

/** Who a message goes to, as people read it in the delivery log (never a secret: no Slack URL). */
export function targetOf(
  channel: "email" | "slack",
  r: Recipient,
  email: string | null,
  names: ReadonlyMap<string, string>,
  channelNames: ReadonlyMap<string, string> = new Map(),
): string {
  if (channel === "email") return email ?? "(no address)";
  return r.kind === "user"
    ? `Slack: ${names.get(r.user) ?? r.user}`
    : channelTarget(r.channel, channelNames.get(r.channel));
}

/** An endpoint's URL as the log shows it: no credentials, no query string (either may hold a token). */
export function webhookTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
