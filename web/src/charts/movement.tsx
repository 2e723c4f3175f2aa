import { BAND_RANK, bandLabel, bandStyle } from "../lib/bands";
import { arr, count, monthShort } from "../lib/format";
import type { Transition } from "../lib/types";
import { niceTicks, useWidth } from "./use-width";

const ORDER = ["new", "healthy", "watch", "at_risk", "critical", "unscored", "gone"];

export interface Move {
  from: string;
  to: string;
  accounts: number;
  arr?: number;
}

/** Whether a move is to a better (-1), the same (0) or a worse (1) band; null when not comparable. */
export function direction(from: string, to: string): -1 | 0 | 1 | null {
  const a = BAND_RANK[from];
  const b = BAND_RANK[to];
  if (a === undefined || b === undefined) return null;
  return a === b ? 0 : b > a ? 1 : -1;
}

/**
 * Where accounts went: a row per band they were in, a column per band they
 * are in now, shaded green for better, red for worse, grey for unchanged.
 */
export function MovementMatrix({
  moves,
  fromLabel,
  toLabel,
}: {
  moves: Move[];
  fromLabel: string;
  toLabel: string;
}) {
  const rows = ORDER.filter(
    (b) => b !== "gone" && (BAND_RANK[b] !== undefined || moves.some((m) => m.from === b)),
  );
  const cols = ORDER.filter(
    (b) => b !== "new" && (BAND_RANK[b] !== undefined || moves.some((m) => m.to === b)),
  );
  const cell = new Map(moves.map((m) => [`${m.from}>${m.to}`, m]));
  const max = Math.max(1, ...moves.map((m) => m.accounts));
  return (
    <table className="matrix" data-testid="movement-matrix">
      <caption className="sr-only">
        Accounts by band in {fromLabel} (rows) and in {toLabel} (columns)
      </caption>
      <thead>
        <tr>
          <th scope="col" className="corner">
            {fromLabel} ↓ · {toLabel} →
          </th>
          {cols.map((c) => (
            <th key={c} scope="col" style={{ color: bandStyle(c).ink }}>
              {bandLabel(c)}
            </th>
          ))}
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const total = cols.reduce((s, c) => s + (cell.get(`${r}>${c}`)?.accounts ?? 0), 0);
          return (
            <tr key={r}>
              <th scope="row" style={{ color: bandStyle(r).ink }}>
                {bandLabel(r)}
              </th>
              {cols.map((c) => {
                const m = cell.get(`${r}>${c}`);
                const n = m?.accounts ?? 0;
                const dir = direction(r, c);
                const alpha = n ? 0.15 + 0.65 * (n / max) : 0;
                const rgb = dir === -1 ? "30,123,60" : dir === 1 ? "204,43,43" : "100,116,139";
                const title = `${n} account${n === 1 ? "" : "s"} from ${bandLabel(r).toLowerCase()} to ${bandLabel(c).toLowerCase()}${m?.arr ? `, ARR ${arr(m.arr)}` : ""}`;
                return (
                  <td
                    key={c}
                    title={title}
                    style={{
                      background: n ? `rgba(${rgb},${alpha.toFixed(2)})` : undefined,
                      color: alpha > 0.5 ? "#fff" : undefined,
                    }}
                    className={r === c ? "diagonal" : undefined}
                  >
                    {n ? count(n) : <span className="muted">·</span>}
                  </td>
                );
              })}
              <td className="total">{count(total)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Per month: accounts that moved to a better band (up, green) and to a worse one (down, red). */
export function MovementBars({
  transitions,
  selected,
  onSelect,
}: {
  transitions: Transition[];
  selected?: string;
  onSelect?: (toMonth: string) => void;
}) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const months = [...new Set(transitions.map((t) => t.to_month))].sort();
  const data = months.map((mo) => {
    let up = 0;
    let down = 0;
    for (const t of transitions) {
      if (t.to_month !== mo) continue;
      const d = direction(t.from, t.to);
      if (d === -1) up += t.accounts;
      if (d === 1) down += t.accounts;
    }
    return { month: mo, up, down };
  });
  const height = 170;
  const m = { top: 10, right: 10, bottom: 22, left: 36 };
  const iw = Math.max(100, width - m.left - m.right);
  const ih = height - m.top - m.bottom;
  const max = Math.max(1, ...data.map((d) => Math.max(d.up, d.down)));
  const ticks = niceTicks(max, 2);
  const top = ticks[ticks.length - 1] ?? max;
  const mid = m.top + ih / 2;
  const s = (n: number) => (n / top) * (ih / 2);
  const bw = Math.max(4, iw / Math.max(1, data.length) - 8);
  const label = `Accounts moving to a better or worse band each month: ${data.map((d) => `${monthShort(d.month)} ${d.up} better, ${d.down} worse`).join("; ")}`;
  return (
    <div ref={ref} className="chart">
      <svg width={width} height={height} role="img" aria-label={label}>
        <title>{label}</title>
        {ticks.map((t) => (
          <g key={t}>
            <text x={m.left - 6} y={mid - s(t) + 4} textAnchor="end" className="axis">
              {t ? `+${t}` : "0"}
            </text>
            {t > 0 && (
              <text x={m.left - 6} y={mid + s(t) + 4} textAnchor="end" className="axis">
                −{t}
              </text>
            )}
            <line x1={m.left} x2={m.left + iw} y1={mid - s(t)} y2={mid - s(t)} className="grid" />
            <line x1={m.left} x2={m.left + iw} y1={mid + s(t)} y2={mid + s(t)} className="grid" />
          </g>
        ))}
        {data.map((d, i) => {
          const cx = m.left + (i + 0.5) * (iw / data.length);
          const active = d.month === selected;
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: the month selector next to the chart does the same by keyboard
            <g
              key={d.month}
              onClick={() => onSelect?.(d.month)}
              style={{ cursor: onSelect ? "pointer" : undefined }}
            >
              <rect
                x={cx - bw / 2 - 3}
                y={m.top}
                width={bw + 6}
                height={ih}
                fill={active ? "#e2e8f0" : "transparent"}
              />
              <rect x={cx - bw / 2} y={mid - s(d.up)} width={bw} height={s(d.up)} fill="#1e7b3c">
                <title>{`${monthShort(d.month)}: ${d.up} to a better band`}</title>
              </rect>
              <rect x={cx - bw / 2} y={mid} width={bw} height={s(d.down)} fill="#cc2b2b">
                <title>{`${monthShort(d.month)}: ${d.down} to a worse band`}</title>
              </rect>
              <text x={cx} y={height - 6} textAnchor="middle" className="axis">
                {monthShort(d.month)}
              </text>
            </g>
          );
        })}
        <line x1={m.left} x2={m.left + iw} y1={mid} y2={mid} className="axis-line" />
      </svg>
    </div>
  );
}
