import type { DeliveryMode } from "./notify-types";

/** The delivery modes a person picks from, in words. */
export const MODES: { value: DeliveryMode; label: string }[] = [
  { value: "default", label: "Urgent at once, the rest in a daily digest" },
  { value: "immediate", label: "Everything at once" },
  { value: "digest", label: "Everything in the daily digest" },
];

export const HOURS = Array.from({ length: 24 }, (_, h) => ({
  value: String(h),
  label: `${String(h).padStart(2, "0")}:00`,
}));

/** The IANA time zones this browser knows (for suggestions; the server checks the name). */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}
