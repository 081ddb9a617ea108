import { useCallback, useEffect, useState } from 'react';
import type { IndexProgress } from '../../../../src-main/shared/types';
import { errorMessage, isCancelled, useBridge } from '../../api';

export interface Indexing {
  /** The latest 'index.progress' event, whoever started the run. */
  progress: IndexProgress | null;
  state: 'idle' | 'running' | 'paused';
  /** The execution provider the core reported last (cpu, webgpu, dml, …). */
  provider: string | null;
  error: string | null;
  start: (folders?: string[]) => void;
  pause: () => void;
}

/**
 * [Note: Pause is cancel] The core's queue is persistent and skips finished photos, so "Pause"
 * cancels the run (index.cancel) and "Resume" starts a new one that continues where it stopped.
 * The progress shown comes only from 'index.progress' events, so a run the app started by itself
 * (at launch, from the folder watcher) shows up the same way as one started here.
 */
export function useIndexing(onRunEnded: () => void): Indexing {
  const bridge = useBridge();
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  const [paused, setPaused] = useState(false);
  const [provider, setProvider] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      bridge.on('index.progress', (event) => {
        setProgress(event);
        if (event.provider) setProvider(event.provider);
        if (event.phase === 'scanning') setPaused(false);
        if (event.phase === 'done') onRunEnded();
      }),
    [bridge, onRunEnded],
  );

  const start = useCallback(
    (folders?: string[]) => {
      setError(null);
      setPaused(false);
      const run = folders ? bridge.core['index.start'](folders) : bridge.core['index.start']();
      run.then(onRunEnded, (cause: unknown) => {
        if (isCancelled(cause)) setPaused(true);
        else setError(errorMessage(cause));
        onRunEnded();
      });
    },
    [bridge, onRunEnded],
  );

  const pause = useCallback(() => {
    bridge.core['index.cancel']().then(
      () => setPaused(true),
      (cause: unknown) => setError(errorMessage(cause)),
    );
  }, [bridge]);

  const running = progress !== null && progress.phase !== 'done';
  const state = paused ? 'paused' : running ? 'running' : 'idle';
  return { progress, state, provider, error, start, pause };
}
