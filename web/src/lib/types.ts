/** The shapes the dashboard reads from the API. */
import type { ForecastBacktest } from "../../../src/predict/forecast-backtest.js";
import type { BacktestReport, SideReport } from "../../../src/predict/report.js";

export type Band = "healthy" | "watch" | "at_risk" | "critical";

export interface AccountRow {
  id: string;
  name: string;
  domain: string | null;
  segment: string | null;
  owner: string | null;
  plan: string | null;
  seats: number | null;
  arr: number | null;
  currency: string | null;
  renewal_date: string | null;
  status: string;
  churned_at: string | null;
  churn_reason: string | null;
  score: number | null;
  band: Band | null;
  completeness: number | null;
  churn_probability: number | null;
  /** The churn model in use flags it (probability at or above its flag threshold). */
  churn_flagged?: boolean;
  trend_30d: number | null;
  trend_90d: number | null;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface GroupSummary {
  accounts: number;
  average_score: number | null;
  arr: number;
  at_risk_or_critical: number;
}

export interface Portfolio {
  as_of: string | null;
  scorecard_version: number | null;
  bands: { band: string; accounts: number; arr: number }[];
  movement: { since: string | null; moves: { from: string; to: string; accounts: number; arr: number }[] };
  segments: (GroupSummary & { segment: string })[];
  owners: (GroupSummary & { owner: string })[];
}

export type BandCounts = Record<Band, number>;
export interface Thresholds {
  healthy: number;
  watch: number;
}

export interface Histogram {
  bucket_size: number;
  buckets: { from: number; to: number; accounts: number; bands: BandCounts }[];
  unscored: number;
  thresholds: Thresholds;
}

export interface Sparklines {
  months: string[];
  data: { account: string; scores: (number | null)[] }[];
}

export interface Measure {
  category: string;
  metric: string;
  label?: string;
  raw: number | null;
  percentile?: number;
  points: number | null;
  weight_in_category: number;
  effective_weight: number;
  contribution: number;
}

export interface Snapshot {
  account: string;
  as_of: string;
  score: number | null;
  band: Band | null;
  completeness: number;
  categories: { key: string; name: string; score: number | null; weight: number; completeness: number }[];
  explanation: {
    band_reason: string;
    measures: Measure[];
    drags: {
      category: string;
      metric: string;
      label: string;
      raw: number | null;
      points: number;
      lost_points: number;
    }[];
    improvements: {
      category: string;
      metric: string;
      label: string;
      from: number | null;
      to: number | null;
      points_gained: number;
      sentence: string;
    }[];
  };
  signals: { name: string; detail?: string; label?: string }[];
  metrics: Record<string, number>;
  scorecard_version: number;
}

export interface HistoryPoint {
  month: string;
  score: number | null;
  band: Band | null;
  completeness: number;
}

export interface Trends {
  dates: string[];
  series: { metric: string; label: string; values: (number | null)[] }[];
}

export interface TimelineItem {
  kind: "ticket" | "meeting" | "invoice" | "note" | "survey";
  id: string;
  ts: string;
  title: string;
  detail: Record<string, unknown>;
}

export interface Contact {
  id: string;
  name: string | null;
  email: string | null;
  title: string | null;
  role: string | null;
  active: boolean;
  last_engagement_at: string | null;
  last_engagement: string | null;
}

export interface GroupDistribution {
  group: string;
  accounts: number;
  arr: number;
  average_score: number | null;
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
  bands: BandCounts;
}

export interface Separation {
  metric: string;
  label: string;
  healthy: { accounts: number; mean: number | null; median: number | null };
  at_risk: { accounts: number; mean: number | null; median: number | null };
  auc: number;
  separation: number;
  effect_size: number | null;
  direction: "higher_in_healthy" | "lower_in_healthy" | "no_difference";
}

export interface Transition {
  from_month: string;
  to_month: string;
  from: string;
  to: string;
  accounts: number;
  arr: number;
}

export type Scale =
  | { type: "linear"; worst: number; best: number }
  | { type: "steps"; steps: { min?: number; max?: number; points: number }[] }
  | { type: "percentile"; direction: "higher_is_better" | "lower_is_better" };

export interface ScorecardDef {
  name: string;
  description?: string;
  bands: Thresholds;
  core_features: string[];
  critical_signals: string[];
  categories: {
    key: string;
    name: string;
    description?: string;
    weight: number;
    measures: { metric: string; label?: string; description?: string; weight: number; scale: Scale }[];
  }[];
}

export interface ScorecardResponse {
  version: number;
  scorecard: ScorecardDef;
  source: string;
  created_at: string;
  versions: { version: number; source: string; created_at: string }[];
}

export interface Mover {
  account: string;
  name: string | null;
  before: number | null;
  after: number | null;
  band_before: string | null;
  band_after: string | null;
  change: number;
}

export interface RescoreEffect {
  run: {
    as_of: string;
    scorecard_version: number;
    accounts: number;
    bands: Record<string, { accounts: number; arr: number }>;
    average_score: number | null;
    seconds: number;
  };
  previous_versions: number[];
  changed: number;
  average_change: number | null;
  moves: { from: string; to: string; accounts: number }[];
  up: Mover[];
  down: Mover[];
}

/*
 * The churn model's API shapes are the server's own types (type-only imports,
 * erased from the bundle), so the two cannot drift apart.
 */
export type { CalibrationBin } from "../../../src/predict/evaluate.js";
export type { ChurnForecast, ForecastGroup } from "../../../src/predict/forecast.js";
export type { ForecastPoint } from "../../../src/predict/forecast-backtest.js";
export type { ModelVersionSummary } from "../../../src/predict/model-store.js";
export type { ChurnDriver } from "../../../src/predict/refresh.js";
export type { LeadAtPrecision } from "../../../src/predict/report.js";
export type BacktestSide = SideReport;

/** GET /api/v1/model/report: the stored report with its version (src/api/model-routes.ts). */
export type ModelReport = Omit<BacktestReport, "model"> & {
  model_version: number;
  created_at: string;
  /** `forecast` is missing from reports stored before it existed. */
  model: Omit<BacktestReport["model"], "forecast"> & { forecast?: ForecastBacktest };
};
