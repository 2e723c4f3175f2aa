import { type FormEvent, useEffect, useId, useState } from "react";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { SetBadge } from "../components/set-badge";
import { Async, Panel } from "../components/states";
import { api } from "../lib/api";
import { HOURS, MODES, timeZones } from "../lib/notify-options";
import type { DeliveryMode, MyPrefs, MyPrefsInput } from "../lib/notify-types";
import { parseNumber } from "../lib/paths";
import { useApi } from "../lib/use-api";
import { sentence } from "./signin";

const FIELDS = [
  "email",
  "slack",
  "slack_webhook_url",
  "mode",
  "digest_hour",
  "quiet_hours",
  "quiet_hours.start",
  "quiet_hours.end",
  "budget_per_day",
  "time_zone",
];

function PrefsForm({ prefs, onSaved }: { prefs: MyPrefs; onSaved: (p: MyPrefs) => void }) {
  const [email, setEmail] = useState(prefs.email);
  const [slack, setSlack] = useState(prefs.slack);
  const [slackUrl, setSlackUrl] = useState("");
  const [clearUrl, setClearUrl] = useState(false);
  const [mode, setMode] = useState<DeliveryMode>(prefs.mode);
  const [digestHour, setDigestHour] = useState(prefs.digest_hour === null ? "" : String(prefs.digest_hour));
  const [quiet, setQuiet] = useState(prefs.quiet_hours !== null);
  const [quietStart, setQuietStart] = useState(prefs.quiet_hours?.start ?? "22:00");
  const [quietEnd, setQuietEnd] = useState(prefs.quiet_hours?.end ?? "07:00");
  const [budget, setBudget] = useState(prefs.budget_per_day === null ? "" : String(prefs.budget_per_day));
  const [tz, setTz] = useState(prefs.time_zone);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const zones = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    setErrors(NO_ERRORS);
    const body: MyPrefsInput = {
      email,
      slack,
      mode,
      digest_hour: digestHour === "" ? null : Number(digestHour),
      quiet_hours: quiet ? { start: quietStart, end: quietEnd } : null,
      budget_per_day: budget.trim() === "" ? null : (parseNumber(budget) as number),
      time_zone: tz.trim(),
    };
    if (clearUrl) body.slack_webhook_url = null;
    else if (slackUrl.trim()) body.slack_webhook_url = slackUrl.trim();
    try {
      const next = await api<MyPrefs>("/api/v1/me/notifications", { method: "PUT", body });
      setSlackUrl("");
      setClearUrl(false);
      setSaved(true);
      onSaved(next);
    } catch (err) {
      const f = formErrors(err, FIELDS);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };
  const quietError = errors.fields.quiet_hours;
  return (
    <form onSubmit={submit} noValidate aria-label="Notification preferences" data-testid="prefs-form">
      <FormError errors={errors} />
      <div className="form-grid">
        <fieldset className="form-field wide">
          <legend>Channels</legend>
          <div className="checks">
            <label className="check">
              <input type="checkbox" checked={email} onChange={(e) => setEmail(e.target.checked)} />
              Email me
            </label>
            <label className="check">
              <input type="checkbox" checked={slack} onChange={(e) => setSlack(e.target.checked)} />
              Post to my Slack
            </label>
          </div>
          <small className="hint">The bell in the header always shows them.</small>
        </fieldset>
        <Field
          className="wide"
          label={
            <>
              My Slack webhook URL <SetBadge set={prefs.slack_url_set && !clearUrl} testId="slack-url-set" />
            </>
          }
          error={errors.fields.slack_webhook_url}
          hint={
            prefs.slack_url_set
              ? "Stored and never shown again. Type a new URL to replace it."
              : "An incoming webhook URL from Slack (https://hooks.slack.com/…)."
          }
        >
          {(c) => (
            <input
              {...c}
              type="url"
              autoComplete="off"
              spellCheck={false}
              value={slackUrl}
              disabled={clearUrl}
              placeholder={prefs.slack_url_set ? "•••••••• (stored)" : "https://hooks.slack.com/services/…"}
              onChange={(e) => setSlackUrl(e.target.value)}
            />
          )}
        </Field>
        {prefs.slack_url_set && (
          <label className="check wide">
            <input type="checkbox" checked={clearUrl} onChange={(e) => setClearUrl(e.target.checked)} />
            Remove the stored Slack URL
          </label>
        )}
        <Field label="When to tell me" error={errors.fields.mode} className="wide">
          {(c) => (
            <select {...c} value={mode} onChange={(e) => setMode(e.target.value as DeliveryMode)}>
              {MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Digest hour" error={errors.fields.digest_hour} hint="In your time zone.">
          {(c) => (
            <select {...c} value={digestHour} onChange={(e) => setDigestHour(e.target.value)}>
              <option value="">The team's</option>
              {HOURS.map((h) => (
                <option key={h.value} value={h.value}>
                  {h.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Alerts a day at most"
          error={errors.fields.budget_per_day}
          hint="Blank: the team's. More wait for the next digest."
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
        <fieldset className={`form-field wide${quietError ? " invalid" : ""}`}>
          <legend>Quiet hours</legend>
          <div>
            <label className="check">
              <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} />
              Hold immediate alerts during quiet hours
            </label>
          </div>
          {quiet && (
            <div className="inline-form">
              <Field label="Quiet from" error={errors.fields["quiet_hours.start"]}>
                {(c) => (
                  <input
                    {...c}
                    type="time"
                    value={quietStart}
                    onChange={(e) => setQuietStart(e.target.value)}
                  />
                )}
              </Field>
              <Field label="Quiet until" error={errors.fields["quiet_hours.end"]}>
                {(c) => (
                  <input {...c} type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} />
                )}
              </Field>
            </div>
          )}
          {quietError && (
            <span className="field-error" role="alert">
              {quietError}
            </span>
          )}
        </fieldset>
        <Field
          label="Time zone"
          error={errors.fields.time_zone}
          className="wide"
          hint="An IANA name: Europe/Paris."
        >
          {(c) => (
            <input
              {...c}
              type="text"
              list={zones}
              spellCheck={false}
              value={tz}
              onChange={(e) => setTz(e.target.value)}
            />
          )}
        </Field>
        <datalist id={zones}>
          {timeZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy} data-testid="save-prefs">
          {busy ? "Saving…" : "Save preferences"}
        </button>
        {saved && (
          <span className="saved-note" role="status" data-testid="prefs-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

/** How the signed-in person is told: channels, at once or in a digest, quiet hours, time zone. */
export function PrefsPanel() {
  const loaded = useApi<MyPrefs>("/api/v1/me/notifications");
  const [prefs, setPrefs] = useState<MyPrefs | null>(null);
  useEffect(() => {
    if (loaded.data) setPrefs(loaded.data);
  }, [loaded.data]);
  return (
    <Panel title="How you are told" id="prefs">
      <Async value={loaded} what="your preferences" height={120}>
        {() => prefs && <PrefsForm prefs={prefs} onSaved={setPrefs} />}
      </Async>
    </Panel>
  );
}
