import { useState } from "react";
import { Sparkline } from "../charts/sparkline";
import { BandBadge, Score, Trend } from "../components/band";
import { ApiError } from "../lib/api";
import { dateTime, day, money } from "../lib/format";
import {
  dueWords,
  lateWords,
  OUTCOME_LABEL,
  type Play,
  type PlayStep,
  playActions,
  STATE_LABEL,
  shortName,
  tierClass,
} from "../lib/plays";
import { Link } from "../lib/router";
import type { Thresholds } from "../lib/types";
import { CloseForm, SnoozeForm } from "./play-forms";
import { sentence } from "./signin";

/** A play's tier and short name as a small badge (the portfolio table's mark, a card's title). */
export function PlayBadge({ name, tier, overdue }: { name: string; tier: number; overdue?: boolean }) {
  return (
    <span
      className={`${tierClass(tier)}${overdue ? " overdue" : ""}`}
      title={`${name}${overdue ? " (overdue)" : ""}`}
      data-testid="play-badge"
    >
      {shortName(name)}
      {overdue && <span aria-hidden="true"> !</span>}
    </span>
  );
}

/** When it is due, or how late it is (in red). */
export function Due({ play }: { play: Play }) {
  if (play.state === "closed")
    return (
      <span className="due" title={`Was due ${dateTime(play.due_at)}`}>
        closed {day(play.closed_at)}
      </span>
    );
  if (play.overdue)
    return (
      <span className="due late" data-testid="play-late" title={`Was due ${dateTime(play.due_at)}`}>
        {lateWords(play.late_ms ?? Date.now() - new Date(play.due_at).getTime())}
      </span>
    );
  return (
    <span className="due" title={`Due ${dateTime(play.due_at)}`}>
      {dueWords(play.due_at)}
    </span>
  );
}

function Step({
  step,
  play,
  busy,
  onDone,
}: {
  step: PlayStep;
  play: Play;
  busy: boolean;
  onDone: (key: string) => void;
}) {
  const late = !step.done_at && new Date(step.due_at).getTime() < Date.now();
  return (
    <li
      className={step.done_at ? "step done" : late ? "step late" : "step"}
      data-testid="play-step"
      data-key={step.key}
      data-done={step.done_at ? "yes" : "no"}
    >
      <span className="step-mark" aria-hidden="true">
        {step.done_at ? "✓" : "○"}
      </span>
      <span className="step-title">{step.title}</span>
      <span className="muted small">
        {step.owner ? `${step.owner.name} · ` : ""}
        {step.done_at ? `done ${day(step.done_at)}` : `due ${day(step.due_at)}${late ? " (late)" : ""}`}
      </span>
      {!step.done_at && play.can_change && play.state !== "closed" && (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => onDone(step.key)}
          data-testid="step-done"
          aria-label={`Mark "${step.title}" done`}
        >
          Mark done
        </button>
      )}
    </li>
  );
}

/** The account the play is on: its band, its score, the change since the play opened, its months. */
function AccountLine({
  play,
  spark,
  thresholds,
}: {
  play: Play;
  spark?: (number | null)[];
  thresholds: Thresholds;
}) {
  const a = play.account;
  const since = a.score !== null && play.baseline.score !== null ? a.score - play.baseline.score : null;
  return (
    <div className="play-account">
      <Link to={`/accounts/${encodeURIComponent(a.id)}`} className="account-link">
        {a.name}
      </Link>
      <BandBadge band={a.band} small />
      <Score score={a.score} band={a.band} />
      <Trend value={since} label="since the play opened" />
      {spark && (
        <Sparkline
          values={spark}
          thresholds={thresholds}
          label={`${a.name}, monthly scores then now`}
          current={{ score: a.score, band: a.band }}
        />
      )}
      {a.arr !== null && <span className="muted small">ARR {money(a.arr)}</span>}
    </div>
  );
}

type Open = "none" | "snooze" | "close";

/**
 * One play: what it is, why it opened, when it is due, its steps, and what
 * the reader may do with it (only when the server says they may change it).
 */
