/** Paths into a JSON document, written like the API's error fields: `categories[1].measures[0].scale.best`. */
export type Path = readonly (string | number)[];

export function formatPath(path: Path): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}

export function getIn(doc: unknown, path: Path): unknown {
  let v = doc;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** A copy of `doc` with the value at `path` replaced (undefined removes an object key). */
export function setIn<T>(doc: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const child = setIn(getIn(doc, [head]), rest, value);
  if (Array.isArray(doc)) {
    const copy = [...doc];
    copy[head as number] = child;
    return copy as T;
  }
  const copy = { ...(doc as Record<string, unknown>) };
  if (child === undefined) delete copy[head];
  else copy[head] = child;
  return copy as T;
}

/** A number from what was typed, or the text itself so the server can say what is wrong with it. */
export function parseNumber(text: string): number | string {
  const t = text.trim();
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : text;
}
