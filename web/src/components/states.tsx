import type { ReactNode } from "react";
import type { ApiError } from "../lib/api";
import type { Loaded } from "../lib/use-api";

export function Loading({ label = "Loading…", height }: { label?: string; height?: number }) {
  return (
    <div
      className="state state-loading"
      role="status"
      aria-live="polite"
      style={height ? { minHeight: height } : undefined}
    >
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  what,
}: {
  error: ApiError;
  onRetry?: () => void;
  what?: string;
}) {
  if (error.status === 403 && error.code === "forbidden") return <Forbidden error={error} />;
  return (
    <div className="state state-error" role="alert">
      <strong>{what ? `Could not load ${what}.` : "Something went wrong."}</strong>{" "}
      <span>{error.message}</span>
      {onRetry && (
        <button type="button" className="button small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The server refused: the signed-in person's role does not allow this (its message says which role would). */
export function Forbidden({ error }: { error: ApiError }) {
  return (
    <div className="state state-forbidden" role="alert" data-testid="forbidden">
      <strong>You don't have permission for this.</strong> <span>{error.message}</span>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/**
 * Renders a loaded value, or its loading or error state. While a reload is in
 * flight the previous data stays on screen (dimmed), so nothing flashes.
 */
export function Async<T>(props: {
  value: Loaded<T> & { reload?: () => void };
  what: string;
  height?: number;
  children: (data: T) => ReactNode;
}) {
  const { value } = props;
  if (value.data !== undefined) {
    return (
      <div
        className={value.status === "loading" ? "async reloading" : "async"}
        aria-busy={value.status === "loading"}
      >
        {value.status === "error" && (
          <ErrorState error={value.error} onRetry={value.reload} what={props.what} />
        )}
        {props.children(value.data)}
      </div>
    );
  }
  if (value.status === "error")
    return <ErrorState error={value.error} onRetry={value.reload} what={props.what} />;
  return <Loading label={`Loading ${props.what}…`} height={props.height} />;
}

export function Panel(props: {
  title: string;
  children: ReactNode;
  aside?: ReactNode;
  id?: string;
  className?: string;
}) {
  return (
    <section
      className={`panel ${props.className ?? ""}`}
      aria-labelledby={props.id ? `${props.id}-title` : undefined}
    >
      <header className="panel-head">
        <h2 id={props.id ? `${props.id}-title` : undefined}>{props.title}</h2>
        {props.aside && <div className="panel-aside">{props.aside}</div>}
      </header>
      {props.children}
    </section>
  );
}
