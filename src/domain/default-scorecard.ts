import type { Scorecard } from "./scorecard-schema.js";

/**
 * The seed model: the scorecard Keepwell starts with. `DEFAULT_SCORECARD_YAML` is the
 * same scorecard as commented YAML (what `keepwell.scorecard.yaml` starts as); a
 * test keeps the two identical.
 */

/** Core features for the core feature adoption metric (event names). The simulator uses these too. */
export const DEFAULT_CORE_FEATURES: readonly string[] = [
  "dashboards.view",
  "reports.run",
  "records.update",
  "workflows.run",
];

export const DEFAULT_SCORECARD: Scorecard = {
  name: "Default scorecard",
  bands: { healthy: 75, watch: 60 },
  core_features: [...DEFAULT_CORE_FEATURES],
  critical_signals: [
    "open_cancellation_or_escalation_ticket",
    "executive_detractor",
    "executive_sponsor_inactive",
    "churn_notice",
  ],
  categories: [
    {
      key: "product_engagement",
      name: "Product engagement",
      weight: 40,
      measures: [
        { metric: "active_days_per_user_30d", weight: 3, scale: { type: "linear", worst: 2, best: 15 } },
        {
          metric: "core_feature_adoption_30d",
          weight: 3,
          scale: {
            type: "steps",
            steps: [
              { min: 0, points: 0 },
              { min: 0.25, points: 40 },
              { min: 0.5, points: 70 },
              { min: 0.75, points: 100 },
            ],
          },
        },
        { metric: "seat_utilisation", weight: 2, scale: { type: "linear", worst: 0.3, best: 0.9 } },
        { metric: "usage_trend_pct", weight: 2, scale: { type: "linear", worst: -40, best: 20 } },
      ],
    },
    {
      key: "support_health",
      name: "Support health",
      weight: 20,
      measures: [
        { metric: "tickets_per_10_seats_90d", weight: 2, scale: { type: "linear", worst: 8, best: 1 } },
        { metric: "ticket_sentiment_90d", weight: 3, scale: { type: "linear", worst: -0.5, best: 0.5 } },
        { metric: "csat_180d", weight: 3, scale: { type: "linear", worst: 3, best: 4.7 } },
        {
          metric: "urgent_tickets_open",
          weight: 2,
          scale: {
            type: "steps",
            steps: [
              { max: 0, points: 100 },
              { max: 1, points: 50 },
              { max: 2, points: 20 },
            ],
          },
        },
        {
          metric: "median_first_response_hours_90d",
          weight: 1,
          scale: { type: "linear", worst: 24, best: 2 },
        },
      ],
    },
    {
      key: "financial_behaviour",
      name: "Financial behaviour",
      weight: 20,
      measures: [
        { metric: "avg_days_late_180d", weight: 3, scale: { type: "linear", worst: 30, best: 0 } },
        {
          metric: "failed_payments_180d",
          weight: 2,
          scale: {
            type: "steps",
            steps: [
              { max: 0, points: 100 },
              { max: 1, points: 50 },
            ],
          },
        },
        { metric: "discount_pct_current", weight: 2, scale: { type: "linear", worst: 40, best: 10 } },
        { metric: "seat_growth_180d", weight: 2, scale: { type: "linear", worst: -20, best: 20 } },
        { metric: "expansion_opportunities_180d", weight: 1, scale: { type: "linear", worst: 0, best: 2 } },
      ],
    },
    {
      key: "executive_engagement",
      name: "Executive engagement",
      weight: 20,
      measures: [
        {
          metric: "exec_meeting_attendance_180d",
          weight: 1,
          scale: { type: "linear", worst: 0, best: 0.75 },
        },
        { metric: "strategic_reviews_2q", weight: 1, scale: { type: "linear", worst: 0, best: 2 } },
        { metric: "engaged_stakeholders_90d", weight: 1, scale: { type: "linear", worst: 1, best: 5 } },
        { metric: "days_since_exec_contact", weight: 1, scale: { type: "linear", worst: 120, best: 30 } },
      ],
    },
  ],
};

const flowList = (items: readonly string[]) => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;

