import { z } from "zod";
import { newId } from "../auth/tokens.js";
import type { Config } from "../config.js";
import type { JobQueue } from "../jobs/index.js";
import { deliverDeliveries } from "./deliver.js";
import type { NotifyDeps } from "./deps.js";
import { invalid } from "./prefs.js";
import { queueDeliveries } from "./queue-deliveries.js";
import { emailPage, linkButton } from "./render/alert-email.js";
import { escapeHtml } from "./render/format.js";
import { readStoredSettings } from "./settings.js";

/**
 * A test email: written to the outbox like any message (event type
 * notify.test), sent at once through the settings as saved, and answered
 * with what the SMTP server said. The delivery log keeps it.
 */

export const TEST_EMAIL_EVENT = "notify.test";

export const testEmailInput = z.object({
  to: z
    .string()
    .trim()
    .max(320)
    .regex(/^[^\s@<>,;"]+@[^\s@<>,;"]+$/, "must be an email address"),
});

export type TestEmailResult = {
  delivery_id: string;
  state: "pending" | "sending" | "delivered" | "dead" | "uncertain" | "cancelled";
  status: number | null;
  error: string | null;
};

/** What a test email says. */
export function renderTestEmail(
  to: string,
  publicUrl: string,
): { subject: string; text: string; html: string } {
  const subject = "Keepwell test email";
  const text = [
    "This is a test email from Keepwell.",
    `It was sent to ${to} to check the team's email settings: if you are reading it, alerts can reach you.`,
    "",
    `Keepwell: ${publicUrl}`,
  ].join("\n");
  const html = emailPage(
    subject,
    [
      `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(subject)}</h1>`,
      `<p style="margin:0 0 12px">This is a test email from Keepwell, sent to ${escapeHtml(to)} to check the team's email settings.</p>`,
      `<p style="margin:0 0 12px">If you are reading it, alerts can reach you.</p>`,
      linkButton(publicUrl, "Open Keepwell"),
    ].join("\n"),
  );
  return { subject, text, html };
}

/** Sends a test email to `to` now; a 400 naming smtp when no SMTP server is set up. */
export async function sendTestEmail(
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
  to: string,
): Promise<TestEmailResult> {
  const { settings } = await readStoredSettings(deps.db);
  const env: Config["smtp"] | undefined = deps.config.smtp;
  if (!settings.smtp?.host && !env?.host)
    throw invalid(
      "smtp",
      "no SMTP server is set up: set one in the notification settings (or KEEPWELL_SMTP_HOST) first",
    );
  const id = newId("msg");
  const now = deps.clock();
  const body = { to, ...renderTestEmail(to, deps.config.publicUrl ?? "") };
  await deps.db.transaction((tx) =>
    queueDeliveries(
      tx,
      undefined,
      [
        {
          id,
          channel: "email",
          alert_id: null,
          endpoint_id: null,
          slack_channel_id: null,
          user_id: null,
          event_id: null,
          event_type: TEST_EMAIL_EVENT,
          target: to,
          body,
          next_attempt_at: now,
        },
      ],
      now,
    ),
  );
  await deliverDeliveries(deps, [id]);
  const [row] = await deps.db.query<{
    state: TestEmailResult["state"];
    status: number | null;
    error: string | null;
  }>("SELECT state, last_status AS status, last_error AS error FROM deliveries WHERE id = $1", [id]);
  return {
    delivery_id: id,
    state: row?.state ?? "pending",
    status: row?.status ?? null,
    error: row?.error ?? null,
  };
}
