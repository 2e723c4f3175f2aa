import { type ReactNode, useId } from "react";
import { ApiError } from "../lib/api";

/** What a control needs to be labelled and to point at its hint or error. */
export interface ControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

/** A labelled form control with its hint, and its error right under it (read out when it appears). */
export function Field(props: {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean);
  return (
    <div className={`form-field${props.error ? " invalid" : ""} ${props.className ?? ""}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        "aria-invalid": !!props.error,
        "aria-describedby": described.length ? described.join(" ") : undefined,
      })}
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** A failed submit, split into errors at the fields the form has and one for the form itself. */
export interface FormErrors {
  fields: Record<string, string>;
  form?: string;
  error?: ApiError;
}

export function formErrors(err: unknown, fields: readonly string[]): FormErrors {
  const e = err instanceof ApiError ? err : new ApiError(String(err), 0, "client");
  const out: FormErrors = { fields: {}, error: e };
  for (const d of e.details) {
    if (fields.includes(d.field))
      out.fields[d.field] = [out.fields[d.field], d.message].filter(Boolean).join("; ");
  }
  if (Object.keys(out.fields).length === 0) out.form = e.message;
  return out;
}

export const NO_ERRORS: FormErrors = { fields: {} };

/** The form's own error (not tied to one field), as an alert. */
export function FormError({ errors, testId }: { errors: FormErrors; testId?: string }) {
  if (!errors.form) return null;
  return (
    <div className="state state-error form-error" role="alert" data-testid={testId ?? "form-error"}>
      {errors.form}
    </div>
  );
}
