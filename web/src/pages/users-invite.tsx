import { type FormEvent, useState } from "react";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Panel } from "../components/states";
import { ROLE_LABEL, ROLES } from "../lib/access";
import { ApiError, api } from "../lib/api";
import type { Role, User } from "../lib/types";
import { sentence } from "./signin";

/** Managers to choose from: active users, by name (never `except`, a user cannot manage themselves). */
export function ManagerOptions({ users, except }: { users: User[]; except?: string }) {
  return (
    <>
      <option value="">No manager</option>
      {users
        .filter((u) => u.active && u.id !== except)
        .map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({ROLE_LABEL[u.role]})
          </option>
        ))}
    </>
  );
}

const FIELDS = ["email", "name", "role", "manager"] as const;

/** Adds a user: the answer is a one-time link for them to set their password. */
export function InviteForm({
  users,
  onInvited,
}: {
  users: User[];
  onInvited: (r: { user: User; invite_link: string }) => void;
}) {
  const empty = { email: "", name: "", role: "csm" as Role, manager: "" };
  const [form, setForm] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const set = (k: keyof typeof empty) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!form.email.trim()) missing.email = "Enter their email address.";
    if (!form.name.trim()) missing.name = "Enter their name.";
    if (Object.keys(missing).length) {
      setErrors({ fields: missing });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const r = await api<{ user: User; invite_link: string }>("/api/v1/users", {
        method: "POST",
        body: {
          email: form.email.trim(),
          name: form.name.trim(),
          role: form.role,
          manager: form.manager || null,
        },
      });
      setForm(empty);
      onInvited(r);
    } catch (err) {
      const f = formErrors(err, FIELDS);
      // A taken email is the email field's problem.
      if (err instanceof ApiError && err.code === "conflict")
        setErrors({ fields: { email: sentence(err.message) } });
      else setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Invite someone" id="invite">
      <form
        onSubmit={submit}
        noValidate
        className="inline-form"
        aria-label="Invite a user"
        data-testid="invite-form"
      >
        <FormError errors={errors} />
        <Field label="Email" error={errors.fields.email}>
          {(c) => (
            <input {...c} type="email" value={form.email} onChange={(e) => set("email")(e.target.value)} />
          )}
        </Field>
        <Field label="Name" error={errors.fields.name}>
          {(c) => (
            <input {...c} type="text" value={form.name} onChange={(e) => set("name")(e.target.value)} />
          )}
        </Field>
        <Field label="Role" error={errors.fields.role}>
          {(c) => (
            <select {...c} value={form.role} onChange={(e) => set("role")(e.target.value)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Manager" error={errors.fields.manager}>
          {(c) => (
            <select {...c} value={form.manager} onChange={(e) => set("manager")(e.target.value)}>
              <ManagerOptions users={users} />
            </select>
          )}
        </Field>
        <button type="submit" className="button primary" disabled={busy} data-testid="invite">
          {busy ? "Inviting…" : "Invite"}
        </button>
      </form>
      <p className="muted small">
        They get no email from Keepwell: send them the one-time link shown after inviting (it works for 72
        hours).
      </p>
    </Panel>
  );
}
