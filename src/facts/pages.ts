import { AppError } from "../errors.js";
import { textProblem } from "../ingest/index.js";

/** An opaque cursor: the sort value and id of the last row of the previous page. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

/** What a page's sort value is, so a cursor's can be checked before it reaches SQL. */
export type SortKind = "text" | "number" | "date";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fits(value: unknown, kind: SortKind): boolean {
  if (kind === "number") return typeof value === "number" && Number.isFinite(value);
  if (typeof value !== "string" || textProblem(value)) return false;
  return kind === "text" || (DATE.test(value) && !Number.isNaN(Date.parse(value)) && value >= "1900");
}

/** The sort value and id a cursor holds, checked against the page's sort; a 400 naming `cursor` otherwise. */
export function decodeCursor(cursor: string, kind: SortKind = "text"): [unknown, string] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    v = undefined;
  }
  if (
    Array.isArray(v) &&
    v.length === 2 &&
    typeof v[1] === "string" &&
    !textProblem(v[1]) &&
    fits(v[0], kind)
  )
    return [v[0], v[1]];
  throw new AppError("validation_failed", "cursor is not one this server gave out for this listing", {
    details: [{ field: "cursor", message: "pass the next_cursor of the previous page, with the same sort" }],
  });
}

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}
