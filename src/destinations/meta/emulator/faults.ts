import { GraphError } from './errors.ts';

/**
 * A failure to inject into the next matching calls, e.g. two transient code-2 answers on
 * uploads: `{ path: /\/users$/, count: 2, error: { code: 2, message: 'Service unavailable' } }`.
 */
export interface InjectedFailure {
  /**
   * Matched against the path without its version, e.g. `/123/users`. A string matches
   * exactly, except that `*` stands for any one segment (`/act_*` matches any ad account);
   * a RegExp is tested as is.
   */
  path: string | RegExp;
  /** Only calls with this method (after `method=DELETE` overrides); any when absent. */
  method?: string;
  /** How many matching calls fail. Default 1. */
  count?: number;
  /**
   * `before` (default) fails the call without doing it; `after` does the work and then answers
   * with the error, as when Meta stores an upload but the answer is lost.
   */
  when?: 'before' | 'after';
  error: {
    status?: number;
    code: number;
    subcode?: number;
    message: string;
    type?: string;
    is_transient?: boolean;
  };
}

interface PlannedFailure {
  matches: (path: string) => boolean;
  method: string | undefined;
  remaining: number;
  when: 'before' | 'after';
  error: GraphError;
}

export class FaultPlan {
  #planned: PlannedFailure[] = [];

  clear(): void {
    this.#planned.length = 0;
  }

  add(failure: InjectedFailure): void {
    const { error } = failure;
    this.#planned.push({
      matches: pathMatcher(failure.path),
      method: failure.method?.toUpperCase(),
      remaining: failure.count ?? 1,
      when: failure.when ?? 'before',
      error: new GraphError({
        code: error.code,
        subcode: error.subcode,
        message: error.message,
        type: error.type,
        status: error.status,
        isTransient: error.is_transient,
      }),
    });
  }

  /** The error to answer with at this point of the call, spending one use of its plan. */
  take(method: string, path: string, when: 'before' | 'after'): GraphError | null {
    const planned = this.#planned.find(
      (item) =>
        item.when === when && (!item.method || item.method === method) && item.matches(path),
    );
    if (!planned) return null;
    planned.remaining -= 1;
    if (planned.remaining <= 0) this.#planned = this.#planned.filter((item) => item !== planned);
    return planned.error;
  }
}

function pathMatcher(pattern: string | RegExp): (path: string) => boolean {
  if (pattern instanceof RegExp) return (path) => pattern.test(path);
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  const regex = new RegExp(`^${escaped}/?$`);
  return (path) => regex.test(path);
}
