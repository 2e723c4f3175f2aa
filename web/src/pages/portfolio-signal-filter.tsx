import { SIGNAL_KINDS, SIGNAL_TITLES } from "../lib/signals";

/** The portfolio's filter by signal kind: only accounts with an active signal of that kind. */
export function SignalFilter({ value, onChange }: { value: string; onChange: (kind: string) => void }) {
  return (
    <select
      aria-label="Signal"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid="filter-signal"
    >
      <option value="">Any signal or none</option>
      {SIGNAL_KINDS.map((k) => (
        <option key={k} value={k}>
          Signal: {SIGNAL_TITLES[k].toLowerCase()}
        </option>
      ))}
    </select>
  );
}
