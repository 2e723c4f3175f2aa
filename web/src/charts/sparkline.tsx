import { bandOfScore, bandStyle } from "../lib/bands";

/**
 * A score's last months as a small line on a fixed 0–100 scale (comparable row
 * to row), ending at the current score in its band's colour; gaps stay gaps.
 */
export function Sparkline(props: {
  values: (number | null)[];
  thresholds: { healthy: number; watch: number };
  width?: number;
  height?: number;
  label: string;
  /** The current score and band, drawn as the last point. */
  current?: { score: number | null; band: string | null };
}) {
  const values = props.current ? [...props.values, props.current.score] : props.values;
  const w = props.width ?? 96;
  const h = props.height ?? 24;
  const n = values.length;
  const x = (i: number) => (n <= 1 ? w / 2 : 2 + (i * (w - 4)) / (n - 1));
  const y = (v: number) => h - 2 - (Math.max(0, Math.min(100, v)) / 100) * (h - 4);
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  let lastIndex = -1;
  for (let i = n - 1; i >= 0; i--) {
    if (values[i] !== null) {
      lastIndex = i;
      break;
    }
  }
  const last = lastIndex >= 0 ? (values[lastIndex] as number) : null;
  const known = values.filter((v): v is number => v !== null);
  const title = known.length
    ? `${props.label}: ${known.map((v) => Math.round(v)).join(", ")}`
    : `${props.label}: no history yet`;
  return (
    <svg className="sparkline" width={w} height={h} role="img" aria-label={title}>
      <title>{title}</title>
      <line
        x1={0}
        x2={w}
        y1={y(props.thresholds.watch)}
        y2={y(props.thresholds.watch)}
        className="spark-guide"
      />
      {d && <path d={d} fill="none" stroke="#64748b" strokeWidth={1.5} strokeLinejoin="round" />}
      {last !== null && (
        <circle
          cx={x(lastIndex)}
          cy={y(last)}
          r={2.6}
          fill={
            bandStyle(
              props.current && lastIndex === values.length - 1
                ? props.current.band
                : bandOfScore(last, props.thresholds),
            ).fill
          }
        />
      )}
      {!known.length && (
        <text x={w / 2} y={h / 2 + 4} textAnchor="middle" className="chart-note">
          no history
        </text>
      )}
    </svg>
  );
}
