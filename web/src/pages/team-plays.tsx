import { Async, Empty, Panel } from "../components/states";
import { ROLE_LABEL } from "../lib/access";
import { query } from "../lib/api";
import { addDays, count, isoDate, percent } from "../lib/format";
import { OUTCOME_LABEL, type Outcome, type TeamPlays, type TeamPlaysRow } from "../lib/plays";
import { Link, navigate, useLocation } from "../lib/router";
import { useUser } from "../lib/session";
import type { Role } from "../lib/types";
import { useApi } from "../lib/use-api";

function Outcomes({ by }: { by: TeamPlaysRow["closed_by_outcome"] }) {
  const parts = (Object.entries(by ?? {}) as [Outcome, number][]).filter(([, n]) => n > 0);
  if (!parts.length) return null;
  return (
    <small className="outcomes">
      {parts.map(([o, n]) => `${count(n)} ${OUTCOME_LABEL[o]?.toLowerCase() ?? o}`).join(" · ")}
    </small>
  );
}

function Share({ value }: { value: number | null }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  return <span className={value < 0.8 ? "share-low" : undefined}>{percent(value)}</span>;
}

function Rows({ people }: { people: TeamPlaysRow[] }) {
  return (
    <>
      {people.map((p) => {
        return (
          <tr key={p.user.id} data-testid="team-row" data-user={p.user.id} data-email={p.user.email}>
            <td>
              <Link to={`/work?owner=${encodeURIComponent(p.user.id)}`} className="account-link">
                {p.user.name}
              </Link>{" "}
              <span className="tag">{ROLE_LABEL[p.user.role as Role] ?? p.user.role}</span>
            </td>
            <td className="num" data-testid="team-open">
              {count(p.open)}
            </td>
            <td className={p.overdue > 0 ? "num overdue-count" : "num"} data-testid="team-overdue">
              {count(p.overdue)}
            </td>
            <td className="num">
              <span data-testid="team-closed">{count(p.closed)}</span>
              <Outcomes by={p.closed_by_outcome} />
            </td>
            <td className="num" data-testid="team-ack-on-time">
              <Share value={p.acknowledged_on_time_share} />
            </td>
            <td className="num" data-testid="team-done-on-time">
              <Share value={p.done_on_time_share} />
            </td>
            <td className="num" data-testid="team-per-week">
              {p.opened_per_week.toFixed(1)}
            </td>
          </tr>
        );
      })}
    </>
  );
}

/**
 * The Team page: per CSM, the plays open, overdue and closed, the SLA kept
 * (acknowledged on time, done on time) and the load per week; a row leads to
 * that person's plays.
 */
export function TeamPlaysPage() {
  const me = useUser();
  const { params } = useLocation();
  const from = params.get("from") ?? isoDate(addDays(new Date(), -90));
  const to = params.get("to") ?? isoDate(new Date());
  const team = useApi<TeamPlays>(
    `/api/v1/team/plays${query({ from: params.get("from"), to: params.get("to") })}`,
  );
  const set = (k: "from" | "to", v: string) => {
    const q = new URLSearchParams(params);
    if (v) q.set(k, v);
    else q.delete(k);
    navigate(`/team?${q.toString()}`, { replace: true });
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Team</h1>
        <p className="muted">
          {me.role === "leader" ? "Your team's plays" : "Everyone's plays"}: open and overdue now; closed, on
          time and opened in the period.
        </p>
      </div>
      <search className="filters">
        <label className="inline-label">
          From{" "}
          <input
            type="date"
            value={from}
            max={to}
            onChange={(e) => set("from", e.target.value)}
            data-testid="team-from"
          />
        </label>
        <label className="inline-label">
          To{" "}
          <input
            type="date"
            value={to}
            min={from}
            onChange={(e) => set("to", e.target.value)}
            data-testid="team-to"
          />
        </label>
      </search>
      <Panel title="Plays per person" id="team-plays">
        <Async value={team} what="the team's plays" height={160}>
          {(t) =>
            t.people.length === 0 ? (
              <Empty>Nobody on your team yet.</Empty>
            ) : (
              <>
                <div className="table-wrap">
                  <table className="team-plays" data-testid="team-table">
                    <thead>
                      <tr>
                        <th scope="col">Person</th>
                        <th scope="col" className="num">
                          Open
                        </th>
                        <th scope="col" className="num">
                          Overdue
                        </th>
                        <th scope="col" className="num">
                          Closed
                        </th>
                        <th scope="col" className="num" title="Share of plays acknowledged by their deadline">
                          Acknowledged on time
                        </th>
                        <th scope="col" className="num" title="Share of plays closed by their due time">
                          Done on time
                        </th>
                        <th scope="col" className="num">
                          Opened per week
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <Rows people={t.people} />
                    </tbody>
                  </table>
                </div>
                {t.unassigned_open > 0 && (
                  <p className="notice small" data-testid="unassigned-open">
                    {count(t.unassigned_open)} open play{t.unassigned_open === 1 ? " has" : "s have"} no
                    owner: <Link to="/work?owner=unassigned">see them</Link>.
                  </p>
                )}
              </>
            )
          }
        </Async>
      </Panel>
    </div>
  );
}