export const DEFAULT_SCORECARD_YAML = `# Keepwell scorecard: how an account's health score (0-100) is made.
#
# Each measure turns one metric into 0-100 points:
#   linear      0 points at \`worst\`, 100 at \`best\`, clamped; worst > best means lower is better
#   steps       the points of the step reached: \`min\` steps (higher is better, ascending),
#               or \`max\` steps (lower is better, ascending); 0 points below/above them all
#   percentile  rank within the account's segment x 100 (\`direction: lower_is_better\` flips it)
# Weights are relative (they need not add up to 100). A measure with no data is left out
# and its weight shared within its category; a category with no data shares its weight
# with the other categories. The score records how complete its inputs were.

name: Default scorecard

# score >= healthy -> healthy; >= watch -> watch; below -> at_risk
bands: { healthy: 75, watch: 60 }

# Event names counted by the core feature adoption metric.
core_features: ${flowList(DEFAULT_CORE_FEATURES)}

# Any of these present makes the account critical, whatever its score.
critical_signals:
  - open_cancellation_or_escalation_ticket
  - executive_detractor
  - executive_sponsor_inactive
  - churn_notice

categories:
  - key: product_engagement
    name: Product engagement
    weight: 40
    measures:
      # Days each active user was active in the last 30: 2 is occasional, 15 (3-4 a week) a habit.
      - metric: active_days_per_user_30d
        weight: 3
        scale: { type: linear, worst: 2, best: 15 }
      # Share of the core features used in the last 30 days: with four, 1 -> 40, 2 -> 70, 3+ -> 100.
      - metric: core_feature_adoption_30d
        weight: 3
        scale:
          type: steps
          steps:
            - { min: 0, points: 0 }
            - { min: 0.25, points: 40 }
            - { min: 0.5, points: 70 }
            - { min: 0.75, points: 100 }
      # Active users / paid seats: under 30% is shelfware, 90% is every seat in use.
      - metric: seat_utilisation
        weight: 2
        scale: { type: linear, worst: 0.3, best: 0.9 }
      # Usage change vs the previous period (%): -40% is a collapse, +20% is healthy growth; flat earns 67.
      - metric: usage_trend_pct
        weight: 2
        scale: { type: linear, worst: -40, best: 20 }

  - key: support_health
    name: Support health
    weight: 20
    measures:
      # Tickets per 10 seats in 90 days (lower is better): 1 is quiet, 8 is struggling.
      - metric: tickets_per_10_seats_90d
        weight: 2
        scale: { type: linear, worst: 8, best: 1 }
      # Mean ticket sentiment (-1..1): -0.5 is angry, +0.5 is happy.
      - metric: ticket_sentiment_90d
        weight: 3
        scale: { type: linear, worst: -0.5, best: 0.5 }
      # Mean CSAT (1-5) over 180 days: 3 is lukewarm, 4.7 is delighted.
      - metric: csat_180d
        weight: 3
        scale: { type: linear, worst: 3, best: 4.7 }
      # Open urgent tickets (lower is better): none 100, one 50, two 20, more 0.
      - metric: urgent_tickets_open
        weight: 2
        scale:
          type: steps
          steps:
            - { max: 0, points: 100 }
            - { max: 1, points: 50 }
            - { max: 2, points: 20 }
      # Median hours to first response (lower is better): 2 is prompt, a day is too slow.
      - metric: median_first_response_hours_90d
        weight: 1
        scale: { type: linear, worst: 24, best: 2 }

  - key: financial_behaviour
    name: Financial behaviour
    weight: 20
    measures:
      # Average days invoices were paid late (lower is better): on time is best, a month late is worst.
      - metric: avg_days_late_180d
        weight: 3
        scale: { type: linear, worst: 30, best: 0 }
      # Failed payments in 180 days (lower is better): none 100, one 50, two or more 0.
      - metric: failed_payments_180d
        weight: 2
        scale:
          type: steps
          steps:
            - { max: 0, points: 100 }
            - { max: 1, points: 50 }
      # Current discount (%, lower is better): up to 10% is ordinary, 40% is discount dependency.
      - metric: discount_pct_current
        weight: 2
        scale: { type: linear, worst: 40, best: 10 }
      # Seat count change over 180 days (%): -20% is contraction, +20% is expansion.
      - metric: seat_growth_180d
        weight: 2
        scale: { type: linear, worst: -20, best: 20 }
      # Expansion opportunities opened in 180 days: none 0, two or more 100.
      - metric: expansion_opportunities_180d
        weight: 1
        scale: { type: linear, worst: 0, best: 2 }

  - key: executive_engagement
    name: Executive engagement
    weight: 20
    measures:
      # Share of held meetings with an executive sponsor or decision maker present: 75% is full marks.
      - metric: exec_meeting_attendance_180d
        weight: 1
        scale: { type: linear, worst: 0, best: 0.75 }
      # QBRs/EBRs held with an executive in the last two quarters: one a quarter is full marks.
      - metric: strategic_reviews_2q
        weight: 1
        scale: { type: linear, worst: 0, best: 2 }
      # Distinct contacts engaged in 90 days: one is single-threaded, five is well connected.
      - metric: engaged_stakeholders_90d
        weight: 1
        scale: { type: linear, worst: 1, best: 5 }
      # Days since the last contact with an executive (lower is better): a month is fine, four is silence.
      - metric: days_since_exec_contact
        weight: 1
        scale: { type: linear, worst: 120, best: 30 }
`;
