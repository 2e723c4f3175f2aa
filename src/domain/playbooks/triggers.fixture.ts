import { DAY_MS } from "./durations.js";
import type { AccountFacts, BandThresholds } from "./facts.js";
import type { Trigger } from "./schema.js";
import { evaluateTrigger } from "./triggers.js";

/** What the trigger tests share: a fixed now, the default bands, an account's facts. */
export const NOW = new Date("2025-06-01T00:00:00Z");
export const BANDS: BandThresholds = { healthy: 75, watch: 60 };
export const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY_MS).toISOString();

export function facts(over: Partial<AccountFacts> = {}): AccountFacts {
  return {
    account: "acc_1",
    name: "Acme",
    segment: "enterprise",
    plan: "pro",
    arr: 50_000,
    renewal_date: null,
    owner_user: null,
    score: 68,
    band: "watch",
    churn_probability: null,
    flagged: false,
    signals: [],
    metrics: {},
    history: [],
    ...over,
  };
}

export const run = (t: Trigger, f: AccountFacts, holdingBy?: number) =>
  evaluateTrigger(
    t,
    f,
    holdingBy === undefined ? { now: NOW, bands: BANDS } : { now: NOW, bands: BANDS, holdingBy },
  );
