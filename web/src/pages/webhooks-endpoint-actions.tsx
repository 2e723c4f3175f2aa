import { useState } from "react";
import { formErrors } from "../components/field";
import { api } from "../lib/api";
import type { Delivery, SecretRotated, Webhook } from "../lib/notify-types";
import { Link } from "../lib/router";
import { sentence } from "./signin";
import type { Shown } from "./webhooks-create";

/** What a test send came to: the delivery the server made and tried at once. */
function TestResult({ d }: { d: Delivery }) {
  const ok = d.state === "delivered";
  const status = d.last_status === null ? "" : ` (${d.last_status})`;
  return (
    <span
      className={ok ? "saved-note" : "field-error"}
      role="status"
      data-testid="test-result"
      data-state={d.state}
    >
      {ok
        ? `Test delivered${status}.`
        : `Test ${d.state}${status}${d.last_error ? `: ${d.last_error}` : "."}`}{" "}
      <Link to={`/webhooks?tab=deliveries&delivery=${encodeURIComponent(d.id)}`}>See it</Link>
    </span>
  );
}

/** Send a test event, rotate the signing secret, disable or enable one endpoint. */
export function EndpointActions({
  w,
  onChanged,
  onSecret,
}: {
  w: Webhook;
  onChanged: () => void;
  onSecret: (s: Shown) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [tested, setTested] = useState<Delivery | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setTested(null);
    try {
      await call();
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
    } finally {
      setBusy(false);
    }
  };
  const base = `/api/v1/webhooks/${encodeURIComponent(w.id)}`;
  const test = () =>
    act(async () => {
      setTested(await api<Delivery>(`${base}/test`, { method: "POST", body: {} }));
      onChanged();
    });
  const rotate = () =>
    act(async () => {
      const r = await api<SecretRotated>(`${base}/rotate`, { method: "POST", body: {} });
      setAsking(false);
      onSecret({ kind: "rotated", id: w.id, url: w.url, secret: r.secret });
    });
  const setDisabled = (disabled: boolean) =>
    act(async () => {
      await api(base, { method: "PATCH", body: { disabled } });
      onChanged();
    });
  const disabled = w.disabled_at !== null;
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button small"
        onClick={test}
        disabled={busy || disabled}
        aria-label={`Send a test event to ${w.url}`}
        data-testid="send-test"
      >
        {busy && !asking ? "Working…" : "Send test"}
      </button>
      {asking ? (
        <fieldset className="confirm">
          <legend>Make a new secret?</legend>
          <button
            type="button"
            className="button small danger"
            onClick={rotate}
            disabled={busy}
            data-testid="rotate-confirm"
          >
            Rotate
          </button>
          <button type="button" className="button small" onClick={() => setAsking(false)} disabled={busy}>
            Keep it
          </button>
        </fieldset>
      ) : (
        <button
          type="button"
          className="button small"
          onClick={() => setAsking(true)}
          disabled={busy}
          aria-label={`Rotate the secret of ${w.url}`}
          data-testid="rotate-secret"
        >
          Rotate secret
        </button>
      )}
      <button
        type="button"
        className="button small"
        onClick={() => setDisabled(!disabled)}
        disabled={busy}
        aria-label={`${disabled ? "Enable" : "Disable"} ${w.url}`}
        data-testid={disabled ? "enable-endpoint" : "disable-endpoint"}
      >
        {disabled ? "Enable" : "Disable"}
      </button>
      <Link to={`/webhooks?tab=deliveries&endpoint=${encodeURIComponent(w.id)}`}>Deliveries</Link>
      {tested && <TestResult d={tested} />}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
