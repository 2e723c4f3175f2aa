/**
 * The metric catalogue: what each metric means, its unit, which way is good,
 * its window, and when it is missing. The SQL that computes them lives in
 * usage.ts, support.ts, billing.ts, contract.ts and engagement.ts (one query per area, each
 * computing several metrics in one pass for all accounts as of T).
 *
 * Windows: "30 d" means facts dated in [T − 30 days, T). Usage roll-ups are
 * daily (UTC days), so their window is the 30 whole days before T's UTC day.
 *
 * "A customer at T" below means an account with a subscription started before T.
 */
import { METRIC_LABELS, METRIC_NAMES, type MetricName } from "../domain/index.js";

export interface MetricDefinition {
  name: string;
  label: string;
  description: string;
  unit: string;
  /** "neutral": context (when the contract renews), neither good nor bad for health. */
  direction: "higher_is_better" | "lower_is_better" | "neutral";
  /** How many days of facts before T the metric reads; null when unbounded or not windowed. */
  window_days: number | null;
  /** When the metric has no value for an account (it is left out of the score, never counted as 0). */
  missing_when: string;
}

type Spec = Omit<MetricDefinition, "name" | "label">;

/**
 * The days of roll-ups the usage pass reads (usage.ts): the usage trend's two
 * periods, the event users counted as engaged stakeholders, and how far back
 * `days_since_champion_active` looks (also its cap).
 */
export const USAGE_WINDOW_DAYS = 90;

const USAGE_ZERO = `the account has no usage in the ${USAGE_WINDOW_DAYS} days before T and is not a customer at T, or the store holds no usage at all before T`;

