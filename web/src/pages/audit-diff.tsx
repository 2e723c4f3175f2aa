import { dateTime } from "../lib/format";
import { formatPath, type Path } from "../lib/paths";

type Leaf = { path: string; value: unknown };
const LIMIT = 24;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const scalar = (v: unknown) => v === null || typeof v !== "object";

/** Every value in a JSON document by its path (arrays of plain values stay whole: scopes, lists). */
function leaves(v: unknown, path: Path = [], out: Leaf[] = []): Leaf[] {
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0 && path.length) out.push({ path: formatPath(path), value: v });
    for (const k of keys) leaves(v[k], [...path, k], out);
  } else if (Array.isArray(v) && !v.every(scalar)) {
    v.forEach((x, i) => {
      leaves(x, [...path, i], out);
    });
  } else out.push({ path: formatPath(path) || "value", value: v });
  return out;
}

export type Change = { field: string; before?: unknown; after?: unknown };

/** What changed between two versions of a thing: the fields that differ (both), or what it was or became. */
export function changes(before: unknown, after: unknown): Change[] {
  const has = (v: unknown) => v !== null && v !== undefined;
  if (has(before) && has(after)) {
    const a = new Map(leaves(before).map((l) => [l.path, l.value]));
    const b = new Map(leaves(after).map((l) => [l.path, l.value]));
    const out: Change[] = [];
    for (const field of new Set([...a.keys(), ...b.keys()])) {
      if (JSON.stringify(a.get(field)) !== JSON.stringify(b.get(field)))
        out.push({ field, before: a.get(field), after: b.get(field) });
    }
    return out;
  }
  if (has(after)) return leaves(after).map((l) => ({ field: l.path, after: l.value }));
  if (has(before)) return leaves(before).map((l) => ({ field: l.path, before: l.value }));
  return [];
}

/** A value for people: user ids as names, lists joined, nothing as a dash. */
function Value({ v, names }: { v: unknown; names: Map<string, string> }) {
  if (v === undefined || v === null || v === "") return <span className="muted">—</span>;
  if (typeof v === "boolean") return <>{v ? "yes" : "no"}</>;
  if (typeof v === "string" && names.has(v)) return <span title={v}>{names.get(v)}</span>;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v))
    return <time dateTime={v}>{dateTime(v)}</time>;
  if (Array.isArray(v)) return <>{v.map(String).join(", ") || "none"}</>;
  if (typeof v === "object") return <code>{JSON.stringify(v)}</code>;
  return <>{String(v)}</>;
}

/** An entry's before and after, readably: a diff of the changed fields when it has both. */
export function Diff({
  before,
  after,
  names,
}: {
  before: unknown;
  after: unknown;
  names: Map<string, string>;
}) {
  const list = changes(before, after);
  if (list.length === 0)
    return before !== null && before !== undefined ? (
      <span className="muted small">no field changed</span>
    ) : null;
  const both = before !== null && before !== undefined && after !== null && after !== undefined;
  return (
    <table className="diff" data-testid="audit-diff">
      <tbody>
        {list.slice(0, LIMIT).map((c) => (
          <tr key={c.field} data-field={c.field}>
            <th scope="row">{c.field}</th>
            {both ? (
              <>
                <td className="before">
                  <Value v={c.before} names={names} />
                </td>
                <td className="arrow" aria-label="became">
                  →
                </td>
                <td className="after">
                  <Value v={c.after} names={names} />
                </td>
              </>
            ) : (
              <td className={c.after === undefined ? "before" : "after"} colSpan={3}>
                <Value v={c.after === undefined ? c.before : c.after} names={names} />
              </td>
            )}
          </tr>
        ))}
        {list.length > LIMIT && (
          <tr>
            <td colSpan={4} className="muted small">
              and {list.length - LIMIT} more fields
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
