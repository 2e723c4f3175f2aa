import { MiniLine } from "../charts/mini-line";
import { ScoreHistoryChart, type ScorePoint } from "../charts/score-history";
import { Async, Panel } from "../components/states";
import { capital, day, money, relativeDays, words } from "../lib/format";
import type { Contact, HistoryPoint, Snapshot, TimelineItem, Trends } from "../lib/types";
import { type Loaded, useApi } from "../lib/use-api";

/** The monthly history (up to 24 months) and the current score, with the band thresholds drawn. */
export function HistoryPanel(props: {
  history: Loaded<{ history: HistoryPoint[] }> & { reload: () => void };
  current?: Snapshot;
  thresholds: { healthy: number; watch: number };
}) {
  return (
    <Panel title="Score history" id="history">
      <Async value={props.history} what="the score history" height={240}>
        {(h) => {
          const points: ScorePoint[] = h.history
            .slice(-24)
            .map((p) => ({ date: p.month, score: p.score, band: p.band }));
          if (props.current)
            points.push({
              date: props.current.as_of,
              score: props.current.score,
              band: props.current.band,
              current: true,
            });
          return points.length < 2 ? (
            <div className="state state-empty">
              Not enough history yet: monthly scores appear here as they are made.
            </div>
          ) : (
            <ScoreHistoryChart points={points} thresholds={props.thresholds} />
          );
        }}
      </Async>
    </Panel>
  );
}

/** Key metrics month by month: usage, support and payments. */
export function MetricTrends({ id }: { id: string }) {
  const trends = useApi<Trends>(`/api/v1/insights/accounts/${encodeURIComponent(id)}/trends?months=24`);
  return (
    <Panel title="Key metrics" id="trends">
      <Async value={trends} what="the metric trends" height={110}>
        {(t) =>
          t.dates.length === 0 ? (
            <div className="state state-empty">No metrics yet.</div>
          ) : (
            <div className="mini-grid">
              {t.series.map((s) => (
                <MiniLine key={s.metric} label={capital(s.label)} dates={t.dates} values={s.values} />
              ))}
            </div>
          )
        }
      </Async>
    </Panel>
  );
}

/** A ticket's tone from its sentiment (−1..1), in words and colour. */
function Tone({ sentiment }: { sentiment: unknown }) {
  if (typeof sentiment !== "number") return <span className="tone unknown">tone unknown</span>;
  const kind = sentiment <= -0.2 ? "negative" : sentiment >= 0.2 ? "positive" : "neutral";
  return (
    <span className={`tone ${kind}`} title={`sentiment ${sentiment.toFixed(2)} on −1…1`}>
      {kind} ({sentiment >= 0 ? "+" : "−"}
      {Math.abs(sentiment).toFixed(2)})
    </span>
  );
}

function describe(item: TimelineItem) {
  const d = item.detail;
  switch (item.kind) {
    case "ticket":
      return (
        <>
          <Tone sentiment={d.sentiment} />{" "}
          <span className="muted">{[d.priority, d.status].filter(Boolean).join(" · ")}</span>
          {typeof d.csat === "number" && <span className="muted"> · CSAT {d.csat}</span>}
        </>
      );
    case "meeting":
      return (
        <span className="muted">
          {String(d.status)} · {String(d.attendees)} attendee{d.attendees === 1 ? "" : "s"}
        </span>
      );
    case "invoice":
      return (
        <span className={d.status === "failed" ? "warning" : "muted"}>
          {money(d.amount as number, d.currency as string)} · {String(d.status)}
          {typeof d.days_late === "number" && d.days_late > 0
            ? ` · paid ${Math.round(d.days_late)} days late`
            : ""}
        </span>
      );
    case "note":
      return <span className="muted">{[d.channel, d.direction].filter(Boolean).join(" · ")}</span>;
    case "survey":
      return (
        <span className="muted">
          score {String(d.score)}
          {d.comment ? ` · “${String(d.comment)}”` : ""}
        </span>
      );
  }
}

const TITLES: Record<TimelineItem["kind"], (i: TimelineItem) => string> = {
  ticket: (i) => i.title,
  meeting: (i) => `${i.title.length <= 3 ? i.title.toUpperCase() : capital(words(i.title))} meeting`,
  invoice: () => "Invoice",
  note: (i) => i.title,
  survey: (i) => `${i.title.toUpperCase()} survey`,
};

/** The account's recent facts, newest first. */
export function Timeline({ id }: { id: string }) {
  const items = useApi<{ data: TimelineItem[] }>(
    `/api/v1/insights/accounts/${encodeURIComponent(id)}/timeline?limit=30`,
  );
  return (
    <Panel title="Recent activity" id="timeline">
      <Async value={items} what="the timeline" height={200}>
        {(t) =>
          t.data.length === 0 ? (
            <div className="state state-empty">No tickets, meetings, invoices, notes or surveys yet.</div>
          ) : (
            <ol className="timeline" data-testid="timeline">
              {t.data.map((i) => (
                <li key={`${i.kind}:${i.id}`} className={`tl-${i.kind}`}>
                  <span className="tl-kind">{i.kind}</span>
                  <div>
                    <div className="tl-title">{TITLES[i.kind](i)}</div>
                    <div className="tl-detail">{describe(i)}</div>
                  </div>
                  <time dateTime={i.ts} title={i.ts}>
                    {day(i.ts)}
                  </time>
                </li>
              ))}
            </ol>
          )
        }
      </Async>
    </Panel>
  );
}

/** The people at the account: role, whether active, and when they last engaged. */
export function Contacts({ id }: { id: string }) {
  const contacts = useApi<{ data: Contact[] }>(
    `/api/v1/insights/accounts/${encodeURIComponent(id)}/contacts`,
  );
  return (
    <Panel title="Contacts" id="contacts">
      <Async value={contacts} what="the contacts" height={200}>
        {(c) =>
          c.data.length === 0 ? (
            <div className="state state-empty">No contacts known.</div>
          ) : (
            <ul className="contacts" data-testid="contacts">
              {c.data.map((p) => (
                <li key={p.id} className={p.active ? undefined : "inactive"}>
                  <div>
                    <strong>{p.name ?? p.email ?? p.id}</strong>
                    {!p.active && <span className="tag">inactive</span>}
                    <div className="muted">{[p.title, p.email].filter(Boolean).join(" · ")}</div>
                  </div>
                  <div className="contact-side">
                    <span className="role">{words(p.role)}</span>
                    <span className="muted" title={p.last_engagement_at ?? undefined}>
                      {p.last_engagement_at
                        ? `${p.last_engagement} ${relativeDays(p.last_engagement_at)}`
                        : "never engaged"}
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </Panel>
  );
}
