import { describe, expect, it } from "vitest";
import {
  type Classification,
  classify,
  type DeliveryChannel,
  MAX_ATTEMPTS,
  nextStep,
  RETRY_SCHEDULE_S,
  retryAfterMs,
  scheduleSpanS,
} from "./retry.js";

const NOW = new Date("2026-01-15T12:00:00Z");
const fixed = (r: number) => () => r;

describe("the schedule", () => {
  it("is 8 attempts spanning 41 h 35 min 5 s", () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(scheduleSpanS()).toBe(149_705);
    expect(scheduleSpanS() / 3600).toBeCloseTo(41.58, 2);
    expect(scheduleSpanS(1)).toBe(0);
    expect(scheduleSpanS(3)).toBe(305);
  });
});

describe("classify", () => {
  const http: [number | null, Classification][] = [
    [200, "delivered"],
    [201, "delivered"],
    [204, "delivered"],
    [299, "delivered"],
    [null, "retry"],
    [408, "retry"],
    [429, "retry"],
    [500, "retry"],
    [502, "retry"],
    [503, "retry"],
    [599, "retry"],
    [410, "gone"],
    [301, "dead"],
    [302, "dead"],
    [400, "dead"],
    [401, "dead"],
    [403, "dead"],
    [404, "dead"],
    [413, "dead"],
    [422, "dead"],
    [100, "retry"],
  ];
  for (const channel of ["webhook", "slack"] as DeliveryChannel[])
    it.each(http)(`${channel}: %s is %s`, (status, expected) => {
      expect(classify(channel, status)).toBe(expected);
    });

  const smtp: [number | null, Classification][] = [
    [250, "delivered"],
    [null, "retry"],
    [421, "retry"],
    [450, "retry"],
    [451, "retry"],
    [452, "retry"],
    [535, "dead"],
    [550, "dead"],
    [553, "dead"],
    [554, "dead"],
  ];
  it.each(smtp)("email: %s is %s", (status, expected) => {
    expect(classify("email", status)).toBe(expected);
  });
});

describe("retryAfterMs", () => {
  const cases: [string | null, number | null][] = [
    [null, null],
    ["120", 120_000],
    [" 30 ", 30_000],
    ["0", 0],
    ["86400", 86_400_000],
    ["90000", 86_400_000], // capped at a day
    ["99999999999999999999999", 86_400_000],
    ["-5", null],
    ["1.5", null],
    ["", null],
    ["soon", null],
    ["30s", null],
    // HTTP dates: IMF-fixdate, RFC 850, asctime
    ["Thu, 15 Jan 2026 12:02:00 GMT", 120_000],
    ["Thursday, 15-Jan-26 12:02:00 GMT", 120_000],
    ["Thu Jan 15 12:02:00 2026", 120_000],
    ["Thu Jan  8 12:00:00 2026", null], // in the past
    ["Thu, 15 Jan 2026 11:59:59 GMT", null], // in the past
    ["Thu, 15 Jan 2026 12:00:00 GMT", 0],
    ["Sat, 17 Jan 2026 12:00:00 GMT", 86_400_000], // capped
    ["Thu, 31 Feb 2026 12:00:00 GMT", null], // no such day
    ["Thu, 15 Jan 2026 25:00:00 GMT", null],
    ["Thu, 15 Foo 2026 12:02:00 GMT", null],
    ["2026-01-15T12:02:00Z", null], // not an HTTP date
  ];
  it.each(cases)("%j is %s ms", (header, expected) => {
    expect(retryAfterMs(header, NOW)).toBe(expected);
  });
});

