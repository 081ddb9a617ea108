import { useEffect, useState } from 'react';
import type { ClusterNode, ClusterProgress } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface ClustersState {
  clusters: ClusterNode[] | null;
  error: string | null;
  /** While the core computes them (explore.clusterProgress); null otherwise. */
  progress: ClusterProgress | null;
}

/**
 * The library's clusters (explore.clusters, every photo of each: the grid shows a cluster's
 * photos). Asked again when the embedded count changes; the core only recomputes when the
 * library changed a lot ([Note: Fresh clusters]).
 */
export function useClusters(embedded: number): ClustersState {
  const bridge = useBridge();
  const [state, setState] = useState<ClustersState>({
    clusters: null,
    error: null,
    progress: null,
  });
  useEffect(() => {
    let current = true;
    const stop = bridge.on('explore.clusterProgress', (progress) => {
      if (current) setState((previous) => ({ ...previous, progress }));
    });
    bridge.core['explore.clusters']({}).then(
      (clusters) => current && setState({ clusters, error: null, progress: null }),
      (error: unknown) =>
        current && setState({ clusters: null, error: errorMessage(error), progress: null }),
    );
    return () => {
      current = false;
      stop();
    };
  }, [bridge, embedded]);
  return state;
}
