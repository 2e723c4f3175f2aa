import type { AlertContent, EventFacts, Severity } from "./types.js";

/**
 * What an event says, whatever the channel: its title, why, what is due, and
 * how severe it is. The detail fields read here are listed per event type at
 * the top of route.ts.
 */

const BAND_SEVERITIES = ["critical", "at_risk", "watch", "healthy"] as const;
type BandSeverity = (typeof BAND_SEVERITIES)[number];
const SEVERITIES: readonly string[] = [...BAND_SEVERITIES, "info"];

export function isSeverity(x: unknown): x is Severity {
  return typeof x === "string" && SEVERITIES.includes(x);
}

function asBand(x: unknown): BandSeverity | null {
  return typeof x === "string" && (BAND_SEVERITIES as readonly string[]).includes(x)
    ? (x as BandSeverity)
    : null;
}

/** A band as people read it: "at risk"; "no band" when there is none. */
export function bandLabel(band: string | null | undefined): string {
  if (!band) return "no band";
  return band.replaceAll("_", " ");
}

/** A band before a noun, capitalised: "At-risk play opened". */
function bandAdjective(band: string): string {
  const words = band.replaceAll("_", "-");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const OUTCOME_WORDS: Record<string, string> = {
  saved: "saved",
  expanded: "expanded",
  downgraded: "downgraded",
  lost: "lost",
  not_needed: "not needed",
};

const str = (x: unknown): string | null => (typeof x === "string" && x.trim() !== "" ? x : null);
const num = (x: unknown): number | null => {
  if (typeof x === "number") return Number.isFinite(x) ? x : null;
  if (typeof x === "string" && x.trim() !== "" && Number.isFinite(Number(x))) return Number(x);
  return null;
};
/** Scores and points to one decimal, without a trailing ".0". */
const fmt = (n: number) => String(Math.round(n * 10) / 10);
const points = (n: number) => (fmt(n) === "1" ? "1 point" : `${fmt(n)} points`);
const pct = (p: number) => `${Math.round(p * 100)}%`;
const isoOrNull = (x: unknown): string | null => {
  const s = typeof x === "string" ? x : x instanceof Date ? x.toISOString() : null;
  if (s === null) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** A signal's severity (src/signals: critical, high, medium, low) in the alerts' terms: a high one goes out at once, a medium one waits for the digest. */
const SIGNAL_SEVERITY: Record<string, Severity> = {
  critical: "critical",
  high: "at_risk",
  medium: "watch",
  low: "healthy",
};

function signalSeverity(x: unknown): Severity {
  if (typeof x === "string" && Object.hasOwn(SIGNAL_SEVERITY, x)) return SIGNAL_SEVERITY[x] as Severity;
  return isSeverity(x) ? x : "watch";
}

/**
 * How urgent an event is. A play's: the band it opened on (watch when
 * unknown), a closed play info; a band change: the new band; a score drop:
 * the account's band; a churn flag: at risk; a signal: its own severity.
 */
export function severityOf(e: EventFacts): Severity {
  switch (e.type) {
    case "play.closed":
      return "info";
    case "play.opened":
    case "play.escalated":
    case "play.overdue":
      return asBand(e.play?.band) ?? "watch";
    case "account.band_changed":
      return asBand(e.detail.band_after) ?? asBand(e.band) ?? "watch";
    case "account.score_dropped":
      return asBand(e.band) ?? "watch";
    case "account.flagged":
      return "at_risk";
    case "signal.detected":
      return signalSeverity(e.detail.severity);
    default:
      return "info";
  }
}

const isPlayEvent = (type: string) => type.startsWith("play.");

/** Whether the escalation is a reminder to the play's own owner rather than a step up the chain. */
function isReminder(e: EventFacts): boolean {
  const to = str(e.detail.to_user);
  return e.detail.via === "owner" || (to !== null && to === (e.play?.owner_user ?? null));
}

function titleOf(e: EventFacts, forUser: string | null): string {
  const name = e.account_name;
  const subject = e.play ? `${name} — ${e.play.name}` : name;
  const d = e.detail;
  switch (e.type) {
    case "play.opened": {
      const band = asBand(e.play?.band);
      return band ? `${bandAdjective(band)} play opened: ${subject}` : `Play opened: ${subject}`;
    }
    case "play.escalated": {
      const toMe = forUser !== null && forUser === str(d.to_user);
      if (toMe) return isReminder(e) ? `Reminder: ${subject}` : `Escalated to you: ${subject}`;
      const level = num(d.level);
      return level === null ? `Escalated: ${subject}` : `Escalated (level ${level}): ${subject}`;
    }
    case "play.overdue":
      return `Overdue: ${subject}`;
    case "play.closed": {
      const outcome = str(d.outcome);
      return outcome
        ? `Play closed (${OUTCOME_WORDS[outcome] ?? bandLabel(outcome)}): ${subject}`
        : `Play closed: ${subject}`;
    }
    case "account.band_changed": {
      const before = str(d.band_before);
      const after = str(d.band_after) ?? e.band;
      return before
        ? `${name} moved from ${bandLabel(before)} to ${bandLabel(after)}`
        : `${name} is now ${bandLabel(after)}`;
    }
    case "account.score_dropped": {
      const after = num(d.score_after) ?? e.score;
      const before = num(d.score_before);
      const drop = num(d.drop) ?? (before !== null && after !== null ? before - after : null);
      if (drop === null) return `${name}'s score dropped`;
      return after === null
        ? `${name}'s score dropped ${points(drop)}`
        : `${name}'s score dropped ${points(drop)} to ${fmt(after)}`;
    }
    case "account.flagged": {
      const p = num(d.probability) ?? e.churn_probability;
      const days = num(d.horizon_days) || 90;
      return p === null
        ? `${name} flagged: likely to churn`
        : `${name} flagged: ${pct(p)} chance of churn in ${days} days`;
    }
    case "signal.detected":
      return `Signal on ${name}: ${str(d.label) ?? str(d.name) ?? str(d.signal) ?? "a warning sign"}`;
    default:
      return `${name}: ${e.type}`;
  }
}

function reasonOf(e: EventFacts): string {
  const d = e.detail;
  if (isPlayEvent(e.type)) return e.play?.reason ?? str(d.reason) ?? "";
  switch (e.type) {
    case "account.band_changed": {
      const move = `band moved from ${bandLabel(str(d.band_before))} to ${bandLabel(str(d.band_after) ?? e.band)}`;
      const [b, a] = [num(d.score_before), num(d.score_after)];
      return b !== null && a !== null ? `${move}; score ${fmt(b)} → ${fmt(a)}` : move;
    }
    case "account.score_dropped": {
      const [b, a] = [num(d.score_before), num(d.score_after) ?? e.score];
      const drop = num(d.drop) ?? (b !== null && a !== null ? b - a : null);
      if (b === null || a === null)
        return drop === null ? "the score dropped" : `the score dropped ${points(drop)}`;
      return `score fell from ${fmt(b)} to ${fmt(a)}${drop === null ? "" : ` (${points(drop)})`}`;
    }
    case "account.flagged": {
      const [b, p, t] = [
        num(d.probability_before),
        num(d.probability) ?? e.churn_probability,
        num(d.threshold),
      ];
      if (p === null) return "the churn model flagged the account";
      const rise =
        b === null ? `churn probability ${pct(p)}` : `churn probability rose from ${pct(b)} to ${pct(p)}`;
      return t === null ? rise : `${rise}, at or over the ${pct(t)} threshold`;
    }
    case "signal.detected":
      return str(d.reason) ?? str(d.detail) ?? str(d.label) ?? str(d.name) ?? "a signal was detected";
    default:
      return str(d.reason) ?? "";
  }
}

/**
 * What every message about an event says. `forUser` words an escalation for
 * the person it went to ("Escalated to you", "Reminder"); without it (a
 * webhook, a subscriber) the title is neutral ("Escalated (level 2): …").
 */
export function contentOf(e: EventFacts, publicUrl: string, forUser: string | null = null): AlertContent {
  const open = isPlayEvent(e.type) && e.type !== "play.closed";
  return {
    event_type: e.type,
    title: titleOf(e, forUser),
    account: { id: e.account, name: e.account_name, segment: e.account_segment, arr: e.account_arr },
    band: e.band ?? (e.type === "account.band_changed" ? str(e.detail.band_after) : null),
    score: e.score,
    trend: e.trend,
    churn_probability: e.churn_probability,
    reason: reasonOf(e),
    due_at: open ? (isoOrNull(e.play?.due_at) ?? isoOrNull(e.detail.due_at)) : null,
    due_what: open ? (e.play?.name ?? null) : null,
    play: e.play
      ? {
          id: e.play_id ?? e.subject,
          name: e.play.name,
          owner: e.play.owner_name ?? e.play.owner_user,
          tier: e.play.tier,
        }
      : null,
    link: `${publicUrl.replace(/\/+$/, "")}/accounts/${encodeURIComponent(e.account)}`,
    occurred_at: e.at.toISOString(),
  };
}
