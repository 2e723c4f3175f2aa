/** A write-only secret's state: stored or not (never its value). */
export function SetBadge({ set, testId }: { set: boolean; testId?: string }) {
  return (
    <span className={`tag ${set ? "set" : "unset"}`} data-testid={testId} data-set={set ? "yes" : "no"}>
      {set ? "set" : "not set"}
    </span>
  );
}