const SPECS: Record<MetricName, Spec> = {
  active_days_per_user_30d: {
    description:
      "Login frequency: distinct (user, day) pairs with product usage in the last 30 days, divided by the distinct users active in them. Events without a user are not counted.",
    unit: "days per user",
    direction: "higher_is_better",
    window_days: 30,
    missing_when: "no user was active in the 30 days before T",
  },
  actions_per_active_day_30d: {
    description:
      "Depth of use: the product actions (the summed `value` of events, a count of 1 when an event carries none) of the last 30 days, divided by the distinct (user, day) pairs they fall on. A customer that still logs in but does less each time is drifting before its active users fall. Events without a user are not counted.",
    unit: "actions per user-day",
    direction: "higher_is_better",
    window_days: 30,
    missing_when: "no user was active in the 30 days before T",
  },
  active_users_30d: {
    description: "Distinct users with any product event in the last 30 days.",
    unit: "users",
    direction: "higher_is_better",
    window_days: 30,
    missing_when: USAGE_ZERO,
  },
  seat_utilisation: {
    description:
      "Active users (30 days) divided by the seats paid for: the seats of the subscription active at T, else the account's seats.",
    unit: "ratio",
    direction: "higher_is_better",
    window_days: 30,
    missing_when: `the seat count is unknown or 0, or ${USAGE_ZERO}`,
  },
  core_feature_adoption_30d: {
    description:
      "Share of the scorecard's core features (event names) used at least once in the last 30 days.",
    unit: "share",
    direction: "higher_is_better",
    window_days: 30,
    missing_when: `no core features are configured, or ${USAGE_ZERO}`,
  },
  usage_trend_pct: {
    description: `Change of the summed event values in the last 30 days against the ${USAGE_WINDOW_DAYS - 30} days before, taken per 30 days, in %: −100 means usage stopped.`,
    unit: "%",
    direction: "higher_is_better",
    window_days: USAGE_WINDOW_DAYS,
    missing_when: `the ${USAGE_WINDOW_DAYS - 30} days before the last 30 hold no usage`,
  },
  tickets_per_10_seats_90d: {
    description: "Support tickets opened in the last 90 days per 10 seats (seats as for seat utilisation).",
    unit: "tickets per 10 seats",
    direction: "lower_is_better",
    window_days: 90,
    missing_when:
      "the seat count is unknown or 0, or the account opened no ticket in 90 days and either is not a customer at T or the store holds no tickets before T",
  },
  urgent_tickets_open: {
    description:
      "Urgent tickets open at T: opened before T and not resolved before T (by resolved_at; a ticket without resolved_at counts as open only while its status is open or pending).",
    unit: "tickets",
    direction: "lower_is_better",
    window_days: null,
    missing_when:
      "the account has no open urgent ticket and either is not a customer at T or the store holds no tickets before T",
  },
  median_first_response_hours_90d: {
    description:
      "Median hours from opening to first response, over tickets opened in the last 90 days that had a response before T.",
    unit: "hours",
    direction: "lower_is_better",
    window_days: 90,
    missing_when: "no ticket opened in the 90 days before T had a response before T",
  },
  median_resolution_hours_90d: {
    description:
      "Median hours from opening to resolution, over tickets opened in the last 90 days and resolved before T.",
    unit: "hours",
    direction: "lower_is_better",
    window_days: 90,
    missing_when: "no ticket opened in the 90 days before T was resolved before T",
  },
  ticket_sentiment_90d: {
    description:
      "Mean sentiment (−1 angry … 1 happy, scored from subject and body at ingest) of tickets opened in the last 90 days.",
    unit: "score (−1 to 1)",
    direction: "higher_is_better",
    window_days: 90,
    missing_when: "no ticket with text was opened in the 90 days before T",
  },
  csat_180d: {
    description:
      "Mean CSAT (1–5) of the last 180 days: every ticket rating (dated when the ticket was resolved) and every CSAT survey answer, each counting once.",
    unit: "score (1–5)",
    direction: "higher_is_better",
    window_days: 180,
    missing_when: "no CSAT rating or answer in the 180 days before T",
  },
  nps_latest: {
    description:
      "Mean of each respondent's latest NPS answer (0–10) in the last 365 days; answers without a contact count as their own respondent.",
    unit: "score (0–10)",
    direction: "higher_is_better",
    window_days: 365,
    missing_when: "no NPS answer in the 365 days before T",
  },
  avg_days_late_180d: {
    description:
      "Mean days paid after the due date over invoices due in the last 180 days (void ones excluded); an invoice unpaid at T counts its days overdue up to T; on time or early counts 0.",
    unit: "days",
    direction: "lower_is_better",
    window_days: 180,
    missing_when: "no invoice was due in the 180 days before T",
  },
  failed_payments_180d: {
    description: "Invoices due in the last 180 days whose payment failed (status failed).",
    unit: "payments",
    direction: "lower_is_better",
    window_days: 180,
    missing_when:
      "no invoice was due in the 180 days before T and either the account is not a customer at T or the store holds no invoices before T",
  },
  discount_pct_current: {
    description: "Discount (%) of the subscription active at T (the latest started, if several).",
    unit: "%",
    direction: "lower_is_better",
    window_days: null,
    missing_when: "no subscription is active at T, or it carries no discount_pct",
  },
  seat_growth_180d: {
    description:
      "Change (%) of the subscribed seats at T against 180 days before (the subscription active at each instant).",
    unit: "%",
    direction: "higher_is_better",
    window_days: 180,
    missing_when: "no subscription with seats is active at T, or none with more than 0 seats 180 days before",
  },
  expansion_opportunities_180d: {
    description:
      "Expansion opportunities won or open with a close date in the last 180 days (opportunities carry no creation date, so deals closing after T are not counted).",
    unit: "opportunities",
    direction: "higher_is_better",
    window_days: 180,
    missing_when:
      "no such opportunity, and either the account is not a customer at T or the store holds no opportunities closing before T",
  },
  exec_meeting_attendance_180d: {
    description:
      "Share of meetings held in the last 180 days attended by an executive sponsor or decision maker (roles as the contacts hold them now).",
    unit: "share",
    direction: "higher_is_better",
    window_days: 180,
    missing_when: "no meeting was held in the 180 days before T",
  },
  strategic_reviews_2q: {
    description:
      "QBRs and EBRs held in the last two quarters (182 days) with an executive sponsor or decision maker attending.",
    unit: "meetings",
    direction: "higher_is_better",
    window_days: 182,
    missing_when:
      "no such review, and either the account is not a customer at T or the store holds no meetings before T",
  },
  engaged_stakeholders_90d: {
    description:
      "Distinct contacts active in the last 90 days: attended a held meeting, wrote an inbound note, answered a survey, opened a ticket, or used the product (an event whose user is one of the account's contacts, by contact id or email).",
    unit: "contacts",
    direction: "higher_is_better",
    window_days: 90,
    missing_when: "nobody was engaged, and either the account is not a customer at T or it has no contacts",
  },
  days_since_exec_contact: {
    description:
      "Days from the last contact with an executive sponsor or decision maker (a held meeting they attended, or a note from or with them that is not outbound) to T.",
    unit: "days",
    direction: "lower_is_better",
    window_days: null,
    missing_when: "no executive contact before T, ever",
  },
  days_since_champion_active: {
    description: `Days from the last day a champion (a contact whose role is champion, as it is now) used the product (an event whose user is the champion's contact id or email) to T's day, looking back ${USAGE_WINDOW_DAYS} days: ${USAGE_WINDOW_DAYS} when no champion was active in that time. A champion who has gone quiet, or left, often comes before a churn that the account's overall usage does not show yet.`,
    unit: "days",
    direction: "lower_is_better",
    window_days: USAGE_WINDOW_DAYS,
    missing_when:
      "the account has no champion among its contacts, or (when no champion was active in the window) it is not a customer at T or the store holds no usage before T",
  },
  days_to_renewal: {
    description:
      "Days from T to the contract's next renewal on or after T: renewals fall every `term_months` (of the subscription active at T) after the contract's start: the first subscription of the account's current unbroken run (a customer who left and came back starts a new contract). Context for the churn model: a customer on an annual contract can only leave at its renewal.",
    unit: "days",
    direction: "neutral",
    window_days: null,
    missing_when: "no subscription is active at T, or it carries no term_months",
  },
  contract_term_months: {
    description: "Contract term (months) of the subscription active at T: 1 monthly, 12 annual.",
    unit: "months",
    direction: "neutral",
    window_days: null,
    missing_when: "no subscription is active at T, or it carries no term_months",
  },
  tenure_days: {
    description:
      "Days from the contract's start (as for days_to_renewal: the first subscription of the current unbroken run) to T.",
    unit: "days",
    direction: "higher_is_better",
    window_days: null,
    missing_when: "no subscription is active at T",
  },
};

export const METRICS: readonly MetricDefinition[] = METRIC_NAMES.map((name) => ({
  name,
  label: METRIC_LABELS[name],
  ...SPECS[name],
}));

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));

/** The catalogue entry of a metric; undefined for names outside the catalogue (imported metrics). */
export function metricDefinition(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}
