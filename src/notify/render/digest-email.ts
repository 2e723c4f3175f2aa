import { type DigestGroup, type DigestItem, groupDigest } from "../../domain/notify/index.js";
import type { AlertContent } from "../../domain/notify/types.js";
import { bandChip, emailPage, type RenderedEmail } from "./alert-email.js";
import {
  accountLine,
  bandLabel,
  dueLine,
  escapeHtml,
  oneLine,
  plural,
  type RenderItem,
  safeLink,
  scoreLine,
  severityOfItem,
} from "./format.js";

export type DigestOptions = {
  recipientName: string | null;
  /** The recipient's local date of the digest, YYYY-MM-DD. */
  date: string;
  /** The recipient's clock, for due times. */
  timeZone: string;
};

/** A digest's accounts in reading order (most severe first, then ARR), each with its alerts. */
export function digestGroups(items: readonly RenderItem[]): DigestGroup<DigestItem>[] {
  return groupDigest(items.map((i) => ({ ...i, severity: severityOfItem(i) })));
}

/** The account's latest known state among its alerts (the newest content). */
export function latestOf(g: DigestGroup<DigestItem>): AlertContent {
  let latest = g.items[0]!.content;
  for (const i of g.items) if (i.content.occurred_at > latest.occurred_at) latest = i.content;
  return latest;
}

/** "7 alerts on 4 accounts". */
export function digestCounts(items: readonly RenderItem[]): string {
  const accounts = new Set(items.map((i) => i.content.account.id)).size;
  return `${plural(items.length, "alert")} on ${plural(accounts, "account")}`;
}

/** "Thu 15 Jan 2026" for 2026-01-15 (the date as given, no clock involved). */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  const parts = new Intl.DateTimeFormat("en-US", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).formatToParts(d);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

const times = (n: number) => (n > 1 ? ` (fired ${n} times)` : "");

function textGroup(g: DigestGroup<DigestItem>, timeZone: string): string[] {
  const now = latestOf(g);
  const about = accountLine(g.account);
  const lines = [
    `== ${oneLine(g.account.name)}${about ? ` (${about})` : ""} ==`,
    `Band: ${bandLabel(now.band)} · Score: ${scoreLine(now.score, now.trend)}`,
  ];
  for (const i of g.items) {
    lines.push(`- ${oneLine(i.content.title)}${times(i.occurrences)}`);
    if (i.content.reason) lines.push(`  Why: ${i.content.reason}`);
    const due = dueLine(i.content, timeZone);
    if (due) lines.push(`  Due: ${due}`);
  }
  lines.push(`Open: ${now.link}`, "");
  return lines;
}

function htmlGroup(g: DigestGroup<DigestItem>, timeZone: string): string {
  const now = latestOf(g);
  const href = safeLink(now.link);
  const name = escapeHtml(g.account.name);
  const heading = href
    ? `<a href="${escapeHtml(href)}" style="color:#1d4ed8;text-decoration:none">${name}</a>`
    : name;
  const about = accountLine(g.account);
  const items = g.items
    .map((i) => {
      const due = dueLine(i.content, timeZone);
      return [
        `<li style="margin:0 0 8px">${escapeHtml(i.content.title)}${escapeHtml(times(i.occurrences))}`,
        i.content.reason
          ? `<br><span style="color:#4b5563;font-size:13px">Why: ${escapeHtml(i.content.reason)}</span>`
          : "",
        due ? `<br><span style="color:#4b5563;font-size:13px">Due: ${escapeHtml(due)}</span>` : "",
        "</li>",
      ].join("");
    })
    .join("\n");
  return `<div style="margin:0 0 20px;padding:0 0 12px;border-bottom:1px solid #e5e7eb">
<h2 style="margin:0 0 4px;font-size:17px">${heading}</h2>
<p style="margin:0 0 8px;font-size:13px;color:#4b5563">${about ? `${escapeHtml(about)} · ` : ""}${bandChip(now.band)} · score ${escapeHtml(scoreLine(now.score, now.trend))}</p>
<ul style="margin:0;padding:0 0 0 18px;font-size:14px">
${items}
</ul>
</div>`;
}

/** A recipient's digest as an email: its alerts grouped by account, the most severe accounts first. */
export function renderDigestEmail(items: readonly RenderItem[], opts: DigestOptions): RenderedEmail {
  const counts = digestCounts(items);
  const subject = `Keepwell digest: ${counts}`;
  const groups = digestGroups(items);
  const hello = opts.recipientName ? `Hi ${oneLine(opts.recipientName)},` : "Hello,";
  const intro = `Your Keepwell digest for ${dayLabel(opts.date)}: ${counts}.`;
  const text = [
    hello,
    "",
    intro,
    "",
    ...groups.flatMap((g) => textGroup(g, opts.timeZone)),
    "-- ",
    "Sent by Keepwell. Change what you receive under Notifications in Keepwell.",
    "",
  ].join("\n");
  const html = emailPage(
    subject,
    [
      `<p style="margin:0 0 12px">${escapeHtml(hello)}</p>`,
      `<h1 style="margin:0 0 20px;font-size:20px;line-height:1.3">${escapeHtml(intro)}</h1>`,
      ...groups.map((g) => htmlGroup(g, opts.timeZone)),
    ].join("\n"),
  );
  return { subject, text, html };
}
