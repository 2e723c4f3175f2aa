import { useEffect, useState } from "react";
import { Async, Panel } from "../components/states";
import { day, money } from "../lib/format";
import { type AccountPlays, OUTCOME_LABEL, type Play } from "../lib/plays";
import { useApi } from "../lib/use-api";
import { PlayBadge, PlayCard } from "./play-card";

function History({ plays }: { plays: Play[] }) {
  return (
    <div className="table-wrap">
      <table className="play-history" data-testid="play-history">
        <thead>
          <tr>
            <th scope="col">Play</th>
            <th scope="col">Opened</th>
            <th scope="col">Closed</th>
            <th scope="col">Outcome</th>
            <th scope="col">Note</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {plays.map((p) => (
            <tr key={p.id} data-testid="play-history-row" data-id={p.id} data-outcome={p.outcome ?? ""}>
              <td>
                <PlayBadge name={p.name} tier={p.tier} /> <span className="muted small">{p.name}</span>
              </td>
              <td>{day(p.opened_at)}</td>
              <td>{day(p.closed_at)}</td>
              <td data-testid="history-outcome">
                <span className={`outcome outcome-${p.outcome ?? "none"}`}>
                  {p.outcome ? OUTCOME_LABEL[p.outcome] : "—"}
                </span>
                {p.outcome_amount !== null && <small> +{money(p.outcome_amount)}</small>}
              </td>
              <td className="wrap">{p.outcome_note ?? <span className="muted">—</span>}</td>
              <td>{p.owner?.name ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The account's open plays (with their steps and actions) and its history of plays and outcomes. */
export function AccountPlaysPanel({ id }: { id: string }) {
  const loaded = useApi<AccountPlays>(`/api/v1/accounts/${encodeURIComponent(id)}/plays`);
  const [changed, setChanged] = useState<Map<string, Play>>(new Map());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reload starts from the server's answer
  useEffect(() => setChanged(new Map()), [loaded.data]);
  const onChanged = (p: Play) => setChanged((m) => new Map(m).set(p.id, p));
  /** A play closed here moves from the open ones to the top of the history. */
  const arrange = (d: AccountPlays): AccountPlays => {
    const now = d.open.map((p) => changed.get(p.id) ?? p);
    return {
      open: now.filter((p) => p.state !== "closed"),
      history: [...now.filter((p) => p.state === "closed"), ...d.history],
    };
  };
  return (
    <Panel title="Plays" id="account-plays" className="account-plays">
      <Async value={loaded} what="the plays" height={80}>
        {(d) => {
          const all = arrange(d);
          return (
            <>
              {all.open.length === 0 && all.history.length === 0 ? (
                <p className="muted" data-testid="no-open-play">
                  No play has opened on this account.
                </p>
              ) : all.open.length === 0 ? (
                <p className="muted" data-testid="no-open-play">
                  No play is open on this account.
                </p>
              ) : (
                <div className="plays" data-testid="account-open-plays">
                  {all.open.map((p) => (
                    <PlayCard key={p.id} play={p} onChanged={onChanged} />
                  ))}
                </div>
              )}
              <h3 className="subhead">History</h3>
              <History plays={all.history} />
            </>
          );
        }}
      </Async>
    </Panel>
  );
}
