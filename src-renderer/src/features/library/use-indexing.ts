import { useCallback, useEffect, useState } from 'react';
import type { IndexProgress } from '../../../../src-main/shared/types';
import { errorMessage, isCancelled, useBridge } from '../../api';

export interface Indexing {
  /** The latest 'index.progress' event, whoever started the run. */
  progress: IndexProgress | null;
  state: 'idle' | 'running' | 'paused' | 'stopped';
  /** The execution provider the core reported last (cpu, webgpu, dml, …). */
  provider: string | null;
  error: string | null;
  /** Scans every library folder for new and changed photos. */
  start: () => void;
  /** Stops after the current batch and keeps the rest queued for `resume`. */
  pause: () => void;
  resume: () => void;
  /** Stops and drops the queue; photos indexed so far stay, a later scan finds the rest. */
  stop: () => void;
}

/**
 * [Note: The core indexes by itself] The core host keeps the library live ([Note: Live from the
 * start]): it indexes a folder as soon as it is added, files as they change, and everything again
 * after a model switch. So the UI starts no run of its own except "Check for new photos"; what it
 * shows comes only from 'index.progress' events, whoever started the run.
 *
 * Pause and resume are the core's (index.pause keeps the queue, index.resume drains it), and
 * `paused` comes from the library status. A stopped run (index.cancel) sends no final event, so
 * the UI remembers that it stopped one until an event starts a scan or ends a run ('scanning',
 * 'done'); a late 'indexing' event of the stopped run cannot bring it back.
 */
export function useIndexing(paused: boolean, onChanged: () => void): Indexing {
  const bridge = useBridge();
  const { core } = bridge;
  const [progress, setProgress] = useState<IndexProgress | null>(null);
  const [stopped, setStopped] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      bridge.on('index.progress', (event) => {
        setProgress(event);
        if (event.phase !== 'indexing') setStopped(false);
        if (event.phase === 'done') onChanged();
      }),
    [bridge, onChanged],
  );

  /** Sends an indexing command; the status (paused, queued) is read when it is sent and answered. */
  const send = useCallback(
    (command: () => Promise<unknown>, onDone: () => void = () => undefined) => {
      setError(null);
      command().then(
        () => {
          onDone();
          onChanged();
        },
        (cause: unknown) => {
          // A run that pause or stop interrupts ends as CANCELLED: that is not an error.
          if (!isCancelled(cause)) setError(errorMessage(cause));
          onChanged();
        },
      );
      onChanged();
    },
    [onChanged],
  );

  const start = useCallback(() => {
    setStopped(false);
    send(() => core['index.start']());
  }, [core, send]);
  const pause = useCallback(() => send(() => core['index.pause']()), [core, send]);
  const resume = useCallback(() => {
    setStopped(false);
    send(() => core['index.resume']());
  }, [core, send]);
  const stop = useCallback(
    () =>
      send(
        () => core['index.cancel'](),
        () => setStopped(true),
      ),
    [core, send],
  );

  const running = progress !== null && progress.phase !== 'done';
  const state = paused ? 'paused' : stopped ? 'stopped' : running ? 'running' : 'idle';
  return {
    progress,
    state,
    provider: progress?.provider ?? null,
    error,
    start,
    pause,
    resume,
    stop,
  };
}
