import { useEffect, useState } from 'react';
import type { SearchHit } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import { runSearch } from './search-request';
import type { SearchRequest } from './search-request';

export interface SearchResults {
  hits: SearchHit[];
  /** The request has not been answered yet (the previous answer stays on screen meanwhile). */
  loading: boolean;
  error: string | null;
}

interface Answer {
  request: SearchRequest;
  libraryVersion: number;
  hits: SearchHit[];
  error: string | null;
}

/**
 * [Note: Stale answers] Every request gets its own effect run; when a newer request (or a newer
 * library version) replaces it, the cleanup marks the old run stale and its answer is dropped,
 * so a slow old query can never overwrite the results of a newer one. The contract has no
 * cancellation for queries; the core answers in milliseconds, so ignoring is enough.
 */
export function useSearchResults(
  request: SearchRequest | null,
  libraryVersion: number,
): SearchResults {
  const { core } = useBridge();
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (!request) return;
    let current = true;
    runSearch(core, request).then(
      (hits) => {
        if (current) setAnswer({ request, libraryVersion, hits, error: null });
      },
      (error: unknown) => {
        if (current) setAnswer({ request, libraryVersion, hits: [], error: errorMessage(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [core, request, libraryVersion]);

  if (!request) return { hits: [], loading: false, error: null };
  const answered = answer?.request === request && answer.libraryVersion === libraryVersion;
  return { hits: answer?.hits ?? [], loading: !answered, error: answered ? answer.error : null };
}
