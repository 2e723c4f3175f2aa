import { monthShort, raw } from "../lib/format";
import { useWidth } from "./use-width";

/** One metric over time, small: its own scale, the first and last labels, the latest value written out. */
export function MiniLine(props: {
  label: string;
  dates: string[];
  values: (number | null)[];
  height?: number;
}) {
  const [ref, width] = useWidth<HTMLDivElement>(220);
  const height = props.height ?? 86;
  const m = { top: 8, right: 8, bottom: 18, left: 8 };
  const known = props.values.filter((v): v is number => v !== null);
  const lo = Math.min(0, ...known);
  const hi = Math.max(lo + 1e-9, ...known);
  const iw = Math.max(60, width - m.left - m.right);
  const ih = height - m.top - m.bottom;
  const n = props.values.length;
  const x = (i: number) => m.left + (n <= 1 ? iw / 2 : (i / (n - 1)) * iw);
  const y = (v: number) => m.top + ih - ((v - lo) / (hi - lo || 1)) * ih;
  let d = "";
  let pen = false;
  props.values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  let last: number | null = null;
  for (let i = n - 1; i >= 0 && last === null; i--) last = props.values[i] ?? null;
  const title = `${props.label}: ${known.length ? props.values.map((v) => raw(v)).join(", ") : "no data"}`;
  return (
    <figure className="mini-line">
      <figcaption>
        <span>{props.label}</span>
        <strong>{raw(last)}</strong>
      </figcaption>
      <div ref={ref}>
        <svg width={width} height={height} role="img" aria-label={title}>
          <title>{title}</title>
          <line x1={m.left} x2={m.left + iw} y1={y(lo)} y2={y(lo)} className="axis-line" />
          {d ? (
            <path d={d} fill="none" stroke="#2563eb" strokeWidth={1.8} strokeLinejoin="round" />
          ) : (
            <text x={width / 2} y={height / 2} textAnchor="middle" className="chart-note">
              no data
            </text>
          )}
          {props.dates.length > 0 && (
            <>
              <text x={m.left} y={height - 4} className="axis">
                {monthShort(props.dates[0]!)}
              </text>
              <text x={m.left + iw} y={height - 4} textAnchor="end" className="axis">
                now
              </text>
            </>
          )}
        </svg>
      </div>
    </figure>
  );
}
