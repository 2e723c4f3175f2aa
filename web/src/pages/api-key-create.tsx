import { type FormEvent, useState } from "react";
import { CopyField } from "../components/copy";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { Panel } from "../components/states";
import { api } from "../lib/api";
import { addDays, isoDate } from "../lib/format";
import type { ApiKey, Scope } from "../lib/types";
import { sentence } from "./signin";

export const SCOPE_TEXT: Record<Scope, string> = {
  read: "read facts, scores and insights",
  ingest: "send facts",
  write: "change accounts' work",
  admin: "everything a key can do",
};
const SCOPES = Object.keys(SCOPE_TEXT) as Scope[];
const EXPIRY = [
  { value: "", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
  { value: "date", label: "On a date…" },
];

/** When a key made now stops working: the end of the chosen day (UTC), or never. */
function expiresAt(choice: string, date: string): string | null {
  if (!choice) return null;
  const day = choice === "date" ? date : isoDate(addDays(new Date(), Number(choice)));
  return day ? `${day}T23:59:59Z` : "";
}

/** The key, shown once: Keepwell keeps only its hash. */
export function NewKey({ made, onDone }: { made: ApiKey & { key: string }; onDone: () => void }) {
  return (
    <div className="notice key-notice" role="status" data-testid="new-key-notice">
      <p>
        <strong>The key “{made.name}”.</strong> Copy it now: it will not be shown again. Keepwell keeps only a
        hash of it, so a lost key cannot be recovered, only revoked and replaced.
      </p>
      <CopyField value={made.key} label="The new API key" testId="new-key" />
      <p className="muted small">
        Send it as <code>Authorization: Bearer …</code>.{" "}
        <button type="button" className="button link small" onClick={onDone} data-testid="new-key-done">
          I have copied it
        </button>
      </p>
    </div>
  );
}

export function CreateKey({ onCreated }: { onCreated: (k: ApiKey & { key: string }) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["read"]);
  const [expiry, setExpiry] = useState("");
  const [date, setDate] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const toggle = (s: Scope) => setScopes((l) => (l.includes(s) ? l.filter((x) => x !== s) : [...l, s]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!name.trim()) problems.name = "Name the key after what will use it.";
    if (scopes.length === 0) problems.scopes = "Choose at least one scope.";
    if (expiry === "date" && !date) problems.expires_at = "Choose the day it expires.";
    if (Object.keys(problems).length) {
      setErrors({ fields: problems });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const made = await api<ApiKey & { key: string }>("/api/v1/api-keys", {
        method: "POST",
        body: { name: name.trim(), scopes, expires_at: expiresAt(expiry, date) },
      });
      setName("");
      setScopes(["read"]);
      setExpiry("");
      onCreated(made);
    } catch (err) {
      const f = formErrors(err, ["name", "scopes", "expires_at"]);
      setErrors(f.form ? { ...f, form: sentence(f.form) } : f);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Create a key" id="create-key">
      <form
        onSubmit={submit}
        noValidate
        className="inline-form"
        aria-label="Create an API key"
        data-testid="key-form"
      >
        <FormError errors={errors} />
        <Field
          label="Name"
          error={errors.fields.name}
          hint="What will use it: “CRM sync”, “warehouse export”."
        >
          {(c) => <input {...c} type="text" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <fieldset
          className={`form-field scopes${errors.fields.scopes ? " invalid" : ""}`}
          aria-describedby={errors.fields.scopes ? "scopes-error" : undefined}
        >
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={() => toggle(s)}
                data-testid={`scope-${s}`}
              />
              <code>{s}</code> <span className="muted small">{SCOPE_TEXT[s]}</span>
            </label>
          ))}
          {errors.fields.scopes && (
            <span className="field-error" id="scopes-error" role="alert">
              {errors.fields.scopes}
            </span>
          )}
        </fieldset>
        <Field label="Expires" error={expiry === "date" ? undefined : errors.fields.expires_at}>
          {(c) => (
            <select {...c} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRY.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {expiry === "date" && (
          <Field label="Expires at the end of (UTC)" error={errors.fields.expires_at}>
            {(c) => (
              <input
                {...c}
                type="date"
                min={isoDate(addDays(new Date(), 1))}
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            )}
          </Field>
        )}
        <button type="submit" className="button primary" disabled={busy} data-testid="create-key">
          {busy ? "Creating…" : "Create the key"}
        </button>
      </form>
    </Panel>
  );
}
