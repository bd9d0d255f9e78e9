import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.ts';

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data when the component mounts and whenever `deps` change. A reload
 * keeps the previous data on screen, so polling never flashes a spinner.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller's deps decide when to load again; `tick` adds manual reloads.
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, loading, reload };
}

/** The value once it has stopped changing for `delay` ms. */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** Calls `callback` every `ms` while `active`; stops when the tab is hidden. */
export function useInterval(callback: () => void, ms: number, active: boolean): void {
  const saved = useRef(callback);
  saved.current = callback;
  useEffect(() => {
    if (!active) return undefined;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') saved.current();
    }, ms);
    return () => window.clearInterval(timer);
  }, [ms, active]);
}

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Sourcesible Activation`;
  }, [title]);
}

/**
 * A window of fast polling after the person started something whose effect the
 * server shows only later (a queued run): `start()` opens it for `ms`.
 */
export function useBurst(ms = 30_000): [boolean, () => void] {
  const [until, setUntil] = useState(0);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (until === 0) return undefined;
    const timer = window.setTimeout(
      () => setTick((value) => value + 1),
      Math.max(0, until - Date.now()) + 10,
    );
    return () => window.clearTimeout(timer);
  }, [until]);
  const start = useCallback(() => setUntil(Date.now() + ms), [ms]);
  return [Date.now() < until, start];
}
