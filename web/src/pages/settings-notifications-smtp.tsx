import { Field } from "../components/field";
import { SetBadge } from "../components/set-badge";
import { Panel } from "../components/states";
import type { SmtpSecurity } from "../lib/notify-types";

export const SECURITY: { value: SmtpSecurity; label: string; port: number }[] = [
  { value: "starttls", label: "STARTTLS (587)", port: 587 },
  { value: "tls", label: "TLS from the start (465)", port: 465 },
  { value: "none", label: "None (a local relay)", port: 25 },
];

export type SmtpDraft = {
  host: string;
  port: string;
  security: SmtpSecurity;
  user: string;
  password: string;
  from: string;
};

/** The SMTP server's fields; the password is write-only: "set", typed to change it, or cleared. */
export function SmtpPanel({
  smtp,
  edit,
  errors: err,
  fromEnv,
  on: smtpOn,
  setOn: setSmtpOn,
  passwordSet,
  clearPassword,
  setClearPassword,
}: {
  smtp: SmtpDraft;
  edit: (patch: Partial<SmtpDraft>) => void;
  errors: Record<string, string>;
  fromEnv: boolean;
  on: boolean;
  setOn: (on: boolean) => void;
  passwordSet: boolean;
  clearPassword: boolean;
  setClearPassword: (clear: boolean) => void;
}) {
  return (
    <Panel title="Email (SMTP)" id="smtp">
      {fromEnv && (
        <p className="notice small" data-testid="smtp-from-env">
          Email goes through the SMTP server set in the environment (<code>KEEPWELL_SMTP_HOST</code>).
          Settings saved here take its place.
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={smtpOn}
          onChange={(e) => setSmtpOn(e.target.checked)}
          data-testid="use-smtp"
        />
        Send email through this SMTP server
      </label>
      <fieldset className="smtp-fields" disabled={!smtpOn}>
        <div className="form-grid">
          <Field label="SMTP host" error={err["smtp.host"]}>
            {(c) => (
              <input
                {...c}
                type="text"
                spellCheck={false}
                value={smtp.host}
                onChange={(e) => edit({ host: e.target.value })}
              />
            )}
          </Field>
          <Field label="Port" error={err["smtp.port"]}>
            {(c) => (
              <input
                {...c}
                type="text"
                inputMode="numeric"
                value={smtp.port}
                onChange={(e) => edit({ port: e.target.value })}
              />
            )}
          </Field>
          <Field label="Security" error={err["smtp.security"]}>
            {(c) => (
              <select
                {...c}
                value={smtp.security}
                onChange={(e) => {
                  const next = SECURITY.find((x) => x.value === e.target.value)!;
                  const standard = SECURITY.some((x) => String(x.port) === smtp.port);
                  edit({ security: next.value, ...(standard ? { port: String(next.port) } : {}) });
                }}
              >
                {SECURITY.map((x) => (
                  <option key={x.value} value={x.value}>
                    {x.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="User" error={err["smtp.user"]}>
            {(c) => (
              <input
                {...c}
                type="text"
                autoComplete="off"
                value={smtp.user}
                onChange={(e) => edit({ user: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={
              <>
                Password <SetBadge set={passwordSet} testId="smtp-password-set" />
              </>
            }
            error={err["smtp.password"]}
            hint={passwordSet ? "Stored and never shown. Type a new one to replace it." : undefined}
          >
            {(c) => (
              <input
                {...c}
                type="password"
                autoComplete="new-password"
                value={smtp.password}
                disabled={clearPassword}
                placeholder={passwordSet ? "•••••••• (stored)" : ""}
                onChange={(e) => edit({ password: e.target.value })}
              />
            )}
          </Field>
          <Field label="From address" error={err["smtp.from"]} hint="Keepwell <alerts@example.com>">
            {(c) => (
              <input {...c} type="text" value={smtp.from} onChange={(e) => edit({ from: e.target.value })} />
            )}
          </Field>
          {passwordSet || clearPassword ? (
            <label className="check wide">
              <input
                type="checkbox"
                checked={clearPassword}
                onChange={(e) => setClearPassword(e.target.checked)}
              />
              Remove the stored password
            </label>
          ) : null}
        </div>
      </fieldset>
    </Panel>
  );
}
