import { useEffect, useState } from 'react';
import type { ClusterNode } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface ClustersState {
  clusters: ClusterNode[] | null;
  error: string | null;
}

/**
 * The library's clusters (explore.clusters, every photo of each: the grid shows a cluster's
 * photos). Asked again when the embedded count changes; the core only recomputes when the
 * library changed a lot ([Note: Fresh clusters]).
 */
export function useClusters(embedded: number): ClustersState {
  const { core } = useBridge();
  const [state, setState] = useState<ClustersState>({ clusters: null, error: null });
  useEffect(() => {
    let current = true;
    core['explore.clusters']({}).then(
      (clusters) => current && setState({ clusters, error: null }),
      (error: unknown) => current && setState({ clusters: null, error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [core, embedded]);
  return state;
}
