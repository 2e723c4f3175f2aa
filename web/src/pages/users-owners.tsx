import { useEffect, useId, useRef, useState } from "react";
import { formErrors } from "../components/field";
import { Async, Panel } from "../components/states";
import { api } from "../lib/api";
import { count } from "../lib/format";
import type { OwnerResolution, User } from "../lib/types";
import { useApi } from "../lib/use-api";
import { sentence } from "./signin";

const HOW: Record<NonNullable<OwnerResolution["by"]>, string> = {
  mapping: "mapped by an admin",
  email: "same email",
  name: "same name",
};

/** One owner as the CRM names them, and (for an admin) the user to map them to. */
function OwnerRow({
  o,
  users,
  admin,
  onMapped,
}: {
  o: OwnerResolution;
  users: User[];
  admin: boolean;
  onMapped: (list: OwnerResolution[]) => void;
}) {
  const id = useId();
  const [pick, setPick] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const map = async (userId: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ data: OwnerResolution[] }>(`/api/v1/owners/${encodeURIComponent(o.owner)}`, {
        method: "PUT",
        body: { user_id: userId },
      });
      onMapped(r.data);
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
      setBusy(false);
    }
  };
  return (
    <tr data-testid="owner-row" data-owner={o.owner} data-resolved={o.user ? "yes" : "no"}>
      <td>{o.owner}</td>
      <td className="num">{count(o.accounts)}</td>
      <td data-testid="owner-user">
        {o.user ? (
          <>
            {o.user.name} <small>{o.user.email}</small>
          </>
        ) : (
          <span className="tag unresolved">unresolved</span>
        )}
      </td>
      <td className="muted">{o.by ? HOW[o.by] : "—"}</td>
      {admin && (
        <td>
          <div className="row-actions">
            {o.user === null ? (
              <>
                <label className="sr-only" htmlFor={id}>
                  User for {o.owner}
                </label>
                <select
                  id={id}
                  value={pick}
                  onChange={(e) => setPick(e.target.value)}
                  data-testid="owner-pick"
                >
                  <option value="">Choose a user…</option>
                  {users
                    .filter((u) => u.active)
                    .map((u) => (
                      <option key={u.id} value={u.id}>
                        {u.name} ({u.email})
                      </option>
                    ))}
                </select>
                <button
                  type="button"
                  className="button small"
                  disabled={!pick || busy}
                  onClick={() => map(pick)}
                  data-testid="owner-map"
                >
                  Map
                </button>
              </>
            ) : o.by === "mapping" ? (
              <button type="button" className="button small" disabled={busy} onClick={() => map(null)}>
                Remove the mapping
              </button>
            ) : null}
            {error && (
              <span className="field-error" role="alert">
                {error}
              </span>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}

/**
 * Account owners as the CRM names them, and the user each resolves to (an
 * admin's mapping, else the same email, else the same name): unresolved ones
 * first, since their accounts are in nobody's book.
 */
export function OwnersPanel({ users, admin }: { users: User[]; admin: boolean }) {
  const loaded = useApi<{ data: OwnerResolution[] }>("/api/v1/owners");
  const [mapped, setMapped] = useState<OwnerResolution[] | null>(null);
  // A user added, renamed or deactivated may change who an owner resolves to.
  const usersKey = users.map((u) => `${u.id}:${u.name}:${u.email}:${u.active}`).join(",");
  const seen = useRef(usersKey);
  const { reload } = loaded;
  useEffect(() => {
    if (seen.current === usersKey) return;
    const first = seen.current === "";
    seen.current = usersKey;
    if (first) return; // the team has just loaded: the owners were read with it
    setMapped(null);
    reload();
  }, [usersKey, reload]);
  const unresolved = (mapped ?? loaded.data?.data ?? []).filter((o) => o.user === null).length;
  return (
    <Panel
      title="Account owners"
      id="owners"
      aside={
        <span className="muted small" data-testid="unresolved-count">
          {unresolved === 0 ? "Every owner resolves to a user." : `${count(unresolved)} unresolved`}
        </span>
      }
    >
      <p className="muted small">
        An account is in someone's book when its owner is their email or their name
        {admin ? ", or when you map the owner to them here" : ", or when an admin maps the owner to them"}.
      </p>
      <Async value={loaded} what="the account owners" height={120}>
        {({ data }) => {
          const list = mapped ?? data;
          return list.length === 0 ? (
            <div className="state state-empty">No account names an owner yet.</div>
          ) : (
            <div className="table-wrap">
              <table className="owners" data-testid="owners-table">
                <thead>
                  <tr>
                    <th scope="col">Owner (as the data names them)</th>
                    <th scope="col" className="num">
                      Accounts
                    </th>
                    <th scope="col">User</th>
                    <th scope="col">How</th>
                    {admin && (
                      <th scope="col">
                        <span className="sr-only">Map</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((o) => (
                    <OwnerRow
                      key={`${o.owner}:${o.user?.id ?? ""}`}
                      o={o}
                      users={users}
                      admin={admin}
                      onMapped={setMapped}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Async>
    </Panel>
  );
}
