/** Small bars, one a week, on their own scale (a person's load, a simulation's plays per week). */
export function WeekBars({
  weeks,
  label,
  width = 96,
  height = 22,
  max,
}: {
  weeks: number[];
  label: string;
  width?: number;
  height?: number;
  /** A shared top of the scale, so two charts compare; the largest week by default. */
  max?: number;
}) {
  if (weeks.length < 2) return null;
  const top = Math.max(1, max ?? 0, ...weeks);
  const bw = width / weeks.length;
  const title = `${label}: ${weeks.join(", ")}`;
  return (
    <svg className="week-bars" width={width} height={height} role="img" aria-label={title}>
      <title>{title}</title>
      {weeks.map((n, i) => {
        const bh = (n / top) * (height - 2);
        return (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: one bar per week, in order
            key={i}
            x={i * bw + 0.5}
            y={height - bh}
            width={Math.max(1, bw - 1)}
            height={bh}
            fill="#64748b"
          />
        );
      })}
    </svg>
  );
}
