import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api/client.ts';

export interface Resource<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * GETs a path and keeps the answer; a new path refetches. Answers to older paths are dropped,
 * so fast typing in a search box never shows the results of an earlier query last.
 */
export function useResource<T>(path: string | null, options: { pollMs?: number } = {}): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const latest = useRef(0);

  const load = useCallback(async () => {
    if (path === null) return;
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await api.get<T>(path);
      if (ticket !== latest.current) return;
      setData(result);
      setError(undefined);
    } catch (caught) {
      if (ticket !== latest.current) return;
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'INTERNAL_ERROR', String(caught)));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    void load();
    if (!options.pollMs) return;
    const timer = setInterval(() => void load(), options.pollMs);
    return () => clearInterval(timer);
  }, [load, options.pollMs]);

  return { data, error, loading, reload: load };
}

/** The value after it has stopped changing for `ms`: search-as-you-type without a request per key. */
export function useDebounced<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface Action {
  /** The last failure, shown until the next attempt. */
  failure: ApiError | undefined;
  busy: boolean;
  /** Runs a change; an API failure is kept for display (and resolves false), anything else is a bug and rethrown. */
  run(action: () => Promise<unknown>): Promise<boolean>;
}

/** A button's change against the API (reveal, reissue, revoke…), with its failure kept for an ErrorNotice. */
export function useAction(): Action {
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setFailure(undefined);
    setBusy(true);
    try {
      await action();
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      setFailure(error);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { failure, busy, run };
}
