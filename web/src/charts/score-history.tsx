import { BAND_STYLE, bandStyle } from "../lib/bands";
import { day, monthShort } from "../lib/format";
import { useWidth } from "./use-width";

export interface ScorePoint {
  date: string;
  score: number | null;
  band: string | null;
  /** The current score rather than a monthly snapshot. */
  current?: boolean;
}

/**
 * A score over time on 0–100 with the band regions tinted and the thresholds
 * drawn as labelled lines; each point is coloured by its band.
 */
export function ScoreHistoryChart(props: {
  points: ScorePoint[];
  thresholds: { healthy: number; watch: number };
  height?: number;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = props.height ?? 240;
  const m = { top: 12, right: 86, bottom: 28, left: 36 };
  const iw = Math.max(100, width - m.left - m.right);
  const ih = height - m.top - m.bottom;
  const times = props.points.map((p) => Date.parse(p.date.length === 10 ? `${p.date}T00:00:00Z` : p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => m.left + (t1 === t0 ? iw / 2 : ((t - t0) / (t1 - t0)) * iw);
  const y = (v: number) => m.top + ih - (v / 100) * ih;
  const { healthy, watch } = props.thresholds;
  let d = "";
  let pen = false;
  props.points.forEach((p, i) => {
    if (p.score === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(times[i]!).toFixed(1)},${y(p.score).toFixed(1)}`;
    pen = true;
  });
  const every = Math.max(1, Math.ceil(props.points.length / Math.max(2, Math.floor(iw / 56))));
  const label = `Score history: ${props.points
    .filter((p) => p.score !== null)
    .map((p) => `${p.current ? "now" : monthShort(p.date)} ${Math.round(p.score!)}`)
    .join(", ")}`;
  return (
    <div ref={ref} className="chart" data-testid="history-chart">
      <svg width={width} height={height} role="img" aria-label={label}>
        <title>{label}</title>
        <rect x={m.left} y={y(100)} width={iw} height={y(healthy) - y(100)} fill={BAND_STYLE.healthy.tint} />
        <rect
          x={m.left}
          y={y(healthy)}
          width={iw}
          height={y(watch) - y(healthy)}
          fill={BAND_STYLE.watch.tint}
        />
        <rect x={m.left} y={y(watch)} width={iw} height={y(0) - y(watch)} fill={BAND_STYLE.at_risk.tint} />
        {[0, 25, 50, 75, 100].map((t) => (
          <text key={t} x={m.left - 6} y={y(t) + 4} textAnchor="end" className="axis">
            {t}
          </text>
        ))}
        {(["healthy", "watch"] as const).map((t) => (
          <g key={t}>
            <line
              x1={m.left}
              x2={m.left + iw}
              y1={y(props.thresholds[t])}
              y2={y(props.thresholds[t])}
              className="threshold"
            />
            <text x={m.left + iw + 6} y={y(props.thresholds[t]) + 4} className="threshold-label">
              {BAND_STYLE[t].label} {props.thresholds[t]}
            </text>
          </g>
        ))}
        <text x={m.left + iw + 6} y={y(watch / 2) + 4} className="threshold-label">
          {BAND_STYLE.at_risk.label}
        </text>
        {d && <path d={d} fill="none" stroke="#334155" strokeWidth={2} strokeLinejoin="round" />}
        {props.points.map((p, i) =>
          p.score === null ? null : (
            <circle
              key={p.date}
              cx={x(times[i]!)}
              cy={y(p.score)}
              r={p.current ? 5.5 : 4}
              fill={bandStyle(p.band).fill}
              stroke="#fff"
              strokeWidth={1.5}
            >
              <title>{`${p.current ? `Now (${day(p.date)})` : monthShort(p.date)}: ${p.score.toFixed(1)}, ${bandStyle(p.band).label}`}</title>
            </circle>
          ),
        )}
        {props.points.map((p, i) =>
          i % every === 0 || i === props.points.length - 1 ? (
            <text key={`l${p.date}`} x={x(times[i]!)} y={height - 8} textAnchor="middle" className="axis">
              {p.current ? "now" : monthShort(p.date)}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}
