/** What one attempt to send a message came to, whatever the channel. */
export type SendResult = {
  ok: boolean;
  /** HTTP status, or the SMTP reply code; null when no answer came (refused, timed out). */
  status: number | null;
  /** The receiver's Retry-After header, as sent. */
  retry_after: string | null;
  /** In words, never holding a secret (no URL with its token, no password). */
  error: string | null;
  /** The start of the receiver's answer (at most 2,000 characters). */
  response: string | null;
  latency_ms: number;
};

export type SmtpSettings = {
  host: string;
  port: number;
  /** tls: TLS from the start (465); starttls: upgrade (587); none: plain (tests, a local relay). */
  security: "tls" | "starttls" | "none";
  user: string | null;
  password: string | null;
  from: string;
};

export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The delivery's id, as the Message-ID's local part: the same on every attempt. */
  message_id: string;
};

export type SlackMessage = { text: string; blocks: unknown[] };

export type WebhookMessage = {
  /** The webhook-id header: the delivery's id, the same on every attempt. */
  id: string;
  /** The JSON body, exactly as signed and sent. */
  body: string;
};
