import { signalLabel } from "../critical-signals.js";
import { DAY_MS } from "./durations.js";
import type { AccountFacts, BandThresholds } from "./facts.js";
import type { Team } from "./owners.js";
import type { Audience, Trigger } from "./schema.js";

export interface TriggerContext {
  now: Date;
  bands: BandThresholds;
  /**
   * Evaluating whether an open play's condition still holds: band conditions
   * then need the score back past the threshold by this many points to clear.
   */
  holdingBy?: number;
}

export interface TriggerResult {
  fired: boolean;
  /** In words, what fired (or, when it did not, what was missing). */
  reasons: string[];
  /** The values behind it, for the play's record. */
  values: Record<string, unknown>;
}

const BAND_WORDS = { healthy: "healthy", watch: "watch", at_risk: "at risk", critical: "critical" } as const;
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
/** A probability as a percentage: 0.35 → "35", 0.1234 → "12.3". */
const pct = (p: number) => fmt(Math.round(p * 1000) / 10);
/** A metric's value as it is, to 3 decimals: a share such as 0.25 must not read 0.3. */
const num = (n: number) => String(Math.round(n * 1000) / 1000);

/** The highest score of the last `days` days (before now), for a drop. */
export function scoreDaysAgo(facts: AccountFacts, days: number, now: Date): number | null {
  const from = now.getTime() - days * DAY_MS;
  // The score as of `days` ago is the last snapshot at or before then, if it is at most a
  // month older (history is monthly: on 1 November, "30 days ago" is the snapshot of
  // 1 October); any higher one since counts too.
  let before: { t: number; score: number } | undefined;
  let best: number | null = null;
  for (const h of facts.history) {
    const t = Date.parse(h.at);
    if (h.score === null || t >= now.getTime() || t < from - 31 * DAY_MS) continue;
    if (t <= from) {
      if (!before || t > before.t) before = { t, score: h.score };
    } else if (best === null || h.score > best) best = h.score;
  }
  if (before && (best === null || before.score > best)) best = before.score;
  return best;
}

function bandHolds(band: keyof typeof BAND_WORDS, f: AccountFacts, ctx: TriggerContext): boolean {
  if (f.band === band) return true;
  const by = ctx.holdingBy;
  // Hysteresis: an open play's band counts until the score is `by` points clear of the threshold.
  if (by === undefined || by <= 0 || f.score === null) return false;
  // Gone critical (worse) while a watch or at-risk play is open: its score still decides whether it holds.
  if (f.band === "critical" && band === "healthy") return false;
  if (band === "at_risk") return f.score < ctx.bands.watch + by;
  if (band === "watch") return f.score >= ctx.bands.watch - by && f.score < ctx.bands.healthy + by;
  if (band === "healthy") return f.score >= ctx.bands.healthy - by;
  return false;
}

function bandReason(band: keyof typeof BAND_WORDS, f: AccountFacts, ctx: TriggerContext): string {
  const score = f.score === null ? "no score" : `score ${fmt(f.score)}`;
  const move = (() => {
    if (f.score === null) return "";
    const before = scoreDaysAgo(f, 30, ctx.now);
    if (before === null || Math.abs(before - f.score) < 1) return "";
    return `; ${before > f.score ? "fell" : "rose"} from ${fmt(before)} within 30 days`;
  })();
  switch (band) {
    case "critical":
      return `critical: ${f.signals.map(signalLabel).join(", ") || "a dissatisfaction signal"} (${score})`;
    case "at_risk":
      return `at risk: ${score}, under ${fmt(ctx.bands.watch)}${move}`;
    case "watch":
      return `watch: ${score}, between ${fmt(ctx.bands.watch)} and ${fmt(ctx.bands.healthy)}${move}`;
    case "healthy":
      return `healthy: ${score}, at or above ${fmt(ctx.bands.healthy)}${move}`;
  }
}

/** Whole days from now's (UTC) date to `date`: 0 on the day itself, whatever the hour. */
function daysUntil(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / DAY_MS);
}

