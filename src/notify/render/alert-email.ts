import type { AlertContent } from "../../domain/notify/types.js";
import {
  accountLine,
  BAND_COLOURS,
  bandLabel,
  dueLine,
  escapeHtml,
  NO_BAND_COLOURS,
  oneLine,
  percent,
  safeLink,
  scoreLine,
} from "./format.js";

export type RenderedEmail = { subject: string; text: string; html: string };

export type AlertEmailOptions = {
  recipientName: string | null;
  occurrences: number;
  /** The clock due times are shown on (the recipient's); UTC when absent. */
  timeZone?: string;
};

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** The facts of an alert as label/value pairs, in reading order. */
export function alertFacts(c: AlertContent, timeZone?: string): [string, string][] {
  const facts: [string, string][] = [];
  const about = accountLine(c.account);
  facts.push(["Account", about ? `${c.account.name} (${about})` : c.account.name]);
  facts.push(["Band", bandLabel(c.band)]);
  facts.push(["Score", scoreLine(c.score, c.trend)]);
  const churn = percent(c.churn_probability);
  if (churn) facts.push(["Churn probability", churn]);
  if (c.play) facts.push(["Play", c.play.owner ? `${c.play.name} (owner: ${c.play.owner})` : c.play.name]);
  const due = dueLine(c, timeZone);
  if (due) facts.push(["Due", due]);
  return facts;
}

/** A band as a coloured chip (inline styles only). */
export function bandChip(band: string | null): string {
  const [bg, fg] = (band && BAND_COLOURS[band]) || NO_BAND_COLOURS;
  return `<span style="display:inline-block;padding:2px 8px;border-radius:10px;background:${bg};color:${fg};font-weight:600;font-size:13px">${escapeHtml(bandLabel(band))}</span>`;
}

/** A button-like link, or the address as text when it is not http(s). */
export function linkButton(link: string, label: string): string {
  const href = safeLink(link);
  if (!href) return `<p style="margin:16px 0;font-size:14px">${escapeHtml(link)}</p>`;
  return `<p style="margin:20px 0"><a href="${escapeHtml(href)}" style="display:inline-block;padding:10px 18px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600">${escapeHtml(label)}</a></p>`;
}

/** The page around a message's content: a centred card, no external assets. */
export function emailPage(title: string, inner: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellspacing="0" cellpadding="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;font-family:${FONT};color:#111827;font-size:15px;line-height:1.5">
<tr><td style="padding:24px 28px">
${inner}
<p style="margin:24px 0 0;color:#6b7280;font-size:12px">Sent by Keepwell. Change what you receive under Notifications in Keepwell.</p>
</td></tr></table>
</td></tr></table>
</body></html>
`;
}

function greeting(name: string | null): string {
  return name ? `Hi ${oneLine(name)},` : "Hello,";
}

function occurrencesLine(n: number): string | null {
  return n > 1 ? `This alert has fired ${n} times.` : null;
}

/** One alert as an email: a subject, a plain-text part and an HTML part saying the same. */
export function renderAlertEmail(content: AlertContent, opts: AlertEmailOptions): RenderedEmail {
  const subject = oneLine(content.title);
  const facts = alertFacts(content, opts.timeZone);
  const again = occurrencesLine(opts.occurrences);

  const text = [
    greeting(opts.recipientName),
    "",
    subject,
    "",
    ...facts.map(([k, v]) => `${k}: ${v}`),
    ...(content.reason ? ["", `Why: ${content.reason}`] : []),
    ...(again ? ["", again] : []),
    "",
    `Open the account: ${content.link}`,
    "",
    "-- ",
    "Sent by Keepwell. Change what you receive under Notifications in Keepwell.",
    "",
  ].join("\n");

  const rows = facts
    .map(
      ([k, v]) =>
        `<tr><td style="padding:4px 16px 4px 0;color:#6b7280;white-space:nowrap;vertical-align:top">${escapeHtml(k)}</td><td style="padding:4px 0;vertical-align:top">${k === "Band" ? bandChip(content.band) : escapeHtml(v)}</td></tr>`,
    )
    .join("\n");
  const html = emailPage(
    subject,
    [
      `<p style="margin:0 0 12px">${escapeHtml(greeting(opts.recipientName))}</p>`,
      `<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${escapeHtml(subject)}</h1>`,
      `<table role="presentation" cellspacing="0" cellpadding="0" style="font-size:14px">\n${rows}\n</table>`,
      content.reason
        ? `<p style="margin:16px 0 0"><strong>Why:</strong> ${escapeHtml(content.reason)}</p>`
        : "",
      again ? `<p style="margin:8px 0 0;color:#6b7280;font-size:13px">${escapeHtml(again)}</p>` : "",
      linkButton(content.link, `Open ${content.account.name}`),
    ]
      .filter((s) => s !== "")
      .join("\n"),
  );
  return { subject, text, html };
}
