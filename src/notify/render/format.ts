import { bandLabel, isSeverity, type Severity } from "../../domain/notify/index.js";
import type { AlertContent } from "../../domain/notify/types.js";

/** What every channel's renderer writes the same way: scores, trends, due times, escaping. */

/** One alert in a digest. `severity` orders the accounts; without it, it is read from the content. */
export type RenderItem = { content: AlertContent; occurrences: number; severity?: Severity };

export function escapeHtml(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Slack's control characters (the only three it asks to escape). */
export function escapeSlack(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** One line: no CR or LF (a subject, a header). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, " ").trim();
}

/** A link worth making clickable: http(s) only, else null. */
export function safeLink(link: string): string | null {
  try {
    const u = new URL(link);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** "62, down 9 in 30 days"; "62, unchanged in 30 days"; "62"; "no score". */
export function scoreLine(score: number | null, trend: number | null): string {
  if (score === null) return "no score";
  if (trend === null) return fmt(score);
  const t = Math.round(trend * 10) / 10;
  if (t === 0) return `${fmt(score)}, unchanged in 30 days`;
  return `${fmt(score)}, ${t < 0 ? "down" : "up"} ${fmt(Math.abs(t))} in 30 days`;
}

const whens = new Map<string, Intl.DateTimeFormat>();

/** "Fri 16 Jan, 15:00 UTC", on the given clock. */
export function when(iso: string, timeZone = "UTC"): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let f = whens.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
      timeZoneName: "short",
    });
    whens.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** "Executive sponsor call by Fri 16 Jan, 15:00 UTC"; null when nothing is due. */
export function dueLine(c: AlertContent, timeZone = "UTC"): string | null {
  if (!c.due_at) return null;
  return `${c.due_what ?? "Next step"} by ${when(c.due_at, timeZone)}`;
}

const money = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "Enterprise · ARR 120,000"; null when neither is known. */
export function accountLine(a: AlertContent["account"]): string | null {
  const parts = [a.segment, a.arr === null ? null : `ARR ${money.format(a.arr)}`].filter(
    (x): x is string => x !== null && x !== "",
  );
  return parts.length > 0 ? parts.join(" · ") : null;
}

export function percent(p: number | null): string | null {
  return p === null ? null : `${Math.round(p * 100)}%`;
}

export { bandLabel };

/** "7 alerts", "1 alert". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** How severe an item is when the caller did not say: a closed play is info, else the account's band. */
export function severityOfItem(item: RenderItem): Severity {
  if (item.severity) return item.severity;
  if (item.content.event_type === "play.closed") return "info";
  return isSeverity(item.content.band) ? item.content.band : "watch";
}

/** Band colours (background, text) for the email's chip. */
export const BAND_COLOURS: Record<string, [string, string]> = {
  critical: ["#fde2e1", "#9b1c1c"],
  at_risk: ["#feecdc", "#8a3c0b"],
  watch: ["#fdf6b2", "#723b13"],
  healthy: ["#def7ec", "#03543f"],
};
export const NO_BAND_COLOURS: [string, string] = ["#e5e7eb", "#374151"];
