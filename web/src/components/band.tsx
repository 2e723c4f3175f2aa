import { bandStyle } from "../lib/bands";
import { signed } from "../lib/format";

/** A band's name on its colour: the colour is never the only cue. */
export function BandBadge({ band, small }: { band: string | null | undefined; small?: boolean }) {
  const s = bandStyle(band);
  return (
    <span
      className={`badge${small ? " small" : ""}`}
      style={{ background: s.fill, color: s.text }}
      data-band={band ?? "unscored"}
    >
      {s.label}
    </span>
  );
}

/** A score in its band's colour. */
export function Score({
  score,
  band,
  big,
}: {
  score: number | null | undefined;
  band: string | null | undefined;
  big?: boolean;
}) {
  const s = bandStyle(band);
  return (
    <span
      className={big ? "score big" : "score"}
      style={{ color: s.ink }}
      title={`${s.label}${score == null ? "" : `: ${score}`}`}
    >
      {score === null || score === undefined ? "—" : score.toFixed(1)}
    </span>
  );
}

/** The change of a score: an arrow and the number, green up, red down. */
export function Trend({ value, label = "in 30 days" }: { value: number | null | undefined; label?: string }) {
  if (value === null || value === undefined)
    return (
      <span className="trend none" title="no earlier score">
        ·
      </span>
    );
  const dir = value > 0.5 ? "up" : value < -0.5 ? "down" : "flat";
  const arrow = dir === "up" ? "▲" : dir === "down" ? "▼" : "▶";
  return (
    <span className={`trend ${dir}`} title={`${signed(value, 1)} points ${label}`}>
      <span aria-hidden="true">{arrow}</span>
      {signed(value, 0)}
    </span>
  );
}

/** Completeness of a score's inputs as a thin bar and a percentage. */
export function Completeness({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  const pct = Math.round(value * 100);
  return (
    <span className="completeness" title={`${pct}% of the scorecard's weight had data`}>
      <span className="meter" aria-hidden="true">
        <span
          style={{ width: `${pct}%`, background: pct >= 80 ? "#5f6b7a" : pct >= 50 ? "#a3abb6" : "#cc2b2b" }}
        />
      </span>
      {pct}%
    </span>
  );
}
