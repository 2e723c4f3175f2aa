import { type FormEvent, useState } from "react";
import { CopyField } from "../components/copy";
import { EventTypePicker } from "../components/event-types";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Panel } from "../components/states";
import { api } from "../lib/api";
import type { WebhookCreated } from "../lib/notify-types";
import { sentence } from "./signin";

/** A signing secret just made or rotated: shown this once, never again. */
export type Shown = { kind: "created" | "rotated"; id: string; url: string; secret: string };

export function SecretNotice({ shown, onDone }: { shown: Shown; onDone: () => void }) {
  return (
    <div className="notice key-notice" role="status" data-testid="secret-notice">
      <p>
        <strong>
          {shown.kind === "created" ? "The endpoint's signing secret" : "The endpoint's new signing secret"}
        </strong>{" "}
        for <span className="endpoint-url">{shown.url}</span>. Copy it now: it will not be shown again.
        {shown.kind === "rotated" && " The old secret keeps signing beside it for 24 hours."}
      </p>
      <CopyField value={shown.secret} label="The signing secret" testId="webhook-secret" />
      <p className="muted small">
        Verify each call's <code>webhook-signature</code> with it (any Standard Webhooks library).{" "}
        <button type="button" className="button link small" onClick={onDone} data-testid="secret-done">
          I have copied it
        </button>
      </p>
    </div>
  );
}

export function CreateEndpoint({ onCreated }: { onCreated: (made: WebhookCreated) => void }) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [types, setTypes] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!url.trim()) {
      setErrors({ fields: { url: "Give the address Keepwell should call." } });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const made = await api<WebhookCreated>("/api/v1/webhooks", {
        method: "POST",
        body: {
          url: url.trim(),
          event_types: types,
          ...(description.trim() ? { description: description.trim() } : {}),
        },
      });
      setUrl("");
      setDescription("");
      setTypes([]);
      onCreated(made);
    } catch (err) {
      const f = formErrors(err, ["url", "description", "event_types"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Add an endpoint" id="add-endpoint">
      <form onSubmit={submit} noValidate aria-label="Add a webhook endpoint" data-testid="endpoint-form">
        <FormError errors={errors} />
        <div className="form-grid">
          <Field
            label="Endpoint URL"
            error={errors.fields.url}
            className="wide"
            hint="https://… (Make, Zapier, n8n or your own service)."
          >
            {(c) => (
              <input
                {...c}
                type="url"
                spellCheck={false}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            )}
          </Field>
          <Field label="Description" error={errors.fields.description} className="wide">
            {(c) => (
              <input
                {...c}
                type="text"
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            )}
          </Field>
          <div className="wide">
            <EventTypePicker
              legend="Events to send"
              value={types}
              onChange={setTypes}
              error={errors.fields.event_types}
              hint="None ticked: every event."
              testId="endpoint-events"
            />
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy} data-testid="create-endpoint">
            {busy ? "Adding…" : "Add the endpoint"}
          </button>
        </div>
      </form>
    </Panel>
  );
}
