import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { type PostOptions, postJson } from "./http.js";
import type { SendResult, WebhookMessage } from "./types.js";

/** A new signing secret in the Standard Webhooks form: `whsec_` and 24 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * The Standard Webhooks headers for a message: its id, the time in seconds,
 * and one `v1,<signature>` per secret (during a rotation the new and the old),
 * space-separated.
 */
export function signatureHeaders(
  msg: WebhookMessage,
  secrets: readonly string[],
  now: Date,
): Record<string, string> {
  return {
    "webhook-id": msg.id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": secrets.map((s) => new Webhook(s).sign(msg.id, now, msg.body)).join(" "),
  };
}

function describe(status: number, host: string): string {
  if (status >= 300 && status < 400) return `${host} answered ${status} (redirects are not followed)`;
  return `${host} answered ${status}`;
}

/**
 * Delivers a webhook: the body as given, signed with every secret in
 * `secrets` (the current one first). 2xx is delivered; anything else
 * (a redirect too) fails with the status, Retry-After and the answer's start.
 */
export async function postWebhook(
  url: string,
  msg: WebhookMessage,
  secrets: readonly string[],
  now: Date,
  opts: PostOptions = {},
): Promise<SendResult> {
  if (secrets.length === 0) throw new Error("postWebhook: no signing secret given");
  let headers: Record<string, string>;
  try {
    headers = signatureHeaders(msg, secrets, now);
  } catch {
    return {
      ok: false,
      status: null,
      retry_after: null,
      error: "the endpoint's signing secret is not valid",
      response: null,
      latency_ms: 0,
    };
  }
  return postJson(
    url,
    msg.body,
    { ...headers, "user-agent": "Keepwell-Webhooks/1" },
    { ...opts, secretPath: false, describe },
  );
}
