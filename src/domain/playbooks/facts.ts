import type { Band } from "../bands.js";

/** What a playbook sees of an account at the moment it is evaluated. */
export interface AccountFacts {
  account: string;
  name: string;
  segment: string | null;
  plan: string | null;
  arr: number | null;
  /** YYYY-MM-DD. */
  renewal_date: string | null;
  /** The user the account's owner resolves to. */
  owner_user: string | null;
  score: number | null;
  band: Band | null;
  churn_probability: number | null;
  /** At or above the churn model's flag threshold. */
  flagged: boolean;
  /** Signals present: the scorecard's critical signals and the kinds of the account's active signals. */
  signals: string[];
  /** When each active signal kind's latest evidence dates from (ISO), for "two signals within 30 days". */
  signal_seen?: Record<string, string>;
  metrics: Record<string, number | null>;
  /** Earlier scores, any order: the monthly history within the longest look-back any playbook needs. */
  history: { at: string; score: number | null }[];
}

/** Band thresholds of the active scorecard. */
export interface BandThresholds {
  healthy: number;
  watch: number;
}

export type TeamMember = {
  id: string;
  email: string;
  name: string;
  role: string;
  manager_id: string | null;
  active: boolean;
};
