import { arr, monthShort } from "../lib/format";
import type { StoredForecastPoint } from "../lib/types";
import { useWidth } from "./use-width";

export type ForecastMeasure = "accounts" | "arr";

interface Figures {
  expected: number;
  churned: number;
  /** The forecast's 80% range; absent from older reports. */
  range?: [number, number];
}

/** A point's figures in the measure (older reports carry no ARR: 0). */
function figures(p: StoredForecastPoint, measure: ForecastMeasure): Figures {
  return measure === "arr"
    ? { expected: p.expected_arr ?? 0, churned: p.churned_arr ?? 0, range: p.expected_arr_range }
    : { expected: p.expected, churned: p.churned, range: p.expected_range };
}

/**
 * Per tested month: the churn that followed (bars), the churn the model
 * expected (line) and its 80% range (whiskers), in accounts or ARR.
 */
export function ForecastChart({
  points: raw,
  measure = "accounts",
}: {
  points: StoredForecastPoint[];
  measure?: ForecastMeasure;
}) {
  const points = raw.map((p) => ({ date: p.date, ...figures(p, measure) }));

  const [ref, width] = useWidth<HTMLDivElement>(520);
  const height = 170;
  const m = { top: 10, right: 10, bottom: 22, left: measure === "arr" ? 48 : 34 };
  const iw = Math.max(120, width - m.left - m.right);
  const ih = height - m.top - m.bottom;
  const hi = Math.max(1, ...points.map((p) => Math.max(p.expected, p.churned, p.range?.[1] ?? 0)));
  const step = iw / Math.max(1, points.length);
  const x = (i: number) => m.left + step * (i + 0.5);
  const y = (v: number) => m.top + ih - (v / hi) * ih;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.expected).toFixed(1)}`);
  const label = Math.max(1, Math.ceil(points.length / 8));
  return (
    <div ref={ref} className="chart">
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Churn expected by the model against churn that followed, per month, in ${measure === "arr" ? "ARR" : "accounts"}`}
        data-testid="forecast-chart"
      >
        <line x1={m.left} x2={m.left + iw} y1={y(0)} y2={y(0)} className="axis-line" />
        <text x={m.left - 6} y={y(hi) + 4} textAnchor="end" className="axis">
          {measure === "arr" ? arr(hi) : Math.round(hi)}
        </text>
        <text x={m.left - 6} y={y(0) + 4} textAnchor="end" className="axis">
          0
        </text>
        {points.map((p, i) => (
          <rect
            key={p.date}
            x={x(i) - step * 0.35}
            y={y(p.churned)}
            width={step * 0.7}
            height={Math.max(0, y(0) - y(p.churned))}
            className="forecast-churned"
          >
            <title>
              {measure === "arr"
                ? `${p.date}: ${arr(p.churned)} ARR churned within the horizon, ${arr(p.expected)} expected`
                : `${p.date}: ${p.churned} churned within the horizon, ${p.expected.toFixed(1)} expected`}
            </title>
          </rect>
        ))}
        {points.map((p, i) =>
          p.range ? (
            <line
              key={p.date}
              x1={x(i)}
              x2={x(i)}
              y1={y(p.range[0])}
              y2={y(p.range[1])}
              className="forecast-range"
              data-testid="forecast-range"
            />
          ) : null,
        )}
        <path d={line.join("")} className="forecast-expected" />
        {points.map((p, i) => (
          <circle key={p.date} cx={x(i)} cy={y(p.expected)} r={3} className="forecast-expected-dot" />
        ))}
        {points.map((p, i) =>
          i % label === 0 ? (
            <text key={p.date} x={x(i)} y={height - 6} textAnchor="middle" className="axis">
              {monthShort(p.date)}
            </text>
          ) : null,
        )}
      </svg>
    </div>
  );
}