export function PlayCard({
  play,
  onChanged,
  showAccount,
  spark,
  thresholds,
}: {
  play: Play;
  onChanged: (p: Play) => void;
  showAccount?: boolean;
  spark?: (number | null)[];
  thresholds?: Thresholds;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>("none");
  const act = async (call: () => Promise<Play>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await call());
    } catch (err) {
      setError(sentence(err instanceof ApiError ? err.message : String(err)));
    } finally {
      setBusy(false);
    }
  };
  const done = (p: Play) => {
    setOpen("none");
    onChanged(p);
  };
  const closed = play.state === "closed";
  const changeable = play.can_change && !closed;
  return (
    <article
      className={`play${play.overdue ? " overdue" : ""}${closed ? " closed" : ""}`}
      data-testid="play"
      data-id={play.id}
      data-state={play.state}
      data-playbook={play.playbook}
      data-account={play.account.id}
      data-overdue={play.overdue ? "yes" : "no"}
      aria-label={`${play.name} on ${play.account.name}`}
    >
      <header className="play-head">
        <PlayBadge name={play.name} tier={play.tier} />
        <h3>{play.name}</h3>
        <span className={`play-state state-${play.state}`} data-testid="play-state">
          {STATE_LABEL[play.state]}
          {play.outcome && (
            <>
              {" · "}
              <span data-testid="play-outcome">{OUTCOME_LABEL[play.outcome]}</span>
            </>
          )}
        </span>
        <Due play={play} />
      </header>
      {showAccount && <AccountLine play={play} spark={spark} thresholds={thresholds ?? DEFAULT_T} />}
      <p className="play-reason" data-testid="play-reason">
        {play.reason}
      </p>
      <p className="play-meta muted small">
        {[
          play.owner ? `Owner ${play.owner.name}` : "No owner",
          `opened ${day(play.opened_at)}`,
          play.ack_due_at && !play.acknowledged_at && !closed
            ? `acknowledge by ${dateTime(play.ack_due_at)}`
            : null,
          play.acknowledged_at ? `acknowledged ${day(play.acknowledged_at)}` : null,
          play.occurrences > 1 ? `fired ${play.occurrences} times` : null,
          play.escalation_level > 0 ? `escalated (level ${play.escalation_level})` : null,
          `playbook v${play.playbook_version}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      </p>
      {play.state === "snoozed" && play.snoozed_until && (
        <p className="play-note">
          Snoozed until {dateTime(play.snoozed_until)}
          {play.snooze_reason ? `: ${play.snooze_reason}` : ""}
        </p>
      )}
      {play.condition_cleared_at && !closed && (
        <p className="play-note cleared" data-testid="play-cleared">
          The condition cleared {day(play.condition_cleared_at)}
          {play.cleared_reason ? ` (${play.cleared_reason})` : ""}: close it with an outcome.
        </p>
      )}
      {closed && (play.outcome_note || play.outcome_amount !== null) && (
        <p className="play-note">
          {play.outcome_amount !== null && `+${money(play.outcome_amount)} `}
          {play.outcome_note}
        </p>
      )}
      {play.steps.length > 0 && (
        <ol className="steps" aria-label="Steps">
          {[...play.steps]
            .sort((a, b) => a.position - b.position)
            .map((s) => (
              <Step
                key={s.key}
                step={s}
                play={play}
                busy={busy}
                onDone={(key) => void act(() => playActions.stepDone(play.id, key))}
              />
            ))}
        </ol>
      )}
      {changeable && (
        <div className="row-actions play-actions">
          {play.state === "open" && (
            <button
              type="button"
              className="button primary small"
              disabled={busy}
              onClick={() => void act(() => playActions.acknowledge(play.id))}
              data-testid="acknowledge"
            >
              Acknowledge
            </button>
          )}
          {play.state === "snoozed" ? (
            <button
              type="button"
              className="button small"
              disabled={busy}
              onClick={() => void act(() => playActions.unsnooze(play.id))}
              data-testid="unsnooze"
            >
              Wake up
            </button>
          ) : (
            <button
              type="button"
              className="button small"
              disabled={busy}
              aria-expanded={open === "snooze"}
              onClick={() => setOpen(open === "snooze" ? "none" : "snooze")}
              data-testid="snooze"
            >
              Snooze…
            </button>
          )}
          <button
            type="button"
            className="button small"
            disabled={busy}
            aria-expanded={open === "close"}
            onClick={() => setOpen(open === "close" ? "none" : "close")}
            data-testid="close"
          >
            Close…
          </button>
          {error && (
            <span className="field-error" role="alert" data-testid="play-error">
              {error}
            </span>
          )}
        </div>
      )}
      {!changeable && error && (
        <span className="field-error" role="alert" data-testid="play-error">
          {error}
        </span>
      )}
      {changeable && open === "snooze" && (
        <SnoozeForm play={play} onDone={done} onCancel={() => setOpen("none")} />
      )}
      {changeable && open === "close" && (
        <CloseForm play={play} onDone={done} onCancel={() => setOpen("none")} />
      )}
    </article>
  );
}

const DEFAULT_T: Thresholds = { healthy: 75, watch: 60 };
