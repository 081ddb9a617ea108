import { useEffect, useState } from 'react';
import type { MapProgress, SimilarityMap } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface SimilarityMapState {
  map: SimilarityMap | null;
  error: string | null;
  /** While the core computes the layout (explore.mapProgress); null otherwise. */
  progress: MapProgress | null;
}

/**
 * The library's similarity map (explore.map). Asked again when the embedded count changes; the
 * core lays the library out again only when it changed a lot ([Note: Fresh map]).
 */
export function useSimilarityMap(embedded: number): SimilarityMapState {
  const bridge = useBridge();
  const [state, setState] = useState<SimilarityMapState>({
    map: null,
    error: null,
    progress: null,
  });
  useEffect(() => {
    let current = true;
    const stop = bridge.on('explore.mapProgress', (progress) => {
      if (current) setState((previous) => ({ ...previous, progress }));
    });
    bridge.core['explore.map']().then(
      (map) => current && setState({ map, error: null, progress: null }),
      (error: unknown) =>
        current && setState({ map: null, error: errorMessage(error), progress: null }),
    );
    return () => {
      current = false;
      stop();
    };
  }, [bridge, embedded]);
  return state;
}
