/**
 * The metric catalogue's names (computed per account as of a date by `src/metrics`),
 * with the human labels used in explanations. A scorecard may also name metrics
 * outside this list (pushed in through the `metrics` entity); those are labelled
 * from their name.
 */
export const METRIC_NAMES = [
  "active_days_per_user_30d",
  "actions_per_active_day_30d",
  "active_users_30d",
  "seat_utilisation",
  "core_feature_adoption_30d",
  "usage_trend_pct",
  "tickets_per_10_seats_90d",
  "urgent_tickets_open",
  "median_first_response_hours_90d",
  "median_resolution_hours_90d",
  "ticket_sentiment_90d",
  "csat_180d",
  "nps_latest",
  "avg_days_late_180d",
  "failed_payments_180d",
  "discount_pct_current",
  "seat_growth_180d",
  "expansion_opportunities_180d",
  "exec_meeting_attendance_180d",
  "strategic_reviews_2q",
  "engaged_stakeholders_90d",
  "days_since_exec_contact",
  "days_since_champion_active",
  "days_to_renewal",
  "contract_term_months",
  "tenure_days",
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

export const METRIC_LABELS: Record<MetricName, string> = {
  active_days_per_user_30d: "active days per user",
  actions_per_active_day_30d: "actions per active day",
  active_users_30d: "active users",
  seat_utilisation: "seat utilisation",
  core_feature_adoption_30d: "core feature adoption",
  usage_trend_pct: "usage trend (%)",
  tickets_per_10_seats_90d: "tickets per 10 seats",
  urgent_tickets_open: "open urgent tickets",
  median_first_response_hours_90d: "median first response time (hours)",
  median_resolution_hours_90d: "median resolution time (hours)",
  ticket_sentiment_90d: "ticket sentiment",
  csat_180d: "CSAT",
  nps_latest: "NPS",
  avg_days_late_180d: "average days late on invoices",
  failed_payments_180d: "failed payments",
  discount_pct_current: "current discount (%)",
  seat_growth_180d: "seat growth (%)",
  expansion_opportunities_180d: "expansion opportunities",
  exec_meeting_attendance_180d: "executive meeting attendance",
  strategic_reviews_2q: "strategic reviews with an executive",
  engaged_stakeholders_90d: "engaged stakeholders",
  days_since_exec_contact: "days since executive contact",
  days_since_champion_active: "days since the champion was active",
  days_to_renewal: "days to renewal",
  contract_term_months: "contract term (months)",
  tenure_days: "tenure (days)",
};

const KNOWN = new Set<string>(METRIC_NAMES);

export function isMetricName(name: string): name is MetricName {
  return KNOWN.has(name);
}

/** The human label of a metric: the catalogue's label, else its name with spaces. */
export function metricLabel(metric: string): string {
  return isMetricName(metric) ? METRIC_LABELS[metric] : metric.replaceAll("_", " ");
}
