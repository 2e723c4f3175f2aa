import { EVENT_TYPES, eventLabel } from "../lib/notify-types";

/** Event-type checkboxes: none ticked means every type. */
export function EventTypePicker(props: {
  legend: string;
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  hint?: string;
  testId?: string;
}) {
  const toggle = (t: string) =>
    props.onChange(props.value.includes(t) ? props.value.filter((x) => x !== t) : [...props.value, t]);
  return (
    <fieldset className={`form-field${props.error ? " invalid" : ""}`} data-testid={props.testId}>
      <legend>{props.legend}</legend>
      <div className="checks">
        {EVENT_TYPES.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" checked={props.value.includes(t)} onChange={() => toggle(t)} value={t} />
            {eventLabel(t)}
          </label>
        ))}
      </div>
      {props.hint && <small className="hint">{props.hint}</small>}
      {props.error && (
        <span className="field-error" role="alert">
          {props.error}
        </span>
      )}
    </fieldset>
  );
}
