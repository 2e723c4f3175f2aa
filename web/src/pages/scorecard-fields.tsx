import type { ReactNode } from "react";
import { formatPath, type Path } from "../lib/paths";

/** Errors from the API by field path (`categories[1].weight`). */
export type FieldErrors = Map<string, string[]>;

export interface FieldContext {
  errors: FieldErrors;
  /** What the person typed in number fields, by path, so "1." or "-" survive until they finish. */
  texts: Record<string, string>;
  setNumber: (path: Path, text: string) => void;
  setValue: (path: Path, value: unknown) => void;
}

export function Errors({ ctx, path }: { ctx: FieldContext; path: Path }) {
  const key = formatPath(path);
  const list = ctx.errors.get(key);
  if (!list?.length) return null;
  return (
    <span className="field-error" role="alert" data-field={key}>
      {list.join("; ")}
    </span>
  );
}

export function NumberField(props: {
  ctx: FieldContext;
  path: Path;
  value: unknown;
  label: string;
  hideLabel?: boolean;
  suffix?: ReactNode;
  width?: string;
}) {
  const key = formatPath(props.path);
  const text =
    props.ctx.texts[key] ?? (props.value === undefined || props.value === null ? "" : String(props.value));
  const invalid = props.ctx.errors.has(key);
  return (
    <span className={`field${invalid ? " invalid" : ""}`}>
      <label>
        <span className={props.hideLabel ? "sr-only" : "field-label"}>{props.label}</span>
        <input
          type="text"
          inputMode="decimal"
          value={text}
          aria-invalid={invalid}
          data-path={key}
          style={props.width ? { width: props.width } : undefined}
          onChange={(e) => props.ctx.setNumber(props.path, e.target.value)}
        />
        {props.suffix}
      </label>
      <Errors ctx={props.ctx} path={props.path} />
    </span>
  );
}

export function TextField(props: {
  ctx: FieldContext;
  path: Path;
  value: unknown;
  label: string;
  hideLabel?: boolean;
  list?: string;
  width?: string;
}) {
  const key = formatPath(props.path);
  const invalid = props.ctx.errors.has(key);
  return (
    <span className={`field${invalid ? " invalid" : ""}`}>
      <label>
        <span className={props.hideLabel ? "sr-only" : "field-label"}>{props.label}</span>
        <input
          type="text"
          value={typeof props.value === "string" ? props.value : ""}
          aria-invalid={invalid}
          data-path={key}
          list={props.list}
          style={props.width ? { width: props.width } : undefined}
          onChange={(e) => props.ctx.setValue(props.path, e.target.value)}
        />
      </label>
      <Errors ctx={props.ctx} path={props.path} />
    </span>
  );
}

export function SelectField(props: {
  ctx: FieldContext;
  path: Path;
  value: string;
  label: string;
  hideLabel?: boolean;
  options: { value: string; label: string }[];
  onChange?: (v: string) => void;
}) {
  const key = formatPath(props.path);
  const invalid = props.ctx.errors.has(key);
  return (
    <span className={`field${invalid ? " invalid" : ""}`}>
      <label>
        <span className={props.hideLabel ? "sr-only" : "field-label"}>{props.label}</span>
        <select
          value={props.value}
          aria-invalid={invalid}
          data-path={key}
          onChange={(e) =>
            props.onChange ? props.onChange(e.target.value) : props.ctx.setValue(props.path, e.target.value)
          }
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <Errors ctx={props.ctx} path={props.path} />
    </span>
  );
}
