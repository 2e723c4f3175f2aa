/**
 * The metric catalogue and its computation: per account, as of an instant T,
 * from facts dated before T, with set-based SQL (a few queries for all accounts).
 */
export { METRICS, type MetricDefinition, metricDefinition } from "./catalogue.js";
export { CHURN_PHRASES } from "./churn-phrases.js";
export { computeMetrics } from "./compute.js";
export { type AccountSignal, CANCELLATION_TAGS, computeSignals } from "./critical-signals.js";
export type { MetricContext } from "./scope.js";
