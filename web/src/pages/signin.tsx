import { type FormEvent, useState } from "react";
import { AuthCard } from "../components/brand";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { ApiError, api } from "../lib/api";
import { capital } from "../lib/format";
import { navigate, useLocation } from "../lib/router";
import { started } from "../lib/session";
import { safeNext } from "../lib/sign-in-url";
import type { AuthMethods, SessionStarted } from "../lib/types";
import { useApi } from "../lib/use-api";

/** The server's words as a sentence. */
export const sentence = (s: string) => `${capital(s)}${/[.!?]$/.test(s) ? "" : "."}`;

/** Why signing in failed, in words for the person at the form. */
function signInProblem(err: unknown): FormErrors {
  const e = formErrors(err, ["email", "password"]);
  if (!(err instanceof ApiError)) return e;
  if (err.status === 401) return { ...e, form: "The email or the password is wrong." };
  if (err.status === 429 || err.code === "too_many_requests")
    return { ...e, form: sentence(err.message || "too many sign-in attempts: try again in 15 minutes") };
  return e.form ? { ...e, form: sentence(e.form) } : e;
}

export function SignInPage() {
  const { params } = useLocation();
  const next = safeNext(params.get("next"));
  const ssoError = params.get("error");
  const methods = useApi<AuthMethods>("/api/v1/auth/methods");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = "Enter your email address.";
    if (!password) missing.password = "Enter your password.";
    if (Object.keys(missing).length) {
      setErrors({ fields: missing });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const s = await api<SessionStarted>("/api/v1/session", {
        method: "POST",
        body: { email: email.trim(), password },
        signInOn401: false,
      });
      started(s);
      navigate(next, { replace: true });
    } catch (err) {
      setErrors(signInProblem(err));
      setBusy(false);
    }
  };

  const sso = methods.data?.oidc;
  return (
    <AuthCard title="Sign in">
      {ssoError && (
        <div className="state state-error" role="alert" data-testid="sso-error">
          Single sign-on did not sign you in: {ssoError}
        </div>
      )}
      <form onSubmit={submit} noValidate className="auth-form" aria-label="Sign in">
        <FormError errors={errors} testId="sign-in-error" />
        <Field label="Email" error={errors.fields.email}>
          {(c) => (
            <input
              {...c}
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={errors.fields.password}>
          {(c) => (
            <input
              {...c}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button primary wide" disabled={busy} data-testid="sign-in">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {sso && (
        <p className="auth-alt">
          <a className="button wide" href={sso.login_url} data-testid="sso-sign-in">
            Sign in with single sign-on
          </a>
        </p>
      )}
      <p className="muted small">Forgot your password? Ask an admin for a reset link.</p>
    </AuthCard>
  );
}
