import { useCallback, useEffect, useState } from 'react';
import type { ModelSummary } from '../../../../src-main/shared/types';
import { useBridge } from '../../api';

/** The registry and local models with their installed/active flags. */
export function useModels(): { models: ModelSummary[]; refresh: () => void } {
  const { core } = useBridge();
  const [models, setModels] = useState<ModelSummary[]>([]);
  const refresh = useCallback(() => {
    // A failed listing leaves the last list on screen; the status panel reports model errors.
    core['models.list']().then(setModels, () => undefined);
  }, [core]);
  useEffect(refresh, [refresh]);
  return { models, refresh };
}
