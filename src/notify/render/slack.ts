import type { AlertContent } from "../../domain/notify/types.js";
import type { SlackMessage } from "../channels/types.js";
import { type DigestOptions, dayLabel, digestCounts, digestGroups, latestOf } from "./digest-email.js";
import {
  accountLine,
  bandLabel,
  dueLine,
  escapeSlack,
  oneLine,
  percent,
  type RenderItem,
  safeLink,
  scoreLine,
  when,
} from "./format.js";

/** Slack's limits: 50 blocks a message (we stop at 45), 3,000 characters a section, 2,000 a field. */
export const MAX_BLOCKS = 45;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const BUTTON_URL_MAX = 3000;
/** Alerts listed under one account in a digest before "… and N more". */
const ITEMS_PER_ACCOUNT = 8;

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);
const mrkdwn = (text: string, max = SECTION_MAX) => ({ type: "mrkdwn", text: cut(text, max) });

/** `<url|label>` when the link is http(s), else the label alone (escaped either way). */
function linked(link: string, label: string): string {
  const href = safeLink(link);
  return href && !/[|<>]/.test(href) ? `<${href}|${escapeSlack(label)}>` : escapeSlack(label);
}

function button(link: string): object[] {
  const href = safeLink(link);
  if (!href || href.length > BUTTON_URL_MAX) return [];
  return [
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: "open_account",
          text: { type: "plain_text", text: "Open account" },
          url: href,
        },
      ],
    },
  ];
}

/** One alert as a Block Kit message: title, facts, why, and a button to the account. */
export function slackAlert(content: AlertContent, occurrences: number): SlackMessage {
  const title = escapeSlack(oneLine(content.title));
  const about = accountLine(content.account);
  const fields = [
    `*Account*\n${linked(content.link, content.account.name)}${about ? `\n${escapeSlack(about)}` : ""}`,
    `*Band*\n${escapeSlack(bandLabel(content.band))}`,
    `*Score*\n${escapeSlack(scoreLine(content.score, content.trend))}`,
  ];
  const churn = percent(content.churn_probability);
  if (churn) fields.push(`*Churn probability*\n${churn}`);
  const due = dueLine(content);
  if (due) fields.push(`*Due*\n${escapeSlack(due)}`);
  if (content.play?.owner) fields.push(`*Owner*\n${escapeSlack(content.play.owner)}`);

  const context: string[] = [];
  if (content.reason) context.push(`Why: ${escapeSlack(content.reason)}`);
  if (occurrences > 1) context.push(`Fired ${occurrences} times`);

  const blocks: unknown[] = [
    { type: "section", text: mrkdwn(`*${title}*`) },
    { type: "section", fields: fields.map((f) => mrkdwn(f, FIELD_MAX)) },
    ...(context.length > 0 ? [{ type: "context", elements: context.map((c) => mrkdwn(c)) }] : []),
    ...button(content.link),
  ];
  const text = cut(
    `${title} — ${escapeSlack(content.account.name)}: ${escapeSlack(scoreLine(content.score, content.trend))}`,
    3000,
  );
  return { text, blocks };
}

function accountSection(g: ReturnType<typeof digestGroups>[number], timeZone: string): object {
  const now = latestOf(g);
  const lines = [
    `*${linked(now.link, g.account.name)}* · ${escapeSlack(bandLabel(now.band))} · score ${escapeSlack(scoreLine(now.score, now.trend))}`,
  ];
  for (const i of g.items.slice(0, ITEMS_PER_ACCOUNT)) {
    const times = i.occurrences > 1 ? ` (×${i.occurrences})` : "";
    const due = i.content.due_at ? when(i.content.due_at, timeZone) : null;
    lines.push(
      `• ${escapeSlack(oneLine(i.content.title))}${times}${due ? ` — due ${escapeSlack(due)}` : ""}`,
    );
  }
  if (g.items.length > ITEMS_PER_ACCOUNT) lines.push(`… and ${g.items.length - ITEMS_PER_ACCOUNT} more`);
  return { type: "section", text: mrkdwn(lines.join("\n")) };
}

/**
 * A digest as a Block Kit message: a heading, then a section per account in
 * reading order; at most MAX_BLOCKS blocks, the last one then saying how many
 * accounts did not fit.
 */
export function slackDigest(items: readonly RenderItem[], opts: DigestOptions): SlackMessage {
  const counts = digestCounts(items);
  const groups = digestGroups(items);
  const heading = `*Keepwell digest* for ${escapeSlack(dayLabel(opts.date))}: ${counts}`;
  const room = MAX_BLOCKS - 1;
  const shown = groups.length <= room ? groups : groups.slice(0, room - 1);
  const blocks: unknown[] = [
    { type: "section", text: mrkdwn(heading) },
    ...shown.map((g) => accountSection(g, opts.timeZone)),
  ];
  const rest = groups.length - shown.length;
  if (rest > 0)
    blocks.push({
      type: "context",
      elements: [mrkdwn(`… and ${rest} more ${rest === 1 ? "account" : "accounts"}`)],
    });
  return { text: `Keepwell digest: ${counts}`, blocks };
}
