/**
 * The simulated product's features, as event names. Core features carry the
 * product's value (the scorecard's default "core features" for adoption);
 * secondary ones are adopted by healthier accounts and dropped first.
 */

export const CORE_FEATURES = ["dashboards.view", "reports.run", "records.update", "workflows.run"] as const;

export const SECONDARY_FEATURES = [
  "exports.csv",
  "integrations.sync",
  "comments.create",
  "alerts.configure",
  "api.call",
  "search.query",
] as const;

export type CoreFeature = (typeof CORE_FEATURES)[number];
export type SecondaryFeature = (typeof SECONDARY_FEATURES)[number];
export type Feature = CoreFeature | SecondaryFeature;

/** How people name a feature in tickets and notes. */
export const FEATURE_LABELS: Readonly<Record<Feature, string>> = {
  "dashboards.view": "dashboards",
  "reports.run": "scheduled reports",
  "records.update": "the records editor",
  "workflows.run": "workflows",
  "exports.csv": "CSV exports",
  "integrations.sync": "the integration sync",
  "comments.create": "comments",
  "alerts.configure": "alerts",
  "api.call": "the API",
  "search.query": "search",
};

/** Typical daily count for an engaged user (the mean of `value` at full health). */
export const FEATURE_INTENSITY: Readonly<Record<Feature, number>> = {
  "dashboards.view": 6,
  "reports.run": 2,
  "records.update": 8,
  "workflows.run": 3,
  "exports.csv": 1,
  "integrations.sync": 2,
  "comments.create": 2,
  "alerts.configure": 1,
  "api.call": 12,
  "search.query": 3,
};

/** How likely each core feature is to be a user's main one. */
export const CORE_WEIGHTS: readonly number[] = [0.4, 0.2, 0.28, 0.12];
