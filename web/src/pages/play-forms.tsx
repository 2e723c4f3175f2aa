import { type FormEvent, useState } from "react";
import { Field, FormError, type FormErrors, formErrors, NO_ERRORS } from "../components/field";
import { addDays, isoDate } from "../lib/format";
import { type ChosenOutcome, OUTCOME_LABEL, OUTCOMES, type Play, playActions } from "../lib/plays";
import { sentence } from "./signin";

/** A failed change, said at its field, or for the form as a whole. */
function failed(err: unknown, fields: string[]): FormErrors {
  const f = formErrors(err, fields);
  return f.form ? { ...f, form: sentence(f.form) } : f;
}

/** Snoozing a play: until a day (9:00 that day, the reader's time) and why. */
export function SnoozeForm({
  play,
  onDone,
  onCancel,
}: {
  play: Play;
  onDone: (p: Play) => void;
  onCancel: () => void;
}) {
  const [until, setUntil] = useState(() => isoDate(addDays(new Date(), 7)));
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const at = /^\d{4}-\d{2}-\d{2}$/.test(until) ? new Date(`${until}T09:00`).toISOString() : until;
      onDone(await playActions.snooze(play.id, { until: at, reason }));
    } catch (err) {
      setErrors(failed(err, ["until", "reason"]));
      setBusy(false);
    }
  };
  return (
    <form
      className="inline-form play-form"
      onSubmit={submit}
      noValidate
      aria-label={`Snooze ${play.name}`}
      data-testid="snooze-form"
    >
      <FormError errors={errors} />
      <Field label="Snooze until" error={errors.fields.until}>
        {(c) => (
          <input
            {...c}
            type="date"
            value={until}
            min={isoDate(addDays(new Date(), 1))}
            onChange={(e) => setUntil(e.target.value)}
            data-testid="snooze-until"
          />
        )}
      </Field>
      <Field label="Why" error={errors.fields.reason} className="grow">
        {(c) => (
          <input
            {...c}
            type="text"
            value={reason}
            placeholder="e.g. waiting for their budget review"
            onChange={(e) => setReason(e.target.value)}
            data-testid="snooze-reason"
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={busy} data-testid="snooze-save">
        {busy ? "Snoozing…" : "Snooze"}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

/** Closing a play: an outcome is required; for "expanded", by how much. */
export function CloseForm({
  play,
  onDone,
  onCancel,
}: {
  play: Play;
  onDone: (p: Play) => void;
  onCancel: () => void;
}) {
  const [outcome, setOutcome] = useState<ChosenOutcome | "">("");
  const [amount, setAmount] = useState("");
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const n = amount.trim() === "" ? undefined : Number(amount);
      onDone(
        await playActions.close(play.id, {
          outcome,
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(outcome === "expanded" && amount.trim() !== ""
            ? { amount: n !== undefined && Number.isFinite(n) ? n : amount }
            : {}),
        }),
      );
    } catch (err) {
      setErrors(failed(err, ["outcome", "amount", "note"]));
      setBusy(false);
    }
  };
  return (
    <form
      className="inline-form play-form"
      onSubmit={submit}
      noValidate
      aria-label={`Close ${play.name}`}
      data-testid="close-form"
    >
      <FormError errors={errors} />
      <Field label="Outcome" error={errors.fields.outcome}>
        {(c) => (
          <select
            {...c}
            value={outcome}
            onChange={(e) => setOutcome(e.target.value as ChosenOutcome | "")}
            data-testid="close-outcome"
          >
            <option value="">Choose…</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABEL[o]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {outcome === "expanded" && (
        <Field label="Expanded by (ARR)" error={errors.fields.amount}>
          {(c) => (
            <input
              {...c}
              type="number"
              min={0}
              step="any"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              data-testid="close-amount"
            />
          )}
        </Field>
      )}
      <Field label="Note" error={errors.fields.note} className="grow">
        {(c) => (
          <input
            {...c}
            type="text"
            value={note}
            placeholder="What happened (optional)"
            onChange={(e) => setNote(e.target.value)}
            data-testid="close-note"
          />
        )}
      </Field>
      <button type="submit" className="button primary" disabled={busy} data-testid="close-save">
        {busy ? "Closing…" : "Close the play"}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
