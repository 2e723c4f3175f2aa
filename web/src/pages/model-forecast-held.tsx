import { useState } from "react";
import { ForecastChart, type ForecastMeasure } from "../charts/forecast-backtest";
import { percent } from "../lib/format";
import type { StoredForecast } from "../lib/types";

/**
 * Did the forecast hold: per tested month, the churn the model expected
 * (held-out probabilities summed) beside the churn that followed, in accounts
 * or in ARR (each account weighted by its ARR on the date).
 */

const MEASURES: { key: ForecastMeasure; label: string }[] = [
  { key: "accounts", label: "Accounts" },
  { key: "arr", label: "ARR" },
];

export function ForecastHeld({ forecast, horizonDays }: { forecast: StoredForecast; horizonDays: number }) {
  const [measure, setMeasure] = useState<ForecastMeasure>("accounts");
  // Reports from before ARR was weighed carry no ARR figures (and some histories no ARR at all): accounts only.
  const hasArr = forecast.mean_abs_error_arr !== undefined && forecast.mean_abs_error_arr !== null;
  const shown = hasArr ? measure : "accounts";
  const error = shown === "arr" ? forecast.mean_abs_error_arr : forecast.mean_abs_error;
  const within = forecast.spread?.[shown].within_range;
  return (
    <>
      {hasArr && (
        <fieldset className="band-filter measure-toggle" data-testid="forecast-measure">
          <legend className="sr-only">Measure</legend>
          {MEASURES.map((m) => (
            <button
              type="button"
              key={m.key}
              className="chip"
              aria-pressed={shown === m.key}
              onClick={() => setMeasure(m.key)}
              data-testid={`forecast-measure-${m.key}`}
            >
              {m.label}
            </button>
          ))}
        </fieldset>
      )}
      <p className="muted small" data-testid="forecast-held">
        <span className="legend-swatch" style={{ background: "#1d4ed8" }} />
        The churn the model expected each month the backtest tested (with its 80% range), summed from models
        that had not seen that
        {shown === "arr" ? " month, each account weighted by its ARR on the date; " : " month; "}
        <span className="legend-swatch" style={{ background: "#cbd5e1" }} />
        {shown === "arr" ? "the ARR of the accounts" : "the accounts"} that churned within {horizonDays} days.
        Off by <span data-testid="forecast-error">{percent(error)}</span> a month on average
        {shown === "arr" && (forecast.observations_without_arr ?? 0) > 0
          ? ` (${forecast.observations_without_arr} observations had no known ARR and are left out)`
          : ""}
        .
        {within !== null && within !== undefined && (
          <span data-testid="forecast-within">
            {" "}
            {percent(within)} of the months fell within the 80% range the forecast gives
            {shown === "arr" ? " (a few large accounts decide a month's lost ARR, so its range is wide)" : ""}
            .
          </span>
        )}
      </p>
      <ForecastChart points={forecast.by_date} measure={shown} />
    </>
  );
}
