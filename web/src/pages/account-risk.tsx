import { Async, Panel } from "../components/states";
import { capital, percent, raw } from "../lib/format";
import { Link } from "../lib/router";
import type { AccountPrediction } from "../lib/types";
import { useApi } from "../lib/use-api";

/** A change or a value against the portfolio reads with its sign. */
function driverValue(feature: string, value: number | null): string {
  if (value === null) return "no data";
  const signed = /:change_\d+m$|:vs_portfolio$/.test(feature);
  return signed && value > 0 ? `+${raw(value)}` : raw(value);
}

/**
 * The churn model's view of the account: its probability of churning within
 * the model's horizon, whether the model flags it, and the features that move
 * that probability most, each with the account's value and which way it pushes.
 */
export function ChurnRisk({ id }: { id: string }) {
  const prediction = useApi<AccountPrediction>(`/api/v1/accounts/${encodeURIComponent(id)}/prediction`);
  const widest = Math.max(1e-9, ...(prediction.data?.drivers ?? []).map((d) => Math.abs(d.contribution)));
  return (
    <Panel title="Churn risk" id="churn-risk">
      <Async value={prediction} what="the churn prediction" height={120}>
        {(p) => (
          <div className="churn-panel" data-testid="churn-risk">
            <div>
              <p className="churn-headline">
                <strong data-testid="churn-probability">{percent(p.churn_probability, 1)}</strong> chance of
                churning within {p.horizon_days} days{" "}
                {p.flagged ? (
                  <span className="tag flagged" data-testid="churn-flag">
                    flagged
                  </span>
                ) : (
                  <span className="muted">(not flagged)</span>
                )}
              </p>
              <p className="muted small">
                Model v{p.model_version}, as of the score of {p.as_of.slice(0, 10)}.{" "}
                <Link to="/model">How accurate it has been</Link>
              </p>
            </div>
            {p.drivers.length > 0 && (
              <ul className="drivers" data-testid="churn-drivers">
                {p.drivers.map((d) => (
                  <li key={d.feature} className={d.effect}>
                    <span className="driver-label">
                      {capital(d.label)} <strong>{driverValue(d.feature, d.value)}</strong>
                    </span>
                    <span className="driver-effect">
                      {d.effect === "raises" ? "raises risk" : "lowers risk"}
                    </span>
                    <span className="bar" aria-hidden="true">
                      <span style={{ width: `${(Math.abs(d.contribution) / widest) * 100}%` }} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </Async>
    </Panel>
  );
}
