import { MovementMatrix } from "../charts/movement";
import { BandBadge } from "../components/band";
import { BAND_STYLE, BANDS } from "../lib/bands";
import { count, signed } from "../lib/format";
import { Link } from "../lib/router";
import type { Mover, RescoreEffect } from "../lib/types";

function Movers({ title, list }: { title: string; list: Mover[] }) {
  if (list.length === 0) return null;
  return (
    <div>
      <h3>{title}</h3>
      <ul className="movers">
        {list.map((m) => (
          <li key={m.account}>
            <Link to={`/accounts/${encodeURIComponent(m.account)}`}>{m.name ?? m.account}</Link>
            <span className={m.change > 0 ? "trend up" : "trend down"}>{signed(m.change, 1)}</span>
            <span className="muted">
              {m.before?.toFixed(0) ?? "—"} → {m.after?.toFixed(0) ?? "—"}
            </span>
            {m.band_before !== m.band_after && (
              <span>
                <BandBadge band={m.band_before} small /> → <BandBadge band={m.band_after} small />
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** What a rescore changed: band counts before and after, the mean change, the band moves and the biggest movers. */
export function RescoreResult({ effect }: { effect: RescoreEffect }) {
  const before = (b: string) => effect.moves.filter((m) => m.from === b).reduce((s, m) => s + m.accounts, 0);
  const after = (b: string) => effect.moves.filter((m) => m.to === b).reduce((s, m) => s + m.accounts, 0);
  return (
    <div className="effect" data-testid="rescore-effect">
      <p>
        <strong>{count(effect.run.accounts)}</strong> accounts scored with version{" "}
        {effect.run.scorecard_version} in {effect.run.seconds} s:{" "}
        <strong data-testid="changed-count">{count(effect.changed)}</strong> changed
        {effect.average_change !== null && (
          <>, the average score moved {signed(effect.average_change, 1)} points</>
        )}
        .
      </p>
      <div className="effect-grid">
        <table className="before-after">
          <thead>
            <tr>
              <th scope="col">Band</th>
              <th scope="col" className="num">
                Before
              </th>
              <th scope="col" className="num">
                After
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {BANDS.map((b) => (
              <tr key={b} data-band={b}>
                <th scope="row">
                  <span className="swatch" style={{ background: BAND_STYLE[b].fill }} aria-hidden="true" />{" "}
                  {BAND_STYLE[b].label}
                </th>
                <td className="num">{count(before(b))}</td>
                <td className="num">{count(after(b))}</td>
                <td className="num">{signed(after(b) - before(b))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <MovementMatrix moves={effect.moves} fromLabel="Before" toLabel="After" />
      </div>
      <div className="movers-row">
        <Movers title="Rose most" list={effect.up} />
        <Movers title="Fell most" list={effect.down} />
      </div>
    </div>
  );
}
