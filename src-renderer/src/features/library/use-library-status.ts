import { useCallback, useEffect, useRef, useState } from 'react';
import type { LibraryStatus } from '../../../../src-main/shared/types';
import { errorMessage, useBridge } from '../../api';

export interface Library {
  status: LibraryStatus | null;
  error: string | null;
  refresh: () => void;
}

/** The library's folders, counts and model; refreshed after anything that changes them. */
export function useLibraryStatus(): Library {
  const { core } = useBridge();
  const [state, setState] = useState<{ status: LibraryStatus | null; error: string | null }>({
    status: null,
    error: null,
  });
  const latestRequest = useRef(0);

  const refresh = useCallback(() => {
    const request = ++latestRequest.current;
    core['library.status']().then(
      (status) => {
        if (request === latestRequest.current) setState({ status, error: null });
      },
      (error: unknown) => {
        if (request === latestRequest.current)
          setState((previous) => ({ ...previous, error: errorMessage(error) }));
      },
    );
  }, [core]);

  useEffect(refresh, [refresh]);
  return { ...state, refresh };
}
