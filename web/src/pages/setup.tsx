import { type FormEvent, useState } from "react";
import { AuthCard } from "../components/brand";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Loading } from "../components/states";
import { api } from "../lib/api";
import { Link, navigate, useLocation } from "../lib/router";
import { started } from "../lib/session";
import type { SessionStarted } from "../lib/types";
import { useApi } from "../lib/use-api";
import { NewPassword, passwordProblems } from "./password-fields";
import { LinkProblem } from "./reset";
import { sentence } from "./signin";

/** First run: the one-time link `keepwell serve` printed creates the first admin, who is then signed in. */
export function SetupPage() {
  const { params } = useLocation();
  const token = params.get("token") ?? "";
  const check = useApi<{ valid: boolean }>(token ? `/api/v1/setup?token=${encodeURIComponent(token)}` : null);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  if (!token)
    return (
      <LinkProblem title="Set up Keepwell">
        This page needs the setup link that <code>keepwell serve</code> printed when it started with no users.
      </LinkProblem>
    );
  if (check.status === "loading")
    return (
      <AuthCard title="Set up Keepwell">
        <Loading label="Checking the setup link…" />
      </AuthCard>
    );
  if (check.status === "error" || !check.data.valid)
    return (
      <LinkProblem title="Set up Keepwell">
        {check.status === "error"
          ? `The setup link could not be checked: ${check.error.message}.`
          : "This setup link has been used or has expired, or Keepwell has been set up already."}{" "}
        If Keepwell has users, <Link to="/signin">sign in</Link>; if not, restart <code>keepwell serve</code>{" "}
        for a new link.
      </LinkProblem>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = passwordProblems(password, confirm);
    if (!email.trim()) problems.email = "Enter your email address.";
    if (!name.trim()) problems.name = "Enter your name.";
    if (Object.keys(problems).length) {
      setErrors({ fields: problems });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const s = await api<SessionStarted>("/api/v1/setup", {
        method: "POST",
        body: { token, email: email.trim(), name: name.trim(), password },
      });
      started(s);
      navigate("/users", { replace: true });
    } catch (err) {
      const f = formErrors(err, ["email", "name", "password"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
      setBusy(false);
    }
  };
  return (
    <AuthCard title="Set up Keepwell">
      <p className="muted">Create the first admin. You can invite the rest of the team once you are in.</p>
      <form onSubmit={submit} noValidate className="auth-form" aria-label="Create the first admin">
        <FormError errors={errors} />
        <Field label="Email" error={errors.fields.email}>
          {(c) => (
            <input
              {...c}
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Name" error={errors.fields.name}>
          {(c) => (
            <input
              {...c}
              type="text"
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <NewPassword
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          errors={errors.fields}
        />
        <button type="submit" className="button primary wide" disabled={busy} data-testid="create-admin">
          {busy ? "Creating…" : "Create the admin and sign in"}
        </button>
      </form>
    </AuthCard>
  );
}
