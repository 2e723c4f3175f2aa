import { useRef, useState } from "react";

/** Text to copy (a link, a key), read-only and selected on focus, with a button that copies it. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      input.current?.select();
      setState("failed");
    }
  };
  return (
    <div className="copy-field">
      <label className="sr-only" htmlFor={`${testId ?? "copy"}-value`}>
        {label}
      </label>
      <input
        ref={input}
        id={`${testId ?? "copy"}-value`}
        readOnly
        value={value}
        onFocus={(e) => e.target.select()}
        data-testid={testId}
        spellCheck={false}
      />
      <button
        type="button"
        className="button"
        onClick={copy}
        data-testid={testId ? `${testId}-copy` : undefined}
      >
        {state === "copied" ? "Copied" : "Copy"}
      </button>
      <span className="muted small" role="status">
        {state === "failed" ? "Could not copy: it is selected, press Ctrl+C (⌘C)." : ""}
      </span>
    </div>
  );
}
