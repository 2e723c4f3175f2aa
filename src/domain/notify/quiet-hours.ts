import { addDays, atLocal, localParts } from "./local-time.js";
import type { QuietHours } from "./types.js";

/**
 * When a recipient's quiet hours end, if `now` falls in them; null when it
 * does not. Quiet hours are minutes after local midnight and may wrap it
 * (22:00–07:00 is 1320–420); a start equal to the end means none. Windows
 * are laid on the recipient's calendar as instants (atLocal), so a start or
 * end the clocks skip moves forward and one they show twice is the first.
 */
export function quietUntil(quiet: QuietHours | null, timeZone: string, now: Date): Date | null {
  if (!quiet || quiet.start === quiet.end) return null;
  const today = localParts(now, timeZone).date;
  const wraps = quiet.start > quiet.end;
  let until: Date | null = null;
  // The window that began yesterday (it may run into today) and today's.
  for (const day of [addDays(today, -1), today]) {
    const start = atLocal(day, quiet.start, timeZone);
    const end = atLocal(wraps ? addDays(day, 1) : day, quiet.end, timeZone);
    if (start <= now && now < end && (until === null || end > until)) until = end;
  }
  return until;
}

/** "22:00" → 1320; null for anything but a 24-hour HH:MM. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** 1320 → "22:00". */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `${String(h).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
