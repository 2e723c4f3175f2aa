import { type FormEvent, useState } from "react";
import { AlertsNav } from "../components/alerts-nav";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Async, Panel } from "../components/states";
import { api } from "../lib/api";
import { HOURS } from "../lib/notify-options";
import type { NotifySettings, NotifySettingsInput } from "../lib/notify-types";
import { parseNumber } from "../lib/paths";
import { useUser } from "../lib/session";
import { useApi } from "../lib/use-api";
import { type ChannelDraft, draftsOf, SlackChannels, TestEmailPanel } from "./settings-notifications-slack";
import { type SmtpDraft, SmtpPanel } from "./settings-notifications-smtp";
import { sentence } from "./signin";

function SettingsForm({
  settings,
  onSaved,
}: {
  settings: NotifySettings;
  onSaved: (s: NotifySettings) => void;
}) {
  const fromEnv = settings.smtp_source === "environment";
  const [smtpOn, setSmtpOn] = useState(settings.smtp !== null && !fromEnv);
  const s = settings.smtp;
  const [smtp, setSmtp] = useState<SmtpDraft>({
    host: s?.host ?? "",
    port: String(s?.port ?? 587),
    security: s?.security ?? "starttls",
    user: s?.user ?? "",
    password: "",
    from: s?.from ?? "",
  });
  const [clearPassword, setClearPassword] = useState(false);
  const [channels, setChannels] = useState<ChannelDraft[]>(draftsOf(settings.slack_channels));
  const [budget, setBudget] = useState(String(settings.budget_per_day));
  const [digestHour, setDigestHour] = useState(String(settings.digest_hour));
  const [drop, setDrop] = useState(String(settings.score_drop_points));
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const passwordSet = !fromEnv && (s?.password_set ?? false) && !clearPassword;
  const edit = (patch: Partial<SmtpDraft>) => setSmtp((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setErrors(NO_ERRORS);
    const body: NotifySettingsInput = {
      smtp: smtpOn
        ? {
            host: smtp.host.trim(),
            port: parseNumber(smtp.port),
            security: smtp.security,
            user: smtp.user.trim() || null,
            from: smtp.from.trim(),
            ...(clearPassword ? { password: null } : smtp.password ? { password: smtp.password } : {}),
          }
        : null,
      slack_channels: channels.map((c) => ({
        ...(c.id ? { id: c.id } : {}),
        name: c.name.trim(),
        ...(c.url.trim() ? { webhook_url: c.url.trim() } : {}),
      })),
      budget_per_day: parseNumber(budget),
      digest_hour: Number(digestHour),
      score_drop_points: parseNumber(drop),
    };
    try {
      const next = await api<NotifySettings>("/api/v1/notifications/settings", { method: "PUT", body });
      setSmtp((d) => ({ ...d, password: "" }));
      setClearPassword(false);
      setChannels(draftsOf(next.slack_channels));
      setSaved(true);
      onSaved(next);
    } catch (err) {
      const f = formErrors(err, []);
      const fields: Record<string, string> = {};
      for (const d of f.error?.details ?? [])
        fields[d.field] = [fields[d.field], d.message].filter(Boolean).join("; ");
      setErrors(
        Object.keys(fields).length
          ? { fields, form: "Some settings need another look: see the fields marked below." }
          : { fields, form: sentence(f.form ?? "that did not work") },
      );
    } finally {
      setBusy(false);
    }
  };
  const err = errors.fields;
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label="Notification settings"
      className="page"
      data-testid="settings-form"
    >
      <FormError errors={errors} />
      <SmtpPanel
        smtp={smtp}
        edit={edit}
        errors={err}
        fromEnv={fromEnv}
        on={smtpOn}
        setOn={setSmtpOn}
        passwordSet={passwordSet}
        clearPassword={clearPassword}
        setClearPassword={setClearPassword}
      />
      <SlackChannels drafts={channels} onChange={setChannels} errors={err} />
      <Panel title="Limits and digests" id="limits">
        <div className="form-grid">
          <Field
            label="Alerts per person per day"
            error={err.budget_per_day}
            hint="Past it, alerts wait for the next digest."
          >
            {(c) => (
              <input
                {...c}
                type="text"
                inputMode="numeric"
                value={budget}
                onChange={(e) => setBudget(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Daily digest hour"
            error={err.digest_hour}
            hint="Each person's own time zone; channels UTC."
          >
            {(c) => (
              <select {...c} value={digestHour} onChange={(e) => setDigestHour(e.target.value)}>
                {HOURS.map((h) => (
                  <option key={h.value} value={h.value}>
                    {h.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Score drop to announce (points)"
            error={err.score_drop_points}
            hint="Over about 30 days."
          >
            {(c) => (
              <input
                {...c}
                type="text"
                inputMode="numeric"
                value={drop}
                onChange={(e) => setDrop(e.target.value)}
              />
            )}
          </Field>
        </div>
        {settings.public_url_hint && (
          <p className="muted small" data-testid="public-url">
            Links in emails, Slack posts and webhooks lead to <code>{settings.public_url_hint}</code> (set by{" "}
            <code>KEEPWELL_PUBLIC_URL</code>).
          </p>
        )}
      </Panel>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="save-settings">
          {busy ? "Saving…" : "Save settings"}
        </button>
        {saved && (
          <span className="saved-note" role="status" data-testid="settings-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

/** The team's notification settings (admins): SMTP, Slack channels, budgets and digests. */
export function NotificationSettingsPage() {
  const me = useUser();
  const loaded = useApi<NotifySettings>("/api/v1/notifications/settings");
  const [current, setCurrent] = useState<NotifySettings | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Notification settings</h1>
        <p className="muted">How Keepwell sends email and posts to Slack, and how much it sends.</p>
        <AlertsNav current="/settings/notifications" />
      </div>
      <Async value={loaded} what="the notification settings" height={160}>
        {(settings) => (
          <>
            <SettingsForm settings={current ?? settings} onSaved={setCurrent} />
            <TestEmailPanel defaultTo={me.email} />
          </>
        )}
      </Async>
    </div>
  );
}
