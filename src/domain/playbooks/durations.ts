/**
 * Durations as people write them in a playbook: `0h` (at once), `30m`, `48h`,
 * `14d`, `2w`. Kept as text in the configuration, turned into milliseconds here.
 */
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(m|h|d|w)$/;

export function durationMs(text: string): number {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (write e.g. 0h, 30m, 48h, 14d, 2w)`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

export function isDuration(text: string): boolean {
  return DURATION_PATTERN.test(text.trim());
}

export const DAY_MS = UNIT_MS.d;

export function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}

/** "3 h 20 min", "2 days": how late, or how long, in words. */
export function durationWords(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}
