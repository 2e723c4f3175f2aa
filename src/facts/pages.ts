import { AppError } from "../errors.js";

/** An opaque cursor: the sort value and id of the last row of the previous page. */
export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

export function decodeCursor(cursor: string): [unknown, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new AppError("bad_request", "cursor is not one this server gave out");
}

export interface Page<T> {
  data: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}
