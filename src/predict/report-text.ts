import type { BacktestReport, SideReport } from "./report.js";

/** The backtest report as a short table for people. */

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? "-" : `${(x * 100).toFixed(1)}%`;
const fixed = (digits: number) => (x: number | null | undefined) =>
  x === null || x === undefined ? "-" : x.toFixed(digits);
const int = (x: number | null | undefined) => (x === null || x === undefined ? "-" : String(Math.round(x)));

export function formatReport(r: BacktestReport): string {
  const model = `model (${r.model.kind})`;
  const card = `scorecard${r.scorecard.version === null ? "" : ` v${r.scorecard.version}`}`;
  const rows: [string, (s: SideReport) => string][] = [
    ["ROC AUC", (s) => fixed(3)(s.auc)],
    ["PR AUC", (s) => fixed(3)(s.pr_auc)],
    ["top-decile lift", (s) => fixed(2)(s.top_decile_lift)],
    ["Brier score", (s) => fixed(4)(s.brier)],
    ["flag precision", (s) => pct(s.precision)],
    ["flag recall", (s) => pct(s.recall)],
    ["warned >= 60 days", (s) => pct(s.lead_60_share)],
    ["warned >= 90 days", (s) => pct(s.lead_90_share)],
    ["median lead (days)", (s) => int(s.median_lead_days)],
  ];
  const width = Math.max(model.length, card.length, 10);
  const o = r.observations;
  const out = [
    `Backtest: churn within ${r.horizon_days} days, ${r.method.replace("_", " ")} (${r.splits.filter((s) => !s.skipped).length} splits)`,
    `  ${o.rows} observations ${o.first_date ?? "-"} .. ${o.last_date ?? "-"} (${o.unlabelled} unlabelled, known until ${r.known_until?.slice(0, 10) ?? "-"}), ${o.features} features`,
    `  tested on ${o.test_rows} held-out observations, ${o.test_positives} churned within the horizon; lead time over ${r.model.lead.churners} churners`,
    "",
    `${"".padEnd(20)}${model.padStart(width)}  ${card.padStart(width)}`,
    ...rows.map(
      ([label, f]) => `${label.padEnd(20)}${f(r.model).padStart(width)}  ${f(r.scorecard).padStart(width)}`,
    ),
    "",
    `  model flag: calibrated probability >= ${fixed(3)(r.model.flag_threshold)} (${r.model.calibration_method} calibration, chosen for precision >= ${pct(r.model.flag_min_precision)}); candidates ${r.model.candidates.map((c) => `${c.kind} ${fixed(3)(c.auc)}`).join(", ")}`,
    `  scorecard flag: ${r.scorecard.flag_rule} (${r.scorecard.name}${r.scorecard.source === "active" ? "" : `, ${r.scorecard.source}`})`,
  ];
  if (r.model.lead_by_precision.length > 0) {
    out.push("", "  model flag at other precisions   recall  warned >= 60 d  >= 90 d");
    for (const l of r.model.lead_by_precision)
      out.push(
        `  precision >= ${pct(l.min_precision).padEnd(19)}${pct(l.recall).padStart(7)}${pct(l.lead_60_share).padStart(16)}${pct(l.lead_90_share).padStart(9)}`,
      );
  }
  const bins = (r.model.calibration ?? []).filter((b) => b.count > 0);
  if (bins.length > 0) {
    out.push("", "  model calibration   predicted  observed     rows");
    for (const b of bins)
      out.push(
        `  ${`${b.from.toFixed(1)}-${b.to.toFixed(1)}`.padEnd(18)}${pct(b.mean_predicted).padStart(10)}${pct(b.observed_rate).padStart(10)}${String(b.count).padStart(9)}`,
      );
  }
  const forecast = r.model.forecast;
  if (forecast.by_date.length > 0) {
    out.push("", "  model forecast by month   accounts: expected   churned      ARR: expected      churned");
    for (const f of forecast.by_date)
      out.push(
        `  ${f.date.padEnd(22)}${f.expected.toFixed(1).padStart(20)}${String(f.churned).padStart(10)}${int(f.expected_arr).padStart(18)}${int(f.churned_arr).padStart(13)}`,
      );
    out.push(
      `  mean error a month${pct(forecast.mean_abs_error).padStart(37)}${pct(forecast.mean_abs_error_arr).padStart(31)}`,
      `  months in the 80% range${pct(forecast.spread.accounts.within_range).padStart(32)}${pct(forecast.spread.arr.within_range).padStart(31)}`,
    );
  }
  return out.join("\n");
}
