import { BAND_STYLE, BANDS } from "../lib/bands";
import type { BandCounts, GroupDistribution } from "../lib/types";

/** A horizontal bar of band counts, each part in its band's colour and counted in its title. */
export function BandBar({ bands, width = 220 }: { bands: BandCounts; width?: number }) {
  const total = BANDS.reduce((s, b) => s + bands[b], 0);
  let x = 0;
  const label = BANDS.map((b) => `${bands[b]} ${BAND_STYLE[b].label.toLowerCase()}`).join(", ");
  return (
    <svg width={width} height={16} role="img" aria-label={label} className="band-bar">
      <title>{label}</title>
      {total === 0 ? (
        <rect width={width} height={16} fill="#eef0f3" />
      ) : (
        BANDS.map((b) => {
          const w = (bands[b] / total) * width;
          const r = (
            <rect key={b} x={x} width={w} height={16} fill={BAND_STYLE[b].fill}>
              <title>{`${bands[b]} ${BAND_STYLE[b].label.toLowerCase()}`}</title>
            </rect>
          );
          x += w;
          return r;
        })
      )}
    </svg>
  );
}

/** Quantiles of a group's scores on 0–100: whiskers p10–p90, box p25–p75, the median marked. */
export function BoxPlot({
  g,
  thresholds,
  width = 320,
}: {
  g: GroupDistribution;
  thresholds: { healthy: number; watch: number };
  width?: number;
}) {
  const h = 26;
  const x = (v: number) => 4 + (v / 100) * (width - 8);
  const label =
    g.median === null
      ? `${g.group}: no scores`
      : `${g.group}: median ${g.median}, middle half ${g.p25}–${g.p75}, 80% between ${g.p10} and ${g.p90}`;
  return (
    <svg width={width} height={h} role="img" aria-label={label} className="box-plot">
      <title>{label}</title>
      <rect x={x(0)} y={0} width={x(thresholds.watch) - x(0)} height={h} fill={BAND_STYLE.at_risk.tint} />
      <rect
        x={x(thresholds.watch)}
        y={0}
        width={x(thresholds.healthy) - x(thresholds.watch)}
        height={h}
        fill={BAND_STYLE.watch.tint}
      />
      <rect
        x={x(thresholds.healthy)}
        y={0}
        width={x(100) - x(thresholds.healthy)}
        height={h}
        fill={BAND_STYLE.healthy.tint}
      />
      {g.median !== null && g.p10 !== null && g.p25 !== null && g.p75 !== null && g.p90 !== null && (
        <g>
          <line x1={x(g.p10)} x2={x(g.p90)} y1={h / 2} y2={h / 2} stroke="#334155" strokeWidth={1.5} />
          <line x1={x(g.p10)} x2={x(g.p10)} y1={7} y2={h - 7} stroke="#334155" strokeWidth={1.5} />
          <line x1={x(g.p90)} x2={x(g.p90)} y1={7} y2={h - 7} stroke="#334155" strokeWidth={1.5} />
          <rect
            x={x(g.p25)}
            y={4}
            width={Math.max(1, x(g.p75) - x(g.p25))}
            height={h - 8}
            fill="#fff"
            stroke="#334155"
            strokeWidth={1.5}
            rx={2}
          />
          <line x1={x(g.median)} x2={x(g.median)} y1={4} y2={h - 4} stroke="#0f172a" strokeWidth={3} />
        </g>
      )}
    </svg>
  );
}

/** The 0–100 scale under box plots. */
export function ScoreAxis({ width = 320 }: { width?: number }) {
  const x = (v: number) => 4 + (v / 100) * (width - 8);
  return (
    <svg width={width} height={16} aria-hidden="true">
      {[0, 25, 50, 75, 100].map((v) => (
        <text
          key={v}
          x={x(v)}
          y={12}
          textAnchor={v === 0 ? "start" : v === 100 ? "end" : "middle"}
          className="axis"
        >
          {v}
        </text>
      ))}
    </svg>
  );
}
