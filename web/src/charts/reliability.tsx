import { count, percent } from "../lib/format";
import type { CalibrationBin } from "../lib/types";

/** Observed churn rate against the mean predicted probability, per probability bin: on the diagonal is right. */
export function Reliability({ bins }: { bins: CalibrationBin[] }) {
  const used = bins.filter((b) => b.count > 0 && b.mean_predicted !== null && b.observed_rate !== null);
  const size = 220;
  const pad = 28;
  const at = (v: number) => pad + v * (size - 2 * pad);
  const most = Math.max(1, ...used.map((b) => b.count));
  return (
    <div className="reliability">
      <svg
        width={size}
        height={size}
        role="img"
        aria-label="Observed churn rate against predicted probability"
        data-testid="reliability"
      >
        <rect x={pad} y={pad} width={size - 2 * pad} height={size - 2 * pad} className="frame" />
        <line x1={at(0)} y1={at(1)} x2={at(1)} y2={at(0)} className="diagonal" />
        {used.map((b) => (
          <circle
            key={b.from}
            cx={at(b.mean_predicted as number)}
            cy={size - at(b.observed_rate as number)}
            r={3 + 6 * Math.sqrt(b.count / most)}
            className="bin"
          >
            <title>
              {`predicted ${percent(b.mean_predicted, 1)}, churned ${percent(b.observed_rate, 1)} of ${count(b.count)}`}
            </title>
          </circle>
        ))}
        <text x={size / 2} y={size - 6} textAnchor="middle" className="axis-label">
          predicted
        </text>
        <text
          x={10}
          y={size / 2}
          textAnchor="middle"
          className="axis-label"
          transform={`rotate(-90 10 ${size / 2})`}
        >
          churned
        </text>
      </svg>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">Probability</th>
            <th scope="col" className="num">
              Observations
            </th>
            <th scope="col" className="num">
              Predicted
            </th>
            <th scope="col" className="num">
              Churned
            </th>
          </tr>
        </thead>
        <tbody>
          {used.map((b) => (
            <tr key={b.from}>
              <th scope="row">
                {percent(b.from)}–{percent(b.to)}
              </th>
              <td className="num">{count(b.count)}</td>
              <td className="num">{percent(b.mean_predicted, 1)}</td>
              <td className="num">{percent(b.observed_rate, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
