import { useState } from "react";
import { formErrors } from "../components/field";
import { Async, Panel } from "../components/states";
import { can } from "../lib/access";
import { api } from "../lib/api";
import { ago, dateTime } from "../lib/format";
import { useUser } from "../lib/session";
import type { ApiKey, User } from "../lib/types";
import { useApi } from "../lib/use-api";
import { CreateKey, NewKey, SCOPE_TEXT } from "./api-key-create";
import { sentence } from "./signin";

function keyState(k: ApiKey, now = Date.now()): "revoked" | "expired" | "active" {
  if (k.revoked_at) return "revoked";
  if (k.expires_at && Date.parse(k.expires_at) <= now) return "expired";
  return "active";
}

/** Revoking takes a second click: a revoked key stops working at once, for good. */
function Revoke({ k, onRevoked }: { k: ApiKey; onRevoked: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/v1/api-keys/${encodeURIComponent(k.id)}`, { method: "DELETE" });
      onRevoked();
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
      setBusy(false);
    }
  };
  if (!asking)
    return (
      <button type="button" className="button small" onClick={() => setAsking(true)} data-testid="revoke">
        Revoke
      </button>
    );
  return (
    <fieldset className="confirm">
      <legend>Stop “{k.name}” working now?</legend>
      <button
        type="button"
        className="button small danger"
        onClick={revoke}
        disabled={busy}
        data-testid="revoke-confirm"
      >
        {busy ? "Revoking…" : "Revoke"}
      </button>
      <button type="button" className="button small" onClick={() => setAsking(false)} disabled={busy}>
        Keep it
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </fieldset>
  );
}

export function ApiKeysPage() {
  const keys = useApi<{ data: ApiKey[] }>("/api/v1/api-keys");
  const admin = can(useUser(), "keys.manage");
  const users = useApi<{ data: User[] }>(admin ? "/api/v1/users" : null);
  const [made, setMade] = useState<(ApiKey & { key: string }) | null>(null);
  const who = (id: string | null) =>
    id === null ? "the command line" : (users.data?.data.find((u) => u.id === id)?.name ?? id);
  return (
    <div className="page">
      <div className="page-head">
        <h1>API keys</h1>
        <p className="muted">
          Keys let other systems send facts and read scores. Each shows once, when it is made.
        </p>
      </div>
      {made && <NewKey made={made} onDone={() => setMade(null)} />}
      {admin && (
        <CreateKey
          onCreated={(k) => {
            setMade(k);
            keys.reload();
          }}
        />
      )}
      <Panel title="Keys" id="keys">
        <Async value={keys} what="the API keys" height={120}>
          {({ data }) =>
            data.length === 0 ? (
              <div className="state state-empty">No API keys yet.</div>
            ) : (
              <div className="table-wrap">
                <table className="keys" data-testid="keys-table">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Key</th>
                      <th scope="col">Scopes</th>
                      <th scope="col">Created</th>
                      <th scope="col">Last used</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="sr-only">Revoke</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((k) => {
                      const state = keyState(k);
                      return (
                        <tr key={k.id} data-testid="key-row" data-name={k.name} data-state={state}>
                          <td>
                            <strong>{k.name}</strong>
                          </td>
                          <td>
                            <code>{k.prefix}…</code>
                          </td>
                          <td>
                            {k.scopes.map((s) => (
                              <span key={s} className="tag scope" title={SCOPE_TEXT[s]}>
                                {s}
                              </span>
                            ))}
                          </td>
                          <td>
                            {dateTime(k.created_at)}
                            <small>by {who(k.created_by)}</small>
                          </td>
                          <td title={dateTime(k.last_used_at)}>{ago(k.last_used_at)}</td>
                          <td>
                            {k.expires_at ? dateTime(k.expires_at) : <span className="muted">never</span>}
                          </td>
                          <td data-testid="key-state">
                            {state === "revoked" ? (
                              <span className="tag revoked">revoked {dateTime(k.revoked_at)}</span>
                            ) : state === "expired" ? (
                              <span className="tag revoked">expired</span>
                            ) : (
                              "Active"
                            )}
                          </td>
                          <td>{state === "active" && <Revoke k={k} onRevoked={keys.reload} />}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Panel>
    </div>
  );
}
