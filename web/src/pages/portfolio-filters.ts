import { query } from "../lib/api";
import { isBand } from "../lib/bands";
import { addDays, isoDate } from "../lib/format";
import { isSignalKind } from "../lib/signals";
import type { Band } from "../lib/types";

/** Whose accounts: everyone's, the signed-in person's own book, or their team's (a leader's). */
export type Book = "all" | "mine" | "team";
const BOOKS: readonly Book[] = ["all", "mine", "team"];

/** The table's state, all of it in the URL so a view can be shared and Back works. */
export interface Filters {
  book: Book;
  /** The book shown without `book` in the URL: a leader starts on their team's, everyone else on all. */
  defaultBook: Book;
  bands: Band[];
  segment: string;
  owner: string;
  /** "", "30", "90", "180", "365" (days from today), or "custom" with from/to. */
  renewal: string;
  from: string;
  to: string;
  q: string;
  /** "active" (default), "churned" or "all". */
  status: string;
  /** "" (all), "yes" (flagged by the churn model) or "no". */
  flagged: string;
  /** "" (any) or a signal kind: only accounts with an active signal of that kind. */
  signal: string;
  sort: string;
  limit: number;
  cursor: string;
  page: number;
}

export const DEFAULT_SORT = "score";
export const RENEWAL_WINDOWS = [
  { value: "", label: "Any renewal date" },
  { value: "30", label: "Renews in 30 days" },
  { value: "90", label: "Renews in 90 days" },
  { value: "180", label: "Renews in 6 months" },
  { value: "365", label: "Renews in 12 months" },
  { value: "custom", label: "Renews between…" },
];

export function readFilters(p: URLSearchParams, defaultBook: Book = "all"): Filters {
  const limit = Number(p.get("limit"));
  const book = p.get("book") as Book;
  return {
    book: BOOKS.includes(book) ? book : defaultBook,
    defaultBook,
    bands: (p.get("band") ?? "").split(",").filter(isBand),
    segment: p.get("segment") ?? "",
    owner: p.get("owner") ?? "",
    renewal: p.get("renewal") ?? "",
    from: p.get("from") ?? "",
    to: p.get("to") ?? "",
    q: p.get("q") ?? "",
    status: p.get("status") ?? "active",
    flagged: ["yes", "no"].includes(p.get("flagged") ?? "") ? (p.get("flagged") as string) : "",
    signal: isSignalKind(p.get("signal") ?? "") ? (p.get("signal") as string) : "",
    sort: p.get("sort") ?? DEFAULT_SORT,
    limit: [25, 50, 100].includes(limit) ? limit : 50,
    cursor: p.get("cursor") ?? "",
    page: Math.max(1, Number(p.get("page")) || 1),
  };
}

/** The page URL for some filters (defaults left out). */
export function filtersUrl(f: Filters): string {
  return `/${query({
    book: f.book === f.defaultBook ? "" : f.book,
    band: f.bands.join(","),
    segment: f.segment,
    owner: f.owner,
    renewal: f.renewal,
    from: f.renewal === "custom" ? f.from : "",
    to: f.renewal === "custom" ? f.to : "",
    q: f.q,
    status: f.status === "active" ? "" : f.status,
    flagged: f.flagged,
    signal: f.signal,
    sort: f.sort === DEFAULT_SORT ? "" : f.sort,
    limit: f.limit === 50 ? "" : f.limit,
    cursor: f.cursor,
    page: f.page > 1 ? f.page : "",
  })}`;
}

/** Whether anything narrows the table down. */
export function isFiltered(f: Filters): boolean {
  return Boolean(
    f.bands.length ||
      f.segment ||
      f.owner ||
      f.renewal ||
      f.q ||
      f.flagged ||
      f.signal ||
      f.status !== "active",
  );
}

/** The renewal window as dates. */
export function renewalRange(f: Filters, today: Date = new Date()): { from?: string; to?: string } {
  if (f.renewal === "custom") return { from: f.from || undefined, to: f.to || undefined };
  const days = Number(f.renewal);
  if (!days) return {};
  return { from: isoDate(today), to: isoDate(addDays(today, days)) };
}

/** The accounts API call for a page of the table. */
export function accountsUrl(f: Filters): string {
  const r = renewalRange(f);
  return `/api/v1/accounts${query({
    book: f.book === "all" ? "" : f.book,
    band: f.bands.join(","),
    segment: f.segment,
    owner: f.owner,
    renewal_from: r.from,
    renewal_to: r.to,
    q: f.q.trim(),
    status: f.status === "all" ? "" : f.status,
    flagged: f.flagged === "yes" ? "true" : f.flagged === "no" ? "false" : "",
    signal: f.signal,
    sort: f.sort,
    limit: f.limit,
    cursor: f.cursor,
  })}`;
}

/** What identifies a result set (everything but the page), to know when paging starts over. */
export function resultKey(f: Filters): string {
  return accountsUrl({ ...f, cursor: "", page: 1 });
}
