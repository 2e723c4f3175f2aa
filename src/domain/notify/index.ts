export { bandLabel, contentOf, isSeverity, severityOf } from "./alert-content.js";
export { countInDay, type LocalDay, localDay, withinBudget } from "./budget.js";
export {
  type DigestGroup,
  type DigestItem,
  digestDueAt,
  groupDigest,
  lastDigestMoment,
  nextDigestAt,
  SEVERITY_ORDER,
  severityRank,
} from "./digest.js";
export { addDays, atLocal, isTimeZone, type LocalParts, localMidnight, localParts } from "./local-time.js";
export { formatClock, parseClock, quietUntil } from "./quiet-hours.js";
export {
  type AttemptOutcome,
  type Classification,
  classify,
  type DeliveryChannel,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  type NextStep,
  nextStep,
  RETRY_SCHEDULE_S,
  retryAfterMs,
  scheduleSpanS,
} from "./retry.js";
export {
  dedupeKey,
  deliveryByMode,
  recipientKey,
  recipientsOf,
  routeEvents,
  subscriptionMatches,
} from "./route.js";
export {
  type AlertContent,
  type EndpointRule,
  EVENT_TYPES,
  type EventFacts,
  type EventType,
  type NewAlert,
  type NewMessage,
  type QuietHours,
  type Recipient,
  type RouteContext,
  type RouteResult,
  type Severity,
  type SubscriptionRule,
  TEST_EVENT,
  type TeamNotifySettings,
  type UserPrefs,
} from "./types.js";
