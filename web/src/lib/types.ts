/**
 * The shapes the dashboard reads from the API: the server's own types
 * (type-only imports, erased from the bundle), so the two cannot drift apart.
 * Each is what the route sends as JSON: dates are already ISO strings on the
 * server (src/store turns timestamps and dates into strings).
 */
import type { Bands } from "../../../src/domain/scorecard-schema.js";
import type { ScoreHistogram } from "../../../src/insights/distributions.js";
import type { RescoreEffect as ServerRescoreEffect } from "../../../src/insights/rescore.js";
import type { ForecastBacktest, ForecastPoint } from "../../../src/predict/forecast-backtest.js";
import type { BacktestReport, SideReport } from "../../../src/predict/report.js";
import type { RunSummary } from "../../../src/scoring/run.js";

export type { Band } from "../../../src/domain/bands.js";
export type { MeasureExplanation as Measure } from "../../../src/domain/explain.js";
export type { Scale, Scorecard as ScorecardDef } from "../../../src/domain/scorecard-schema.js";
// GET /api/v1/accounts (a page of them) and /api/v1/accounts/:id (`account`).
export type {
  AccountListed as AccountListRow,
  AccountWithScore as AccountRow,
  OpenPlayMark,
} from "../../../src/facts/accounts.js";
export type { Page } from "../../../src/facts/pages.js";
export type {
  ContactEngagement as Contact,
  MetricTrends as Trends,
  TimelineItem,
} from "../../../src/insights/account-story.js";
export type { BandCounts, GroupDistribution } from "../../../src/insights/distributions.js";
export type { BandTransition as Transition } from "../../../src/insights/movement.js";
export type { Mover, ScorecardCheck } from "../../../src/insights/rescore.js";
export type { MetricSeparation as Separation } from "../../../src/insights/separation.js";
export type { Sparklines } from "../../../src/insights/sparklines.js";
// GET /api/v1/portfolio; /api/v1/accounts/:id/score (Snapshot) and /scores (`history`).
export type {
  GroupSummary,
  Portfolio,
  ScoreHistoryPoint as HistoryPoint,
  ScoreSnapshot as Snapshot,
} from "../../../src/scoring/read.js";
// GET /api/v1/scorecard: the active version and the version history.
export type { ActiveScorecard as ScorecardResponse } from "../../../src/scoring/scorecards.js";

/** The active scorecard's band thresholds. */
export type Thresholds = Bands;

/** GET /api/v1/insights/score-histogram: the histogram with the thresholds to draw (src/api/dashboard-routes.ts). */
export type Histogram = ScoreHistogram & { thresholds: Thresholds };

/**
 * POST /api/v1/insights/rescore. The route's response schema leaves out the
 * run's `target` (always "current" here), so the dashboard never sees it.
 */
export type RescoreEffect = Omit<ServerRescoreEffect, "run"> & { run: Omit<RunSummary, "target"> };

// The churn model's API shapes.
export type { CalibrationBin } from "../../../src/predict/evaluate.js";
export type { ChurnForecast, ForecastGroup } from "../../../src/predict/forecast.js";

/** ARR figures and ranges are missing from reports stored before the forecast was weighed by ARR. */
type ArrFields<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type StoredForecastPoint = ArrFields<
  ForecastPoint,
  "expected_arr" | "churned_arr" | "expected_sd" | "expected_arr_sd" | "expected_range" | "expected_arr_range"
>;
export type StoredForecast = ArrFields<
  Omit<ForecastBacktest, "by_date">,
  "mean_abs_error_arr" | "observations_without_arr" | "spread"
> & { by_date: StoredForecastPoint[] };
export type { ModelVersionSummary } from "../../../src/predict/model-store.js";
export type { AccountPrediction, ChurnDriver } from "../../../src/predict/refresh.js";
export type { LeadAtPrecision } from "../../../src/predict/report.js";
export type BacktestSide = SideReport;

/** GET /api/v1/model/report: the stored report with its version (src/api/model-routes.ts). */
export type ModelReport = Omit<BacktestReport, "model"> & {
  model_version: number;
  created_at: string;
  /** `forecast` is missing from reports stored before it existed (and its ARR figures from those before them). */
  model: Omit<BacktestReport["model"], "forecast"> & { forecast?: StoredForecast };
};

// The team: users, API keys, account owners and the audit log (src/auth, src/api/team-routes.ts).
export type { AuditEntry } from "../../../src/auth/audit.js";
export type { OwnerResolution } from "../../../src/auth/owners.js";
export type { ApiKey, User } from "../../../src/auth/principal.js";
export type { Role, Scope } from "../../../src/auth/roles.js";

import type { User as TeamUser } from "../../../src/auth/principal.js";
/** POST /api/v1/session, /setup and /password-reset: the user and the session's CSRF token (src/api/session-routes.ts). */
export type SessionStarted = { user: TeamUser; csrf_token?: string };
/** GET /api/v1/auth/methods: what the sign-in page offers. */
export type AuthMethods = { password: boolean; oidc: { login_url: string } | null };
