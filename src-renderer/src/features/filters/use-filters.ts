import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LibraryFacets, SearchFilters } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';
import type { SearchRequest } from '../search/search-request';
import { NO_FACETS, NO_FILTERS, toSearchFilters } from './filter-state';
import type { FilterKey, FilterState } from './filter-state';

export interface Filters {
  state: FilterState;
  set: <K extends FilterKey>(key: K, value: FilterState[K]) => void;
  clear: () => void;
  /** Whether the controls are shown (the chips always are). */
  open: boolean;
  setOpen: (open: boolean) => void;
  /** What the controls offer (`library.facets`), the empty library's while loading. */
  facets: LibraryFacets;
  facetsError: string | null;
  searchFilters: SearchFilters;
}

/**
 * [Note: Filters stay] The filters belong to the window, not to a query: they are kept when the
 * query changes (text, image, "more like these", a combined query) and apply to every one of
 * them, until they are removed. The choices are the library's facets, asked while the controls
 * are shown: when they open, and again whenever the number of embedded photos changes meanwhile
 * (a facets query reads every photo row: 0.07–0.3 s at 100,000 photos, docs/explore.md).
 */
export function useFilters(embedded: number): Filters {
  const bridge = useBridge();
  const [state, setState] = useState<FilterState>(NO_FILTERS);
  const [open, setOpen] = useState(false);
  const [facets, setFacets] = useState<{ facets: LibraryFacets; error: string | null }>({
    facets: NO_FACETS,
    error: null,
  });

  useEffect(() => {
    if (!open) return;
    let current = true;
    bridge.core['library.facets']().then(
      (answer) => current && setFacets({ facets: answer, error: null }),
      (error: unknown) =>
        current && setFacets((previous) => ({ ...previous, error: errorMessage(error) })),
    );
    return () => {
      current = false;
    };
  }, [bridge, embedded, open]);

  const set = useCallback(<K extends FilterKey>(key: K, value: FilterState[K]) => {
    setState((previous) => ({ ...previous, [key]: value }));
  }, []);
  const clear = useCallback(() => setState(NO_FILTERS), []);
  const searchFilters = useMemo(() => toSearchFilters(state), [state]);
  return {
    state,
    set,
    clear,
    open,
    setOpen,
    facets: facets.facets,
    facetsError: facets.error,
    searchFilters,
  };
}

/** The query with the filters attached: a new request whenever either changes. */
export function useFilteredRequest(
  request: SearchRequest | null,
  filters: SearchFilters,
): SearchRequest | null {
  return useMemo(() => (request ? { ...request, filters } : null), [request, filters]);
}
