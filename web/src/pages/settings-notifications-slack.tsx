import { type FormEvent, useState } from "react";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { SetBadge } from "../components/set-badge";
import { Panel } from "../components/states";
import { api } from "../lib/api";
import type { SlackChannel, TestEmail } from "../lib/notify-types";
import { sentence } from "./signin";

/** A Slack channel as edited: its stored id (none when new) and a URL typed to replace the stored one. */
export type ChannelDraft = {
  key: string;
  id?: string;
  name: string;
  url: string;
  url_set: boolean;
  disabled: boolean;
};

export function draftsOf(channels: SlackChannel[]): ChannelDraft[] {
  return channels.map((c) => ({
    key: c.id,
    id: c.id,
    name: c.name,
    url: "",
    url_set: c.url_set,
    disabled: c.disabled,
  }));
}

let made = 0;

/** The team's Slack channels: a name and a write-only incoming webhook URL each. */
export function SlackChannels({
  drafts,
  onChange,
  errors,
}: {
  drafts: ChannelDraft[];
  onChange: (d: ChannelDraft[]) => void;
  errors: Record<string, string>;
}) {
  const set = (i: number, patch: Partial<ChannelDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const add = () =>
    onChange([...drafts, { key: `new-${++made}`, name: "", url: "", url_set: false, disabled: false }]);
  return (
    <Panel
      title="Slack channels"
      id="slack"
      aside={
        <button type="button" className="button small" onClick={add} data-testid="add-channel">
          Add a channel
        </button>
      }
    >
      <p className="muted small">
        Each is an incoming webhook from Slack. Its URL is stored sealed and never shown again; leave it blank
        to keep the stored one. A channel removed here stops being posted to.
      </p>
      {drafts.length === 0 && <p className="muted">No Slack channels.</p>}
      {drafts.map((d, i) => (
        <div className="inline-form channel-row" key={d.key} data-testid="channel" data-name={d.name}>
          <Field label={`Channel ${i + 1} name`} error={errors[`slack_channels[${i}].name`]}>
            {(c) => (
              <input
                {...c}
                type="text"
                placeholder="#cs-alerts"
                value={d.name}
                onChange={(e) => set(i, { name: e.target.value })}
              />
            )}
          </Field>
          <Field
            label={
              <>
                Channel {i + 1} webhook URL <SetBadge set={d.url_set} testId="channel-url-set" />
              </>
            }
            error={errors[`slack_channels[${i}].webhook_url`]}
          >
            {(c) => (
              <input
                {...c}
                type="url"
                autoComplete="off"
                spellCheck={false}
                placeholder={d.url_set ? "•••••••• (stored)" : "https://hooks.slack.com/services/…"}
                value={d.url}
                onChange={(e) => set(i, { url: e.target.value })}
              />
            )}
          </Field>
          {d.disabled && <span className="tag inactive-tag">disabled</span>}
          <button
            type="button"
            className="button small"
            onClick={() => onChange(drafts.filter((_, j) => j !== i))}
            aria-label={`Remove channel ${d.name || i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
    </Panel>
  );
}

/** Sends one email now through the SMTP settings saved, and says what the server answered. */
export function TestEmailPanel({ defaultTo }: { defaultTo: string }) {
  const [to, setTo] = useState(defaultTo);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TestEmail | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    setErrors(NO_ERRORS);
    try {
      setResult(
        await api<TestEmail>("/api/v1/notifications/test-email", { method: "POST", body: { to: to.trim() } }),
      );
    } catch (err) {
      const f = formErrors(err, ["to"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };
  const ok = result?.state === "delivered";
  return (
    <Panel title="Send a test email" id="test-email">
      <form onSubmit={submit} noValidate className="inline-form" aria-label="Send a test email">
        <FormError errors={errors} />
        <Field label="Send to" error={errors.fields.to} hint="Uses the settings as saved.">
          {(c) => <input {...c} type="email" value={to} onChange={(e) => setTo(e.target.value)} />}
        </Field>
        <button type="submit" className="button" disabled={busy} data-testid="send-test-email">
          {busy ? "Sending…" : "Send test email"}
        </button>
      </form>
      {result && (
        <p
          className={ok ? "saved-note" : "field-error"}
          role="status"
          data-testid="test-email-result"
          data-state={result.state}
        >
          {ok
            ? `Sent: the server accepted it${result.status ? ` (${result.status})` : ""}.`
            : `Not sent (${result.state}${result.status ? `, ${result.status}` : ""})${result.error ? `: ${result.error}` : "."}`}
        </p>
      )}
    </Panel>
  );
}
