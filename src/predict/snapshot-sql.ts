/** SQL over a score snapshot's columns (score_history and current_scores share them). */

/** SQL: the names of a snapshot's signals column (a json array of {name, …}) as text[]. */
export function signalNamesSql(column: string): string {
  return `(SELECT coalesce(array_agg(s->>'name'), '{}'::text[]) FROM json_array_elements(${column}) s)`;
}

/** SQL: a categories array column as {key: score} (categories without a score left out). */
export function categoryScoresSql(column: string): string {
  return `(SELECT coalesce(jsonb_object_agg(c->>'key', c->'score'), '{}'::jsonb)
     FROM jsonb_array_elements(${column}) c WHERE jsonb_typeof(c->'score') = 'number')`;
}
