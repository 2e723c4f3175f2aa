import { BAND_STYLE, bandOfScore } from "../lib/bands";
import { capital, percent, raw } from "../lib/format";
import type { Snapshot } from "../lib/types";

/** The scorecard's categories: each score on 0–100, its share of the total, how complete its data was. */
export function Categories({
  s,
  thresholds = { healthy: 75, watch: 60 },
}: {
  s: Snapshot;
  thresholds?: { healthy: number; watch: number };
}) {
  return (
    <ul className="categories" data-testid="categories">
      {s.categories.map((c) => {
        const band = c.score === null ? null : bandOfScore(c.score, thresholds);
        const fill = band ? BAND_STYLE[band].fill : "#cbd5e1";
        return (
          <li key={c.key}>
            <div className="category-line">
              <span className="category-name">{c.name}</span>
              <span className="category-score" style={{ color: band ? BAND_STYLE[band].ink : undefined }}>
                {c.score === null ? "no data" : Math.round(c.score)}
              </span>
            </div>
            <div className="bar" aria-hidden="true">
              <span style={{ width: `${c.score ?? 0}%`, background: fill }} />
            </div>
            <div className="category-meta muted">
              {percent(c.weight)} of the score · {percent(c.completeness)} of its data present
            </div>
          </li>
        );
      })}
    </ul>
  );
}

/** What pulls the score down (with the raw values) and what would raise it most. */
export function Explanation({ s }: { s: Snapshot }) {
  const { drags, improvements } = s.explanation;
  return (
    <div className="explanation" data-testid="explanation">
      <h3>Biggest drags</h3>
      {drags.length === 0 ? (
        <p className="muted">Nothing is dragging this score down.</p>
      ) : (
        <ol className="drags">
          {drags.map((d) => (
            <li key={d.metric}>
              <span>
                <span className="drag-label">{capital(d.label)}</span> is <strong>{raw(d.raw)}</strong>, worth{" "}
                {Math.round(d.points)} of 100 points
              </span>
              <span className="drag-cost">−{d.lost_points.toFixed(1)} points</span>
            </li>
          ))}
        </ol>
      )}
      <h3>What would raise it most</h3>
      {improvements.length === 0 ? (
        <p className="muted">Every measure with data is already at its best.</p>
      ) : (
        <ul className="improvements">
          {improvements.map((i) => (
            <li key={i.metric}>
              <span className="gain">+{i.points_gained.toFixed(1)}</span>
              {i.sentence.charAt(0).toUpperCase() + i.sentence.slice(1)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Every measure: its raw value, points, weight and contribution (missing data is shown, never counted as zero). */
export function MeasureTable({ s }: { s: Snapshot }) {
  const names = new Map(s.categories.map((c) => [c.key, c.name]));
  return (
    <div className="table-wrap">
      <table className="measures">
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Measure</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="num">
              Points
            </th>
            <th scope="col" className="num">
              Weight
            </th>
            <th scope="col" className="num">
              Adds
            </th>
          </tr>
        </thead>
        <tbody>
          {s.explanation.measures.map((m) => (
            <tr key={`${m.category}.${m.metric}`} className={m.points === null ? "missing" : undefined}>
              <td>{names.get(m.category) ?? m.category}</td>
              <td>{m.label}</td>
              <td className="num">{raw(m.raw)}</td>
              <td className="num">{m.points === null ? "—" : Math.round(m.points)}</td>
              <td className="num">{m.points === null ? "left out" : percent(m.effective_weight, 1)}</td>
              <td className="num">{m.points === null ? "—" : m.contribution.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
