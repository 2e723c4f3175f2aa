/**
 * What an attempt to deliver a message came to, and what happens next:
 * delivered, tried again later (exponential backoff with jitter over about
 * two days, honouring Retry-After), or given up on (dead, or gone: the
 * receiver said the address no longer exists).
 */

export type DeliveryChannel = "email" | "slack" | "webhook";
export type Classification = "delivered" | "retry" | "dead" | "gone";

/** Seconds to wait after failure k (1-based) before attempt k + 1. Attempt 1 is immediate. */
export const RETRY_SCHEDULE_S = [5, 300, 1800, 7200, 18000, 36000, 86400] as const;
/** Attempts in all: the first and one after each wait. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_S.length + 1;
/** Each scheduled wait varies by up to this share either way, so failed messages do not all come back at once. */
export const JITTER = 0.1;
/** The longest Retry-After honoured. */
export const MAX_RETRY_AFTER_MS = 86_400_000;
const MIN_WAIT_MS = 1000;

/**
 * What a receiver's answer means. HTTP (webhooks, Slack): 2xx delivered; 410
 * gone; 408, 429, 5xx and no answer (null) retried; other 4xx and 3xx dead
 * (a redirect is not followed: the endpoint's URL is wrong). SMTP reply
 * codes (email): 2xx delivered, 4xx and no answer retried, 5xx dead.
 * Anything else (no final answer: 1xx, nonsense) is retried.
 */
export function classify(channel: DeliveryChannel, status: number | null): Classification {
  if (status === null) return "retry";
  if (status >= 200 && status < 300) return "delivered";
  if (channel === "email") return status >= 500 && status < 600 ? "dead" : "retry";
  if (status === 410) return "gone";
  if (status === 408 || status === 429) return "retry";
  if (status >= 300 && status < 500) return "dead";
  return "retry";
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const TIME = String.raw`(\d{2}):(\d{2}):(\d{2})`;
/** The three forms RFC 9110 §5.6.7 asks a recipient to accept: IMF-fixdate, RFC 850, asctime. */
const HTTP_DATES: { re: RegExp; d: number; m: number; y: number; t: number }[] = [
  {
    re: new RegExp(String.raw`^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) ${TIME} gmt$`, "i"),
    d: 1,
    m: 2,
    y: 3,
    t: 4,
  },
  {
    re: new RegExp(String.raw`^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) ${TIME} gmt$`, "i"),
    d: 1,
    m: 2,
    y: 3,
    t: 4,
  },
  {
    re: new RegExp(String.raw`^[a-z]{3} ([a-z]{3}) ([ \d]\d) ${TIME} (\d{4})$`, "i"),
    d: 2,
    m: 1,
    y: 6,
    t: 3,
  },
];

function httpDateMs(text: string, now: Date): number | null {
  for (const f of HTTP_DATES) {
    const m = f.re.exec(text);
    if (!m) continue;
    const month = MONTHS.indexOf((m[f.m] ?? "").toLowerCase());
    const day = Number((m[f.d] ?? "").trim());
    let year = Number(m[f.y]);
    // RFC 850's two-digit year: the century that puts it no more than 50 years ahead.
    if ((m[f.y] ?? "").length === 2) {
      year += 2000;
      if (year > now.getUTCFullYear() + 50) year -= 100;
    }
    const [h, min, s] = [Number(m[f.t]), Number(m[f.t + 1]), Number(m[f.t + 2])];
    const ms = Date.UTC(year, month, day, h, min, s);
    const back = new Date(ms);
    // A date that does not exist (31 Feb, 25:00) is garbage, not the day after.
    if (month < 0 || back.getUTCDate() !== day || back.getUTCHours() !== h || back.getUTCMinutes() !== min)
      return null;
    if (s > 59) return null;
    return ms;
  }
  return null;
}

/**
 * How long a receiver asked us to wait (Retry-After: seconds, or an HTTP
 * date), in ms, at most a day; null when absent, garbage or in the past.
 */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const text = header.trim();
  let ms: number | null;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = httpDateMs(text, now);
    ms = at === null ? null : at - now.getTime();
  }
  if (ms === null || Number.isNaN(ms) || ms < 0) return null;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

export type NextStep =
  | { kind: "delivered" }
  | { kind: "retry"; at: Date }
  | { kind: "dead"; reason: string }
  | { kind: "gone"; reason: string };

export type AttemptOutcome = {
  channel: DeliveryChannel;
  /** Attempts made, this one included (1 after the first). */
  attempts: number;
  /** HTTP status or SMTP reply code; null when no answer came. */
  status: number | null;
  /** The receiver's Retry-After header, as sent. */
  retryAfter: string | null;
  now: Date;
  /** In [0, 1): Math.random, or a fixed one in tests. */
  random: () => number;
};

/** The schedule's whole span up to `attempts` attempts, in seconds. */
export function scheduleSpanS(attempts = MAX_ATTEMPTS): number {
  return RETRY_SCHEDULE_S.slice(0, Math.max(0, attempts - 1)).reduce((a, b) => a + b, 0);
}

const spanWords = (attempts: number) => {
  const s = scheduleSpanS(Math.min(attempts, MAX_ATTEMPTS));
  return s >= 7200 ? `${Math.floor(s / 3600)} h` : `${Math.max(1, Math.floor(s / 60))} min`;
};

/** What happens after an attempt: done, again at a time, or given up on, with why in words. */
export function nextStep(o: AttemptOutcome): NextStep {
  const c = classify(o.channel, o.status);
  const who = o.channel === "email" ? "the mail server" : "the receiver";
  switch (c) {
    case "delivered":
      return { kind: "delivered" };
    case "gone":
      return { kind: "gone", reason: `${who} answered ${o.status} (gone): not retried` };
    case "dead":
      return { kind: "dead", reason: `${who} answered ${o.status}: not retried` };
    case "retry":
      break;
  }
  if (o.attempts >= MAX_ATTEMPTS) {
    const what = o.status === null ? "no answer" : `still ${o.status}`;
    return { kind: "dead", reason: `${what} after ${o.attempts} attempts over ${spanWords(o.attempts)}` };
  }
  const asked = retryAfterMs(o.retryAfter, o.now);
  const scheduled = RETRY_SCHEDULE_S[Math.max(0, o.attempts - 1)]! * 1000;
  const wait =
    asked !== null
      ? Math.max(MIN_WAIT_MS, asked)
      : Math.round(scheduled * (1 + JITTER * (2 * o.random() - 1)));
  return { kind: "retry", at: new Date(o.now.getTime() + wait) };
}
