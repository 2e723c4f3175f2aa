import { BAND_STYLE, BANDS } from "../lib/bands";
import { count } from "../lib/format";
import type { Histogram as HistogramData } from "../lib/types";
import { niceTicks, useWidth } from "./use-width";

/** How scores spread: a bar per bucket, stacked by band, with the band thresholds drawn. */
export function Histogram({ data, height = 190 }: { data: HistogramData; height?: number }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const m = { top: 14, right: 12, bottom: 28, left: 40 };
  const iw = Math.max(100, width - m.left - m.right);
  const ih = height - m.top - m.bottom;
  const max = Math.max(1, ...data.buckets.map((b) => b.accounts));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? max;
  const x = (score: number) => m.left + (score / 100) * iw;
  const y = (n: number) => m.top + ih - (n / top) * ih;
  const total = data.buckets.reduce((s, b) => s + b.accounts, 0);
  const label = `Score distribution of ${count(total)} scored accounts in buckets of ${data.bucket_size} points`;
  return (
    <div ref={ref} className="chart">
      <svg width={width} height={height} role="img" aria-label={label}>
        <title>{label}</title>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={m.left} x2={m.left + iw} y1={y(t)} y2={y(t)} className="grid" />
            <text x={m.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
              {count(t)}
            </text>
          </g>
        ))}
        {data.buckets.map((b) => {
          let base = 0;
          const bw = Math.max(1, x(b.to) - x(b.from) - 2);
          return (
            <g key={b.from}>
              {BANDS.map((band) => {
                const n = b.bands[band];
                if (!n) return null;
                const y0 = y(base);
                base += n;
                const y1 = y(base);
                return (
                  <rect
                    key={band}
                    x={x(b.from) + 1}
                    y={y1}
                    width={bw}
                    height={Math.max(0.5, y0 - y1)}
                    fill={BAND_STYLE[band].fill}
                  >
                    <title>{`${b.from}–${b.to}: ${n} ${BAND_STYLE[band].label.toLowerCase()}`}</title>
                  </rect>
                );
              })}
              <rect x={x(b.from)} y={m.top} width={bw + 2} height={ih} fill="transparent">
                <title>{`Score ${b.from}–${b.to}: ${b.accounts} accounts`}</title>
              </rect>
            </g>
          );
        })}
        {(["watch", "healthy"] as const).map((t) => (
          <g key={t}>
            <line
              x1={x(data.thresholds[t])}
              x2={x(data.thresholds[t])}
              y1={m.top - 6}
              y2={m.top + ih}
              className="threshold"
            />
            <text x={x(data.thresholds[t]) + 4} y={m.top + 2} className="threshold-label">
              {BAND_STYLE[t].label} {data.thresholds[t]}
            </text>
          </g>
        ))}
        {[0, 20, 40, 60, 80, 100].map((s) => (
          <text key={s} x={x(s)} y={height - 10} textAnchor="middle" className="axis">
            {s}
          </text>
        ))}
        <line x1={m.left} x2={m.left + iw} y1={m.top + ih} y2={m.top + ih} className="axis-line" />
      </svg>
    </div>
  );
}

export function BandLegend() {
  return (
    <ul className="legend" aria-label="Bands">
      {BANDS.map((b) => (
        <li key={b}>
          <span className="swatch" style={{ background: BAND_STYLE[b].fill }} aria-hidden="true" />
          {BAND_STYLE[b].label}
        </li>
      ))}
    </ul>
  );
}
