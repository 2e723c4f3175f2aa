import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "./api";

export type Loaded<T> =
  | { status: "loading"; data?: T; error?: undefined }
  | { status: "ok"; data: T; error?: undefined }
  | { status: "error"; data?: T; error: ApiError };

/**
 * Fetches `path` (null: nothing to fetch) and refetches when it changes,
 * keeping the previous data while the next arrives so pages do not flash.
 */
export function useApi<T>(path: string | null): Loaded<T> & { reload: () => void } {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const [tick, setTick] = useState(0);
  const last = useRef<T | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload
  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    setState({ status: "loading", data: last.current });
    api<T>(path, { signal: ctrl.signal }).then(
      (data) => {
        last.current = data;
        setState({ status: "ok", data });
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const error = err instanceof ApiError ? err : new ApiError(String(err), 0, "client");
        setState({ status: "error", error, data: last.current });
      },
    );
    return () => ctrl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** A value that follows `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
