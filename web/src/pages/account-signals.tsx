import { Async, Panel } from "../components/states";
import { capital } from "../lib/format";
import { Link } from "../lib/router";
import { type AccountSignals, countOf } from "../lib/signals";
import { useApi } from "../lib/use-api";
import { SignalCard } from "./signal-evidence";

/** The account's signals: those active now with their evidence, then those cleared lately. */
export function AccountSignalsPanel({ id }: { id: string }) {
  const loaded = useApi<AccountSignals>(`/api/v1/accounts/${encodeURIComponent(id)}/signals`);
  return (
    <Panel
      title="Signals"
      id="account-signals"
      className="account-signals"
      aside={<Link to="/signals">All signals →</Link>}
    >
      <Async value={loaded} what="the signals" height={60}>
        {(d) =>
          d.active.length === 0 && d.recent.length === 0 ? (
            <p className="muted" data-testid="no-signals">
              No signal on this account: no competitor named, no silent stakeholder, no friction seen.
            </p>
          ) : (
            <>
              <p className="muted small" data-testid="signals-count">
                {d.active.length === 0
                  ? "No signal is active now."
                  : `${capital(countOf(d.active.length, "signal"))} active now.`}
              </p>
              <div className="signals-list" data-testid="account-active-signals">
                {d.active.map((s) => (
                  <SignalCard key={s.id} s={s} />
                ))}
              </div>
              {d.recent.length > 0 && (
                <>
                  <h3 className="subhead">Cleared in the last 180 days</h3>
                  <div className="signals-list" data-testid="account-recent-signals">
                    {d.recent.map((s) => (
                      <SignalCard key={s.id} s={s} />
                    ))}
                  </div>
                </>
              )}
            </>
          )
        }
      </Async>
    </Panel>
  );
}
