import { type FormEvent, useState } from "react";
import { CopyField } from "../components/copy";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Async, Panel } from "../components/states";
import { can, ROLE_LABEL, ROLES } from "../lib/access";
import { api } from "../lib/api";
import { ago, dateTime } from "../lib/format";
import { updatedUser, useUser } from "../lib/session";
import type { Role, User } from "../lib/types";
import { useApi } from "../lib/use-api";
import { sentence } from "./signin";
import { InviteForm, ManagerOptions } from "./users-invite";
import { OwnersPanel } from "./users-owners";

/** A one-time link just made (an invitation or a password reset), to pass on. */
type Made = { kind: "invite" | "reset"; user: User; link: string };

function LinkNotice({ made, onDone }: { made: Made; onDone: () => void }) {
  return (
    <div className="notice link-notice" role="status" data-testid={`${made.kind}-notice`}>
      <p>
        {made.kind === "invite"
          ? `${made.user.name} is invited as ${ROLE_LABEL[made.user.role]}. Send them this link to set their password:`
          : `A link for ${made.user.name} to set a new password:`}{" "}
        it works once, for 72 hours.
      </p>
      <CopyField value={made.link} label="The one-time link" testId={`${made.kind}-link`} />
      <button type="button" className="button link small" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

/** Changing a user's role and manager, in a row under theirs. */
function EditRow({
  user,
  users,
  onSaved,
  onCancel,
}: {
  user: User;
  users: User[];
  onSaved: (u: User) => void;
  onCancel: () => void;
}) {
  const [role, setRole] = useState<Role>(user.role);
  const [manager, setManager] = useState(user.manager_id ?? "");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onSaved(
        await api<User>(`/api/v1/users/${encodeURIComponent(user.id)}`, {
          method: "PATCH",
          body: { role, manager: manager || null },
        }),
      );
    } catch (err) {
      const f = formErrors(err, ["role", "manager"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
      setBusy(false);
    }
  };
  return (
    <tr className="edit-row">
      <td colSpan={7}>
        <form onSubmit={submit} noValidate className="inline-form" aria-label={`Change ${user.name}`}>
          <FormError errors={errors} />
          <Field label={`Role of ${user.name}`} error={errors.fields.role}>
            {(c) => (
              <select
                {...c}
                value={role}
                onChange={(e) => setRole(e.target.value as Role)}
                data-testid="edit-role"
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABEL[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={`Manager of ${user.name}`} error={errors.fields.manager}>
            {(c) => (
              <select
                {...c}
                value={manager}
                onChange={(e) => setManager(e.target.value)}
                data-testid="edit-manager"
              >
                <ManagerOptions users={users} except={user.id} />
              </select>
            )}
          </Field>
          <button type="submit" className="button primary" disabled={busy} data-testid="save-user">
            {busy ? "Saving…" : "Save"}
          </button>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </form>
      </td>
    </tr>
  );
}

function UserRow({
  user,
  users,
  me,
  admin,
  onChanged,
  onLink,
}: {
  user: User;
  users: User[];
  me: User;
  admin: boolean;
  onChanged: (u: User) => void;
  onLink: (m: Made) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const manager = users.find((u) => u.id === user.manager_id);
  const act = async (call: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(sentence(formErrors(err, []).form ?? "that did not work"));
    } finally {
      setBusy(false);
    }
  };
  const setActive = (active: boolean) =>
    act(async () =>
      onChanged(
        await api<User>(`/api/v1/users/${encodeURIComponent(user.id)}`, {
          method: "PATCH",
          body: { active },
        }),
      ),
    );
  const resetLink = () =>
    act(async () => {
      const r = await api<{ link: string }>(`/api/v1/users/${encodeURIComponent(user.id)}/reset-link`, {
        method: "POST",
        body: {},
      });
      onLink({ kind: "reset", user, link: r.link });
    });
  return (
    <>
      <tr
        data-testid="user-row"
        data-email={user.email}
        data-active={user.active}
        className={user.active ? "" : "inactive"}
      >
        <td>
          <strong>{user.name}</strong>
          {user.id === me.id && <span className="tag">you</span>}
          <small>{user.email}</small>
        </td>
        <td data-testid="user-role-cell">{ROLE_LABEL[user.role]}</td>
        <td>{manager ? manager.name : <span className="muted">—</span>}</td>
        <td>{user.active ? "Active" : <span className="tag inactive-tag">deactivated</span>}</td>
        <td title={dateTime(user.last_seen_at)}>{ago(user.last_seen_at)}</td>
        <td>{dateTime(user.created_at)}</td>
        {admin && (
          <td>
            <div className="row-actions">
              <button
                type="button"
                className="button small"
                onClick={() => setEditing((v) => !v)}
                disabled={busy}
              >
                Change
              </button>
              {user.active ? (
                <button
                  type="button"
                  className="button small"
                  onClick={() => setActive(false)}
                  disabled={busy || user.id === me.id}
                  title={
                    user.id === me.id ? "You cannot deactivate yourself" : "Signs them out everywhere at once"
                  }
                  data-testid="deactivate"
                >
                  Deactivate
                </button>
              ) : (
                <button
                  type="button"
                  className="button small"
                  onClick={() => setActive(true)}
                  disabled={busy}
                  data-testid="reactivate"
                >
                  Reactivate
                </button>
              )}
              <button
                type="button"
                className="button small"
                onClick={resetLink}
                disabled={busy || !user.active}
                data-testid="make-reset-link"
              >
                Reset link
              </button>
              {error && (
                <span className="field-error" role="alert">
                  {error}
                </span>
              )}
            </div>
          </td>
        )}
      </tr>
      {editing && (
        <EditRow
          user={user}
          users={users}
          onCancel={() => setEditing(false)}
          onSaved={(u) => {
            setEditing(false);
            onChanged(u);
          }}
        />
      )}
    </>
  );
}

export function UsersPage() {
  const me = useUser();
  const admin = can(me, "users.manage");
  const users = useApi<{ data: User[] }>("/api/v1/users");
  const [made, setMade] = useState<Made | null>(null);
  const changed = (u: User) => {
    updatedUser(u);
    users.reload();
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Users</h1>
        <p className="muted" data-testid="users-mode">
          {admin
            ? "Invite people, change their role and manager, deactivate them, and map account owners to them."
            : "Who is on the team. Only admins can change it."}
        </p>
      </div>
      {made && <LinkNotice made={made} onDone={() => setMade(null)} />}
      {admin && (
        <InviteForm
          users={users.data?.data ?? []}
          onInvited={(r) => {
            setMade({ kind: "invite", user: r.user, link: r.invite_link });
            users.reload();
          }}
        />
      )}
      <Panel title="The team" id="team">
        <Async value={users} what="the team" height={160}>
          {({ data }) => (
            <div className="table-wrap">
              <table className="users" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">Manager</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Added</th>
                    {admin && (
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {data.map((u) => (
                    <UserRow
                      key={u.id}
                      user={u}
                      users={data}
                      me={me}
                      admin={admin}
                      onChanged={changed}
                      onLink={setMade}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </Panel>
      <OwnersPanel users={users.data?.data ?? []} admin={admin} />
    </div>
  );
}
