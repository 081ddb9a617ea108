import { useCallback, useEffect, useRef, useState } from 'react';
import type { Failure } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { baseName } from '../../format';
import type { Notify } from '../notices/use-notice';

export interface Failures {
  failures: Failure[] | null;
  error: string | null;
  /** Paths being retried right now. */
  retrying: ReadonlySet<string>;
  retry: (failure: Failure) => void;
}

/**
 * The files the core could not index, reloaded whenever the library's failure count changes.
 * A retry re-indexes the file; afterwards the list tells whether it is still failing.
 */
export function useFailures(failureCount: number, onChanged: () => void, notify: Notify): Failures {
  const { core } = useBridge();
  const [state, setState] = useState<{ failures: Failure[] | null; error: string | null }>({
    failures: null,
    error: null,
  });
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const latestRequest = useRef(0);

  const load = useCallback((): Promise<Failure[] | null> => {
    const request = ++latestRequest.current;
    return core['failures.list']().then(
      (failures) => {
        if (request === latestRequest.current) setState({ failures, error: null });
        return failures;
      },
      (error: unknown) => {
        if (request === latestRequest.current)
          setState({ failures: null, error: errorMessage(error) });
        return null;
      },
    );
  }, [core]);

  useEffect(() => {
    void load();
  }, [load, failureCount]);

  const retry = useCallback(
    (failure: Failure) => {
      const name = baseName(failure.path);
      setRetrying((paths) => new Set(paths).add(failure.path));
      void (async () => {
        try {
          await core['failures.retry'](failure.path);
          const still = (await load())?.find((candidate) => candidate.path === failure.path);
          notify(
            still
              ? { kind: 'error', message: `${name} still fails: ${still.message}` }
              : { kind: 'info', message: `${name} is indexed now.` },
          );
        } catch (error) {
          notify({ kind: 'error', message: `Could not retry ${name}: ${errorMessage(error)}` });
        } finally {
          setRetrying((paths) => {
            const next = new Set(paths);
            next.delete(failure.path);
            return next;
          });
          onChanged();
        }
      })();
    },
    [core, load, notify, onChanged],
  );

  return { ...state, retrying, retry };
}
