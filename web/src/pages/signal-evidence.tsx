import { day, relativeDays } from "../lib/format";
import { Link } from "../lib/router";
import { type Evidence, recordAnchor, recordName, type Signal, signalTitle, times } from "../lib/signals";

/** A sentence with its match highlighted, or the text as it is when nothing matched. */
export function Highlighted({ text, match }: { text: string; match?: [number, number] }) {
  if (!match) return <>{text}</>;
  const [a, b] = match;
  return (
    <>
      {text.slice(0, a)}
      <mark data-testid="evidence-match">{text.slice(a, b)}</mark>
      {text.slice(b)}
    </>
  );
}

/** One piece of evidence: the record it came from (linked where the dashboard shows it) and what it says. */
export function EvidenceItem({ e, account }: { e: Evidence; account: string }) {
  const name = recordName(e);
  const anchor = recordAnchor(e);
  const href = anchor ? `/accounts/${encodeURIComponent(account)}#${anchor}` : null;
  return (
    <li className="evidence" data-testid="evidence" data-entity={e.entity ?? ""}>
      {name && (
        <span className="evidence-source" data-testid="evidence-source">
          {href ? <a href={href}>{name}</a> : name}
          {e.date && <span className="muted"> · {day(e.date)}</span>}
        </span>
      )}
      <q className={e.match ? "evidence-text quoted" : "evidence-text"} data-testid="evidence-text">
        <Highlighted text={e.text} match={e.match} />
      </q>
    </li>
  );
}

/** Who a signal is about, in words: "champion Ravi Martin". */
export function aboutWhom(s: Signal): string | null {
  if (!s.contact) return null;
  const role = s.contact.role ? `${s.contact.role.replaceAll("_", " ")} ` : "";
  return `${role}${s.contact.name ?? s.contact.id}`;
}

/** A signal with its evidence: what it is, about whom, since when, and what raised it. */
export function SignalCard({ s, showAccount = false }: { s: Signal; showAccount?: boolean }) {
  const who = aboutWhom(s);
  return (
    <article
      className={`signal signal-${s.severity}${s.active ? "" : " cleared"}`}
      data-testid="signal"
      data-id={s.id}
      data-kind={s.kind}
    >
      <header className="signal-head">
        <span className={`severity severity-${s.severity}`}>{s.severity}</span>
        <strong className="signal-title">{signalTitle(s.kind)}</strong>
        {s.competitor && <span className="tag competitor">{s.competitor}</span>}
        {who && <span className="signal-who">{who}</span>}
        {showAccount && (
          <Link to={`/accounts/${encodeURIComponent(s.account.id)}`} className="signal-account">
            {s.account.name}
          </Link>
        )}
      </header>
      <p className="signal-summary" data-testid="signal-summary">
        {s.summary}
      </p>
      <p className="muted small signal-when">
        First seen {day(s.first_seen)}, last seen {relativeDays(s.last_seen)}
        {s.occurrences > 1 ? `, seen ${times(s.occurrences)}` : ""}
        {s.cleared_at ? `; cleared ${day(s.cleared_at)}` : ""}
      </p>
      {s.evidence.length > 0 && (
        <ul className="evidence-list">
          {s.evidence.map((e) => (
            <EvidenceItem
              key={`${e.entity ?? ""}:${e.id ?? ""}:${e.date ?? ""}:${e.text}`}
              e={e}
              account={s.account.id}
            />
          ))}
        </ul>
      )}
    </article>
  );
}
