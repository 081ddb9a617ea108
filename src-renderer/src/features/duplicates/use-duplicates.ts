import { useEffect, useState } from 'react';
import type { DuplicateGroup, DuplicatesProgress } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface Duplicates {
  groups: DuplicateGroup[] | null;
  progress: DuplicatesProgress | null;
  error: string | null;
}

/** explore.duplicates once per library state (`embedded` changes after an index run); the last answer stays shown meanwhile. */
export function useDuplicates(embedded: number): Duplicates {
  const bridge = useBridge();
  const [state, setState] = useState<Duplicates>({ groups: null, progress: null, error: null });
  useEffect(() => {
    let current = true;
    const stop = bridge.on('explore.duplicatesProgress', (progress) => {
      if (current) setState((previous) => ({ ...previous, progress }));
    });
    bridge.core['explore.duplicates']().then(
      (groups) => current && setState({ groups, progress: null, error: null }),
      (error: unknown) =>
        current && setState({ groups: null, progress: null, error: errorMessage(error) }),
    );
    return () => {
      current = false;
      stop();
    };
  }, [bridge, embedded]);
  return state;
}
