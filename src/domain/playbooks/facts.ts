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
  /** Signals present (critical signals now; the signals issue's kinds plug in here). */
  signals: string[];
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
