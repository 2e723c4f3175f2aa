/**
 * What text the store can hold and people can read: checked once, at the edge,
 * so PostgreSQL never sees a value it would refuse (a NUL byte is not valid in
 * `text` or `jsonb`) and a bad record is named instead of answered with a 500.
 */

/** C0 control characters other than tab, newline and carriage return (NUL among them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** Why `s` cannot be stored as text, or undefined when it can. */
export function textProblem(s: string): string | undefined {
  if (CONTROL.test(s)) {
    const c = CONTROL.exec(s)![0].charCodeAt(0);
    const name = c === 0 ? "a NUL character" : "a control character";
    return `contains ${name} (U+${c.toString(16).toUpperCase().padStart(4, "0")})`;
  }
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed())
    return "is not valid Unicode (a lone surrogate)";
  return undefined;
}

/** Echoes a customer value in a message without copying all of it. */
export function excerpt(value: unknown, max = 40): string {
  const s = typeof value === "string" ? value : String(value);
  const shown = s.length > max ? `${s.slice(0, max)}…` : s;
  // Control characters shown as escapes, so a message never carries them raw.
  return JSON.stringify(shown);
}

/** Limits of a JSON object field (event properties). */
export const OBJECT_LIMITS = { depth: 32, bytes: 64 * 1024 } as const;

/** Keys that would change an object's prototype when copied. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

/**
 * Why a JSON value cannot be stored as a `jsonb` object, or undefined when it
 * can: nested at most OBJECT_LIMITS.depth deep, at most OBJECT_LIMITS.bytes as
 * JSON, no NUL or lone surrogate in any key or string, no `__proto__` key.
 * Walks with its own stack, so a 10,000-deep value cannot overflow ours.
 */
export function objectProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "expected a JSON object";
  const stack: [unknown, number][] = [[value, 1]];
  let size = 2;
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      size += v.length + 2;
      const p = textProblem(v);
      if (p) return `holds a string that ${p}`;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return "holds a number that is not finite";
      size += 8;
    } else if (typeof v === "object" && v !== null) {
      if (depth > OBJECT_LIMITS.depth) return `is nested more than ${OBJECT_LIMITS.depth} levels deep`;
      if (Array.isArray(v)) {
        size += v.length + 2;
        for (const x of v) stack.push([x, depth + 1]);
      } else {
        for (const k of Object.keys(v)) {
          if (FORBIDDEN_KEYS.has(k)) return `holds the key "${k}", which is not allowed`;
          const p = textProblem(k);
          if (p) return `holds a key that ${p}`;
          size += k.length + 4;
          stack.push([(v as Record<string, unknown>)[k], depth + 1]);
        }
      }
    } else {
      size += 5;
    }
    if (size > OBJECT_LIMITS.bytes) return `is larger than ${OBJECT_LIMITS.bytes / 1024} KB as JSON`;
  }
  return undefined;
}
