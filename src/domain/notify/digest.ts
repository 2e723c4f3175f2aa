import { addDays, atLocal, localParts } from "./local-time.js";
import type { AlertContent, Severity } from "./types.js";

/** Most severe first: the order digests and their accounts are read in. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "at_risk", "watch", "healthy", "info"];

export function severityRank(s: Severity): number {
  const i = SEVERITY_ORDER.indexOf(s);
  return i < 0 ? SEVERITY_ORDER.length : i;
}

/** The latest digest moment at or before `now`: today's `hour:00` on the recipient's clock if it has passed, else yesterday's. */
export function lastDigestMoment(hour: number, timeZone: string, now: Date): Date {
  const today = localParts(now, timeZone).date;
  const at = atLocal(today, hour * 60, timeZone);
  return at <= now ? at : atLocal(addDays(today, -1), hour * 60, timeZone);
}

/** The first digest moment after `now`. */
export function nextDigestAt(hour: number, timeZone: string, now: Date): Date {
  const today = localParts(now, timeZone).date;
  const at = atLocal(today, hour * 60, timeZone);
  return at > now ? at : atLocal(addDays(today, 1), hour * 60, timeZone);
}

/** Whether a recipient's digest is due: its latest moment has come and no digest was sent since. */
export function digestDueAt(hour: number, timeZone: string, lastDigestAt: Date | null, now: Date): boolean {
  const moment = lastDigestMoment(hour, timeZone, now);
  return moment <= now && (lastDigestAt === null || lastDigestAt < moment);
}

export type DigestItem = { content: AlertContent; severity: Severity; occurrences: number };

export type DigestGroup<T extends DigestItem = DigestItem> = {
  account: AlertContent["account"];
  /** The most severe of its items. */
  severity: Severity;
  items: T[];
};

const time = (c: AlertContent) => Date.parse(c.occurred_at) || 0;

/**
 * A digest's alerts by account: accounts by their most severe item, then ARR
 * (largest first, unknown last), then name; within an account, by severity,
 * then in the order they happened.
 */
export function groupDigest<T extends DigestItem>(items: readonly T[]): DigestGroup<T>[] {
  const byAccount = new Map<string, DigestGroup<T>>();
  for (const item of items) {
    const id = item.content.account.id;
    const g = byAccount.get(id);
    if (!g) byAccount.set(id, { account: item.content.account, severity: item.severity, items: [item] });
    else {
      g.items.push(item);
      if (severityRank(item.severity) < severityRank(g.severity)) g.severity = item.severity;
    }
  }
  const groups = [...byAccount.values()];
  for (const g of groups)
    g.items.sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || time(a.content) - time(b.content),
    );
  return groups.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (b.account.arr ?? Number.NEGATIVE_INFINITY) - (a.account.arr ?? Number.NEGATIVE_INFINITY) ||
      a.account.name.localeCompare(b.account.name, "en") ||
      (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0),
  );
}