/** Whether a condition holds for an account, and why, in words. */
export function evaluateTrigger(t: Trigger, f: AccountFacts, ctx: TriggerContext): TriggerResult {
  if ("all" in t) {
    const parts = t.all.map((c) => evaluateTrigger(c, f, ctx));
    const fired = parts.every((p) => p.fired);
    return {
      fired,
      reasons: fired
        ? parts.flatMap((p) => p.reasons)
        : parts.filter((p) => !p.fired).flatMap((p) => p.reasons),
      values: Object.assign({}, ...parts.map((p) => p.values)),
    };
  }
  if ("any" in t) {
    const parts = t.any.map((c) => evaluateTrigger(c, f, ctx));
    const hits = parts.filter((p) => p.fired);
    return {
      fired: hits.length > 0,
      reasons: (hits.length > 0 ? hits : parts).flatMap((p) => p.reasons),
      values: Object.assign({}, ...(hits.length > 0 ? hits : parts).map((p) => p.values)),
    };
  }
  if ("band" in t) {
    const bands = Array.isArray(t.band) ? t.band : [t.band];
    const hit = bands.find((b) => bandHolds(b, f, ctx));
    return {
      fired: hit !== undefined,
      reasons: [hit ? bandReason(hit, f, ctx) : `band is ${f.band ? BAND_WORDS[f.band] : "unknown"}`],
      values: { band: f.band, score: f.score },
    };
  }
  if ("score_drop" in t) {
    const { points, days } = t.score_drop;
    const before = scoreDaysAgo(f, days, ctx.now);
    const drop = before === null || f.score === null ? null : before - f.score;
    const fired = drop !== null && drop >= points;
    return {
      fired,
      reasons: [
        before === null || f.score === null || drop === null
          ? `no score within ${days} days to compare`
          : fired
            ? `score fell from ${fmt(before)} to ${fmt(f.score)} in ${days} days`
            : drop > 0
              ? `score ${fmt(f.score)}, down ${fmt(drop)} from ${fmt(before)} within ${days} days (under ${fmt(points)})`
              : `score ${fmt(f.score)}, not down from ${fmt(before)} within ${days} days`,
      ],
      values: { score: f.score, score_before: before, drop_days: days },
    };
  }
  if ("model_flag" in t) {
    return {
      fired: f.flagged,
      reasons: [
        f.flagged
          ? `flagged by the churn model (churn probability ${pct(f.churn_probability ?? 0)}%)`
          : "not flagged by the churn model",
      ],
      values: { churn_probability: f.churn_probability, flagged: f.flagged },
    };
  }
  if ("churn_probability" in t) {
    const p = f.churn_probability;
    const fired = p !== null && p >= t.churn_probability.at_least;
    return {
      fired,
      reasons: [
        p === null
          ? "no churn probability"
          : `churn probability ${pct(p)}% ${fired ? "at or above" : "below"} ${pct(t.churn_probability.at_least)}%`,
      ],
      values: { churn_probability: p },
    };
  }
  if ("signal" in t) {
    const wanted = Array.isArray(t.signal) ? t.signal : [t.signal];
    const present = wanted.filter((s) => f.signals.includes(s));
    return {
      fired: present.length > 0,
      reasons: [present.length > 0 ? `signal: ${present.map(signalLabel).join(", ")}` : "no such signal"],
      values: { signals: present },
    };
  }
  if ("signals" in t) {
    const { any_of, at_least, within_days } = t.signals;
    const since = within_days === undefined ? null : ctx.now.getTime() - within_days * 86_400_000;
    const seen = (k: string) => {
      if (!f.signals.includes(k)) return false;
      if (since === null) return true;
      const at = f.signal_seen?.[k];
      return at !== undefined && Date.parse(at) >= since;
    };
    const present = any_of.filter(seen);
    const window = within_days === undefined ? "" : ` within ${within_days} days`;
    return {
      fired: present.length >= at_least,
      reasons: [
        present.length === 0
          ? `none of ${any_of.map(signalLabel).join(", ")}${window}`
          : `${present.length} of ${at_least} needed${window}: ${present.map(signalLabel).join(", ")}`,
      ],
      values: { signals: present },
    };
  }
  if ("renewal" in t) {
    const days = f.renewal_date === null ? null : daysUntil(f.renewal_date, ctx.now);
    const notHealthy = f.band !== null && f.band !== "healthy";
    const fired = days !== null && days >= 0 && days <= t.renewal.within_days && notHealthy;
    return {
      fired,
      reasons: [
        days === null
          ? "no renewal date"
          : `renewal in ${days} days (${f.renewal_date}) while ${f.band ? BAND_WORDS[f.band] : "unscored"}`,
      ],
      values: { renewal_date: f.renewal_date, days_to_renewal: days, band: f.band },
    };
  }
  const m = t.metric;
  const v = Object.hasOwn(f.metrics, m.name) ? (f.metrics[m.name] ?? null) : null;
  const fired =
    v !== null && (m.above === undefined || v > m.above) && (m.below === undefined || v < m.below);
  const bounds = [
    m.above !== undefined ? `above ${m.above}` : "",
    m.below !== undefined ? `below ${m.below}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return {
    fired,
    reasons: [
      v === null ? `no value of ${m.name}` : `${m.name} ${num(v)} ${fired ? "is" : "is not"} ${bounds}`,
    ],
    values: { [m.name]: v },
  };
}

/** Whether an account is in a playbook's audience. */
export function inAudience(a: Audience | undefined, f: AccountFacts, team: Team): boolean {
  if (!a) return true;
  if (a.segments && !(f.segment !== null && a.segments.includes(f.segment))) return false;
  if (a.plans && !(f.plan !== null && a.plans.includes(f.plan))) return false;
  if (a.arr_at_least !== undefined && !(f.arr !== null && f.arr >= a.arr_at_least)) return false;
  if (a.owner_team) {
    const leader = team.byEmail.get(a.owner_team.toLowerCase());
    if (!leader || !f.owner_user) return false;
    if (f.owner_user !== leader.id && !team.reportsTo(f.owner_user, leader.id)) return false;
  }
  return true;
}

/** The longest look-back (days) the playbooks' conditions need from the history, with the month before it. */
export function lookBackDays(triggers: readonly Trigger[]): number {
  let days = 30; // the band reasons' 30-day move
  const visit = (t: Trigger) => {
    if ("score_drop" in t) days = Math.max(days, t.score_drop.days);
    if ("all" in t) t.all.forEach(visit);
    if ("any" in t) t.any.forEach(visit);
  };
  triggers.forEach(visit);
  // One month more: the snapshot at or before the window's start (see scoreDaysAgo).
  return days + 31;
}

/** The metric names the playbooks' conditions read. */
export function metricsUsed(triggers: readonly Trigger[]): string[] {
  const names = new Set<string>();
  const visit = (t: Trigger) => {
    if ("metric" in t) names.add(t.metric.name);
    if ("all" in t) t.all.forEach(visit);
    if ("any" in t) t.any.forEach(visit);
  };
  triggers.forEach(visit);
  return [...names];
}
