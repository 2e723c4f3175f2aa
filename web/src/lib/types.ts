/** The shapes the dashboard reads from the API. */
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

/** GET /api/v1/model/report: the churn model's backtest beside the scorecard's (see src/predict/report.ts). */
export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  mean_predicted: number | null;
  observed_rate: number | null;
}

export interface BacktestSide {
  auc: number | null;
  pr_auc: number | null;
  top_decile_lift: number | null;
  brier: number | null;
  precision: number | null;
  recall: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
  median_lead_days: number | null;
  lead: { churners: number; warned: number };
  calibration: CalibrationBin[] | null;
}

export interface LeadAtPrecision {
  min_precision: number;
  threshold: number | null;
  precision: number | null;
  recall: number | null;
  lead_60_share: number | null;
  lead_90_share: number | null;
}

export interface ModelReport {
  model_version: number;
  created_at: string;
  horizon_days: number;
  known_until: string | null;
  method: string;
  splits: { name: string; train_rows: number; test_rows: number; skipped: boolean }[];
  observations: {
    rows: number;
    labelled: number;
    test_rows: number;
    test_positives: number;
    features: number;
    first_date: string | null;
    last_date: string | null;
  };
  model: BacktestSide & {
    kind: string;
    candidates: { kind: string; auc: number | null }[];
    calibration_method: string;
    flag_threshold: number | null;
    flag_min_precision: number | null;
    lead_by_precision: LeadAtPrecision[];
    /** Missing from reports stored before it existed. */
    forecast?: { by_date: ForecastPoint[]; mean_abs_error: number | null };
  };
  scorecard: BacktestSide & { name: string; version: number | null; source: string; flag_rule: string };
}

/** GET /api/v1/models: every trained version, newest first, with its headline backtest figures. */
export interface ModelVersionSummary {
  version: number;
  created_at: string;
  horizon_days: number;
  kind: string;
  flag_min_precision: number | null;
  model: { auc: number | null; lead_60_share: number | null; precision: number | null };
  scorecard: { auc: number | null; lead_60_share: number | null; precision: number | null };
}

/** GET /api/v1/model/forecast: the churn to expect within the horizon from the current predictions. */
export interface ForecastGroup {
  segment: string | null;
  accounts: number;
  expected_churns: number;
  arr: number;
  expected_churned_arr: number;
  flagged: number;
  flagged_arr: number;
}

export interface ChurnForecast {
  model_version: number;
  horizon_days: number;
  flag_threshold: number | null;
  as_of: string | null;
  total: ForecastGroup;
  segments: ForecastGroup[];
}

export interface ForecastPoint {
  date: string;
  observations: number;
  expected: number;
  churned: number;
}
