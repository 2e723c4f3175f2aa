import { type FormEvent, type ReactNode, useState } from "react";
import { AuthCard } from "../components/brand";
import { FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Loading } from "../components/states";
import { api } from "../lib/api";
import { Link, navigate, useLocation } from "../lib/router";
import { started } from "../lib/session";
import type { SessionStarted } from "../lib/types";
import { useApi } from "../lib/use-api";
import { NewPassword, passwordProblems } from "./password-fields";
import { sentence } from "./signin";

/** A one-time link that cannot be used, said plainly. */
export function LinkProblem({ title, children }: { title: string; children: ReactNode }) {
  return (
    <AuthCard title={title}>
      <div className="state state-empty link-problem" role="alert" data-testid="link-invalid">
        {children}
      </div>
    </AuthCard>
  );
}

type LinkCheck = { valid: boolean; email?: string; name?: string };

/** Setting a password from a one-time link (an invitation or a reset), then signed in. */
export function ResetPage() {
  const { params } = useLocation();
  const token = params.get("token") ?? "";
  const check = useApi<LinkCheck>(token ? `/api/v1/password-reset?token=${encodeURIComponent(token)}` : null);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  if (!token)
    return (
      <LinkProblem title="Set your password">
        This page needs the link from your invitation or password reset. Ask an admin to send you one.
      </LinkProblem>
    );
  if (check.status === "loading")
    return (
      <AuthCard title="Set your password">
        <Loading label="Checking the link…" />
      </AuthCard>
    );
  if (check.status === "error" || !check.data.valid)
    return (
      <LinkProblem title="Set your password">
        {check.status === "error"
          ? `The link could not be checked: ${check.error.message}.`
          : "This link has been used or has expired."}{" "}
        Ask an admin for a new one, or <Link to="/signin">sign in</Link> if you have a password.
      </LinkProblem>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = passwordProblems(password, confirm);
    if (Object.keys(problems).length) {
      setErrors({ fields: problems });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const s = await api<SessionStarted>("/api/v1/password-reset", {
        method: "POST",
        body: { token, password },
      });
      started(s);
      navigate("/", { replace: true });
    } catch (err) {
      const f = formErrors(err, ["password"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
      setBusy(false);
    }
  };
  const who = check.data;
  return (
    <AuthCard title="Set your password">
      <p className="muted" data-testid="reset-for">
        For {who.name} ({who.email}). Once it is set you are signed in.
      </p>
      <form onSubmit={submit} noValidate className="auth-form" aria-label="Set your password">
        <FormError errors={errors} />
        <input type="email" hidden readOnly autoComplete="username" value={who.email ?? ""} />
        <NewPassword
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          errors={errors.fields}
        />
        <button type="submit" className="button primary wide" disabled={busy} data-testid="set-password">
          {busy ? "Saving…" : "Set the password and sign in"}
        </button>
      </form>
    </AuthCard>
  );
}
