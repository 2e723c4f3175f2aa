import { arr, count, day } from "../lib/format";
import { Link } from "../lib/router";
import type { LandscapeCompetitor } from "../lib/signals";

/** Accounts shown per competitor before "and N more". */
const SHOWN = 6;

function Accounts({ c }: { c: LandscapeCompetitor }) {
  const shown = c.top_accounts.slice(0, SHOWN);
  const more = c.accounts - shown.length;
  return (
    <span className="landscape-accounts">
      {shown.map((a, i) => (
        <span key={a.id}>
          {i > 0 && ", "}
          <Link
            to={`/accounts/${encodeURIComponent(a.id)}`}
            className={a.active ? undefined : "cleared-link"}
          >
            {a.name}
          </Link>
          {a.arr !== null && <span className="muted"> ({arr(a.arr)})</span>}
        </span>
      ))}
      {more > 0 && <span className="muted"> and {count(more)} more</span>}
    </span>
  );
}

/** The competitors named most (by how many accounts), with their accounts and ARR: the competitive landscape. */
export function Landscape({ competitors, since }: { competitors: LandscapeCompetitor[]; since: string }) {
  if (competitors.length === 0)
    return (
      <p className="muted" data-testid="no-competitors">
        No competitor has been named since {day(since)}. Competitors are set with{" "}
        <code>keepwell competitors set</code> or <code>PUT /api/v1/competitors</code>.
      </p>
    );
  return (
    <div className="table-wrap">
      <table className="landscape" data-testid="landscape">
        <thead>
          <tr>
            <th scope="col">Competitor</th>
            <th scope="col" className="num">
              Accounts
            </th>
            <th scope="col" className="num">
              Still active
            </th>
            <th scope="col" className="num">
              ARR
            </th>
            <th scope="col" className="num">
              Records naming it
            </th>
            <th scope="col">Last named</th>
            <th scope="col">Accounts naming it (largest first)</th>
          </tr>
        </thead>
        <tbody>
          {competitors.map((c) => (
            <tr key={c.competitor} data-testid="landscape-row" data-competitor={c.competitor}>
              <th scope="row">{c.competitor}</th>
              <td className="num" data-testid="landscape-accounts">
                {count(c.accounts)}
              </td>
              <td className="num">{count(c.active_accounts)}</td>
              <td className="num" data-testid="landscape-arr">
                {arr(c.arr)}
              </td>
              <td className="num">{count(c.mentions)}</td>
              <td>{day(c.last_seen)}</td>
              <td className="wrap">
                <Accounts c={c} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