describe("nextStep", () => {
  const base = { channel: "webhook" as const, retryAfter: null, now: NOW, random: fixed(0.5) };

  it("waits the schedule after each failure (no jitter at random 0.5)", () => {
    const waits = RETRY_SCHEDULE_S.map((_, k) => {
      const s = nextStep({ ...base, attempts: k + 1, status: 503 });
      return s.kind === "retry" ? (s.at.getTime() - NOW.getTime()) / 1000 : s.kind;
    });
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 86400]);
  });

  it("dies after the 8th attempt, with why in words", () => {
    expect(nextStep({ ...base, attempts: 8, status: null })).toEqual({
      kind: "dead",
      reason: "no answer after 8 attempts over 41 h",
    });
    expect(nextStep({ ...base, attempts: 8, status: 503 })).toEqual({
      kind: "dead",
      reason: "still 503 after 8 attempts over 41 h",
    });
    // a replayed message keeps counting: one more try, then the dead letter again
    expect(nextStep({ ...base, attempts: 9, status: 500 }).kind).toBe("dead");
    expect(nextStep({ ...base, attempts: 7, status: 500 }).kind).toBe("retry");
  });

  const jitter: [number, number, number][] = [
    // [attempts, random, wait in ms]
    [1, 0, 4_500],
    [1, 0.5, 5_000],
    [1, 0.999999, 5_500],
    [2, 0, 270_000],
    [2, 0.75, 315_000],
    [7, 0, 77_760_000],
    [7, 0.999999, 95_039_983],
  ];
  it.each(jitter)("after attempt %d with random %d waits %d ms (±10%%)", (attempts, r, wait) => {
    const s = nextStep({ ...base, attempts, status: 500, random: fixed(r) });
    expect(s.kind === "retry" && s.at.getTime() - NOW.getTime()).toBe(wait);
  });

  it("keeps every jittered wait within ±10% of the schedule", () => {
    for (let k = 1; k < MAX_ATTEMPTS; k++)
      for (const r of [0, 0.1, 0.37, 0.5, 0.81, 0.9999]) {
        const s = nextStep({ ...base, attempts: k, status: null, random: fixed(r) });
        const wait = s.kind === "retry" ? s.at.getTime() - NOW.getTime() : Number.NaN;
        const scheduled = RETRY_SCHEDULE_S[k - 1]! * 1000;
        expect(wait).toBeGreaterThanOrEqual(scheduled * 0.9);
        expect(wait).toBeLessThanOrEqual(scheduled * 1.1);
      }
  });

  const asked: [string, number][] = [
    ["120", 120_000],
    ["0", 1_000], // at least a second
    ["Thu, 15 Jan 2026 13:00:00 GMT", 3_600_000],
    ["172800", 86_400_000], // at most a day
  ];
  it.each(asked)("honours Retry-After %j exactly: %d ms", (retryAfter, wait) => {
    const s = nextStep({ ...base, attempts: 1, status: 429, retryAfter, random: fixed(0) });
    expect(s.kind === "retry" && s.at.getTime() - NOW.getTime()).toBe(wait);
  });

  it("falls back to the schedule for a Retry-After it cannot read", () => {
    const s = nextStep({ ...base, attempts: 2, status: 429, retryAfter: "later", random: fixed(0.5) });
    expect(s.kind === "retry" && s.at.getTime() - NOW.getTime()).toBe(300_000);
  });

  it("does not retry what will not change", () => {
    expect(nextStep({ ...base, attempts: 1, status: 404 })).toEqual({
      kind: "dead",
      reason: "the receiver answered 404: not retried",
    });
    expect(nextStep({ ...base, attempts: 1, status: 410 })).toEqual({
      kind: "gone",
      reason: "the receiver answered 410 (gone): not retried",
    });
    expect(nextStep({ ...base, channel: "slack", attempts: 3, status: 404 }).kind).toBe("dead");
    expect(nextStep({ ...base, channel: "slack", attempts: 3, status: 410 }).kind).toBe("gone");
    expect(nextStep({ ...base, channel: "email", attempts: 1, status: 550 })).toEqual({
      kind: "dead",
      reason: "the mail server answered 550: not retried",
    });
    // a refusal with Retry-After is still a refusal
    expect(nextStep({ ...base, attempts: 1, status: 403, retryAfter: "5" }).kind).toBe("dead");
  });

  it("delivers on 2xx and on SMTP 250", () => {
    expect(nextStep({ ...base, attempts: 8, status: 200 })).toEqual({ kind: "delivered" });
    expect(nextStep({ ...base, channel: "email", attempts: 1, status: 250 })).toEqual({ kind: "delivered" });
  });

  it("retries a mail server's 4xx", () => {
    const s = nextStep({ ...base, channel: "email", attempts: 1, status: 451 });
    expect(s.kind === "retry" && s.at.getTime() - NOW.getTime()).toBe(5_000);
  });
});
