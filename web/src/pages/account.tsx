import { BandBadge, Completeness, Score, Trend } from "../components/band";
import { Async, ErrorState, Loading, Panel } from "../components/states";
import { bandStyle } from "../lib/bands";
import { day, money, ownerName, percent, relativeDays, segment } from "../lib/format";
import { Link } from "../lib/router";
import type { AccountRow, HistoryPoint, ScorecardResponse, Snapshot } from "../lib/types";
import { useApi } from "../lib/use-api";
import { Categories, Explanation, MeasureTable } from "./account-explain";
import { AccountPlaysPanel } from "./account-plays";
import { ChurnRisk } from "./account-risk";
import { AccountSignalsPanel } from "./account-signals";
import { Contacts, HistoryPanel, MetricTrends, Timeline } from "./account-story";

function Header({ a }: { a: AccountRow }) {
  return (
    <div className="account-head">
      <div>
        <p className="crumbs">
          <Link to="/">Portfolio</Link> / {a.name}
        </p>
        <h1>
          {a.name} {a.status === "churned" && <span className="tag">churned</span>}
        </h1>
        <p className="muted">
          {[
            a.domain,
            segment(a.segment),
            a.plan && `${a.plan} plan`,
            a.seats !== null && `${a.seats} seats`,
            a.owner && `CSM ${ownerName(a)}`,
          ]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {a.status === "churned" && (
          <p className="warning">
            Churned {day(a.churned_at)}
            {a.churn_reason ? `: ${a.churn_reason}` : ""}
          </p>
        )}
      </div>
      <dl className="facts">
        <div>
          <dt>ARR</dt>
          <dd>{money(a.arr, a.currency)}</dd>
        </div>
        <div>
          <dt>Renewal</dt>
          <dd>
            {day(a.renewal_date)}
            {a.renewal_date && <small>{relativeDays(a.renewal_date)}</small>}
          </dd>
        </div>
      </dl>
    </div>
  );
}

function ScoreCard({ s, a }: { s: Snapshot; a: AccountRow }) {
  const style = bandStyle(s.band);
  return (
    <section className="panel score-card" style={{ borderLeftColor: style.fill }} aria-label="Health score">
      <div className="score-main">
        <Score score={s.score} band={s.band} big />
        <div>
          <BandBadge band={s.band} />
          <p className="band-reason" data-testid="band-reason">
            {s.explanation.band_reason}
          </p>
        </div>
      </div>
      <dl className="score-facts">
        <div>
          <dt>30 days</dt>
          <dd>
            <Trend value={a.trend_30d} />
          </dd>
        </div>
        <div>
          <dt>90 days</dt>
          <dd>
            <Trend value={a.trend_90d} label="in 90 days" />
          </dd>
        </div>
        <div>
          <dt>Data</dt>
          <dd>
            <Completeness value={s.completeness} />
          </dd>
        </div>
        {a.churn_probability !== null && (
          <div>
            <dt>Churn risk</dt>
            <dd>{percent(a.churn_probability)}</dd>
          </div>
        )}
        <div>
          <dt>As of</dt>
          <dd>
            {day(s.as_of)} <small>v{s.scorecard_version}</small>
          </dd>
        </div>
      </dl>
      {s.signals.length > 0 && (
        <ul className="signals">
          {s.signals.map((sig) => (
            <li key={sig.name}>
              <strong>{sig.label}</strong>
              {sig.detail && <span> — {sig.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Scored({ id, a }: { id: string; a: AccountRow }) {
  const path = encodeURIComponent(id);
  const snap = useApi<Snapshot>(`/api/v1/accounts/${path}/score`);
  const history = useApi<{ history: HistoryPoint[] }>(`/api/v1/accounts/${path}/scores`);
  const scorecard = useApi<ScorecardResponse>("/api/v1/scorecard");
  const thresholds = scorecard.data?.scorecard.bands ?? { healthy: 75, watch: 60 };
  return (
    <>
      <Async value={snap} what="the score" height={140}>
        {(s) => (
          <>
            <ScoreCard s={s} a={a} />
            <div className="grid-2">
              <Panel title="Categories" id="categories">
                <Categories s={s} />
              </Panel>
              <Panel title="Why this score" id="why">
                <Explanation s={s} />
              </Panel>
            </div>
          </>
        )}
      </Async>
      {a.churn_probability !== null && <ChurnRisk id={id} />}
      <HistoryPanel history={history} current={snap.data} thresholds={thresholds} />
      <MetricTrends id={id} />
      <div className="grid-2 wide-left">
        <Timeline id={id} />
        <Contacts id={id} />
      </div>
      {snap.data && (
        <Panel title="Every measure" id="measures">
          <MeasureTable s={snap.data} />
        </Panel>
      )}
    </>
  );
}

export function AccountPage({ id }: { id: string }) {
  const account = useApi<{ account: AccountRow; counts: Record<string, number> }>(
    `/api/v1/accounts/${encodeURIComponent(id)}`,
  );
  if (account.status === "error" && account.error.status === 404) {
    return (
      <div className="state state-empty">
        <h1>No such account</h1>
        <p>
          There is no account with id <code>{id}</code>. <Link to="/">Back to the portfolio</Link>.
        </p>
      </div>
    );
  }
  if (account.status === "error")
    return <ErrorState error={account.error} onRetry={account.reload} what="the account" />;
  if (!account.data || account.data.account.id !== id)
    return <Loading label="Loading the account…" height={200} />;
  const a = account.data.account;
  const scored = a.score !== null || a.band !== null;
  return (
    <div className="page">
      <Header a={a} />
      <AccountPlaysPanel id={id} />
      <AccountSignalsPanel id={id} />
      {scored ? (
        <Scored id={id} a={a} />
      ) : (
        <>
          <div className="state state-empty" data-testid="not-scored">
            This account has no score yet{a.status === "churned" ? " (churned accounts are not scored)" : ""}.
            Run <code>keepwell score</code> to score it.
          </div>
          <div className="grid-2 wide-left">
            <Timeline id={id} />
            <Contacts id={id} />
          </div>
        </>
      )}
    </div>
  );
}
