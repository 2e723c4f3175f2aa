/** Formatting for people: money, dates, numbers and names. */
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(value: number | null | undefined, currency?: string | null): string {
  if (value === null || value === undefined) return "—";
  const cur = currency || "USD";
  let f = moneyFormats.get(cur);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en-US", { style: "currency", currency: cur, maximumFractionDigits: 0 });
    } catch {
      f = whole;
    }
    moneyFormats.set(cur, f);
  }
  return f.format(value);
}

/** Sums of ARR across accounts: short, and without a currency (accounts may differ). */
export function arr(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return compact.format(value);
}

export function count(value: number): string {
  return whole.format(value);
}

export function signed(value: number, digits = 0): string {
  const s = value.toFixed(digits);
  return value > 0 ? `+${s}` : value < 0 ? `−${s.slice(1)}` : s;
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });

const toDate = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

export function day(iso: string | null | undefined): string {
  return iso ? dayFormat.format(toDate(iso)) : "—";
}

export function month(iso: string | null | undefined): string {
  return iso ? monthFormat.format(toDate(iso)) : "—";
}

export function monthShort(iso: string): string {
  const d = toDate(iso);
  return d.getUTCMonth() === 0
    ? `${shortMonth.format(d)} ’${String(d.getUTCFullYear()).slice(2)}`
    : shortMonth.format(d);
}

/** Whole days from `now` to the date (negative when past). */
export function daysUntil(iso: string, now: Date = new Date()): number {
  const d = toDate(iso);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((d.getTime() - today) / 86_400_000);
}

export function relativeDays(iso: string, now: Date = new Date()): string {
  const n = daysUntil(iso.slice(0, 10), now);
  if (n === 0) return "today";
  if (n > 0) return n === 1 ? "tomorrow" : `in ${count(n)} days`;
  return n === -1 ? "yesterday" : `${count(-n)} days ago`;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

export function percent(value: number | null | undefined, digits = 0): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(digits)}%`;
}

/** A raw metric value: small numbers keep two decimals, large ones none. */
export function raw(value: number | null | undefined): string {
  if (value === null || value === undefined) return "no data";
  if (Number.isInteger(value)) return whole.format(value);
  const a = Math.abs(value);
  return a >= 100 ? whole.format(value) : a >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A segment for people: "mid_market" → "Mid market", "smb" → "SMB". */
export function segment(value: string | null | undefined): string {
  if (!value) return "—";
  return value.length <= 3 ? value.toUpperCase() : capital(value.replaceAll("_", " "));
}

/** snake_case to words: "mid_market" → "mid market". */
export function words(value: string | null | undefined): string {
  return value ? value.replaceAll("_", " ") : "—";
}

export function capital(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** A moment, in the reader's own time zone: "2 Dec 2026, 14:41". */
export function dateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : "—";
}

/** How long ago, roughly: "just now", "5 minutes ago", "3 days ago"; "never" for none. */
export function ago(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "never";
  const s = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (s < 60) return "just now";
  const [n, unit] =
    s < 3600
      ? [Math.round(s / 60), "minute"]
      : s < 86_400
        ? [Math.round(s / 3600), "hour"]
        : [Math.round(s / 86_400), "day"];
  return `${count(n)} ${unit}${n === 1 ? "" : "s"} ago`;
}

/** An account's owner for people: the user it resolves to, else the owner as the data names them. */
export function ownerName(a: { owner: string | null; owner_user: { name: string } | null }): string | null {
  return a.owner_user?.name ?? a.owner;
}
