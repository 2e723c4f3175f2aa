import { useState } from "react";
import { formErrors } from "../components/field";
import { Async } from "../components/states";
import { api } from "../lib/api";
import { dateTime } from "../lib/format";
import type { Delivery, DeliveryDetail } from "../lib/notify-types";
import { useApi } from "../lib/use-api";
import { sentence } from "./signin";

const REPLAYABLE = new Set(["dead", "uncertain", "cancelled"]);

export function StateTag({ state }: { state: string }) {
  return (
    <span className={`state-tag ${state}`} data-testid="delivery-state">
      {state}
    </span>
  );
}

/** Sends a delivery again: back to pending, due now, the same id (and webhook-id). */
export function Replay({ d, onReplayed }: { d: Delivery; onReplayed: (d: Delivery) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!REPLAYABLE.has(d.state)) return null;
  const replay = async () => {
    setBusy(true);
    setError(null);
    try {
      onReplayed(
        await api<Delivery>(`/api/v1/deliveries/${encodeURIComponent(d.id)}/replay`, {
          method: "POST",
          body: {},
        }),
      );
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="button small primary"
        onClick={replay}
        disabled={busy}
        aria-label={`Replay delivery ${d.id}`}
        data-testid="replay"
      >
        {busy ? "Replaying…" : "Replay"}
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}

/** One delivery with every attempt: when, the status code, how long, and what the receiver answered. */
export function Detail({ id, onReplayed }: { id: string; onReplayed: (d: Delivery) => void }) {
  const detail = useApi<DeliveryDetail>(`/api/v1/deliveries/${encodeURIComponent(id)}`);
  return (
    <Async value={detail} what="the delivery" height={80}>
      {(d) => (
        <div className="delivery-detail" data-testid="delivery-detail" data-id={d.id}>
          <dl className="detail-grid">
            <dt>{d.channel === "webhook" ? "webhook-id" : "Delivery"}</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
            <dt>To</dt>
            <dd>{d.target}</dd>
            <dt>State</dt>
            <dd>
              <StateTag state={d.state} />{" "}
              <Replay
                d={d}
                onReplayed={(r) => {
                  onReplayed(r);
                  detail.reload();
                }}
              />
            </dd>
            {d.next_attempt_at && d.state === "pending" && (
              <>
                <dt>Next attempt</dt>
                <dd>{dateTime(d.next_attempt_at)}</dd>
              </>
            )}
            {d.last_error && (
              <>
                <dt>Last error</dt>
                <dd>{d.last_error}</dd>
              </>
            )}
          </dl>
          <h3>Attempts</h3>
          {d.attempts.length === 0 ? (
            <p className="muted">Not attempted yet.</p>
          ) : (
            <table className="attempts" data-testid="attempts">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Started</th>
                  <th scope="col" className="num">
                    Status
                  </th>
                  <th scope="col" className="num">
                    Latency
                  </th>
                  <th scope="col">Answer</th>
                </tr>
              </thead>
              <tbody>
                {d.attempts.map((a) => (
                  <tr key={a.n} data-testid="attempt" data-n={a.n}>
                    <td className="num">{a.n}</td>
                    <td>{dateTime(a.started_at)}</td>
                    <td className="num" data-testid="attempt-status">
                      {a.status ?? (a.finished_at ? "—" : "no answer")}
                    </td>
                    <td className="num" data-testid="attempt-latency">
                      {a.latency_ms === null ? "—" : `${a.latency_ms} ms`}
                    </td>
                    <td>
                      {a.error && <span className="warning">{a.error}</span>}
                      {a.response && <pre className="answer">{a.response}</pre>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {d.body !== null && d.body !== undefined && (
            <details>
              <summary>What was sent</summary>
              <pre className="answer">{JSON.stringify(d.body, null, 2)}</pre>
            </details>
          )}
        </div>
      )}
    </Async>
  );
}
