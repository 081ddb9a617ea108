import { useRef } from 'react';
import type { IndexProgress } from '../../../../src-main/shared/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Icon } from '../../components/Icon';
import { ProgressBar } from '../../components/ProgressBar';
import { baseName, formatCount, formatDuration, formatRate, plural } from '../../format';
import type { Indexing } from './use-indexing';

export interface IndexingStatusProps {
  indexing: Indexing;
  hasFolders: boolean;
  /** Files waiting in the core's queue. */
  queued: number;
  onShowFailures: () => void;
}

/**
 * Live progress of the running index: bar, rate, time left, current file, failures; pause,
 * resume and stop ([Note: The core indexes by itself]).
 */
export function IndexingStatus({
  indexing,
  hasFolders,
  queued,
  onShowFailures,
}: IndexingStatusProps) {
  const { progress, state, error } = indexing;
  const at = progress ? ` at ${formatCount(progress.done)} of ${formatCount(progress.total)}` : '';
  const waiting = queued > 0 ? `${plural(queued, 'file', 'files')} waiting. ` : '';
  const primaryRef = useRef<HTMLButtonElement>(null);
  const primary =
    state === 'running'
      ? { icon: 'pause' as const, label: 'Pause', run: indexing.pause }
      : state === 'paused'
        ? { icon: 'play' as const, label: 'Resume', run: indexing.resume }
        : { icon: 'refresh' as const, label: 'Check for new photos', run: indexing.start };
  return (
    <section className="sidebar-section indexing" aria-label="Indexing">
      <h2>Indexing</h2>
      {state === 'running' && progress && (
        <RunningIndex progress={progress} onShowFailures={onShowFailures} />
      )}
      {state === 'paused' && (
        <p>
          Paused{at}. {waiting}Finished photos are kept.
        </p>
      )}
      {state === 'stopped' && <p>Stopped{at}. Finished photos are kept.</p>}
      {state === 'idle' && (
        <p>
          {progress?.phase === 'done'
            ? lastRunSummary(progress)
            : waiting || (hasFolders ? 'Up to date.' : 'Add a folder to start.')}
        </p>
      )}
      {error && <ErrorMessage title="Indexing stopped" message={error} />}
      {hasFolders && (
        <div className="button-row">
          {/* One primary button whose action follows the state, so focus stays on it. */}
          <button
            ref={primaryRef}
            type="button"
            className="button button-small"
            onClick={primary.run}
          >
            <Icon name={primary.icon} /> {primary.label}
          </button>
          {state === 'running' && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                primaryRef.current?.focus();
                indexing.stop();
              }}
            >
              <Icon name="stop" /> Stop
            </button>
          )}
        </div>
      )}
    </section>
  );
}

function RunningIndex({
  progress,
  onShowFailures,
}: {
  progress: IndexProgress;
  onShowFailures: () => void;
}) {
  if (progress.phase === 'scanning') {
    return (
      <>
        <ProgressBar value={0} total={null} label="Looking for photos" />
        <p>Looking for photos… {progress.total > 0 && `${formatCount(progress.total)} found`}</p>
      </>
    );
  }
  return (
    <>
      <ProgressBar value={progress.done} total={progress.total} label="Indexing progress" />
      <p className="indexing-numbers">
        {formatCount(progress.done)} of {formatCount(progress.total)}
        {progress.rate > 0 && ` · ${formatRate(progress.rate)}`}
        {progress.etaSeconds !== null && ` · about ${formatDuration(progress.etaSeconds)} left`}
      </p>
      {progress.currentFile && (
        <p className="indexing-file" title={progress.currentFile}>
          {baseName(progress.currentFile)}
        </p>
      )}
      {progress.failed > 0 && (
        <button type="button" className="link-button indexing-failed" onClick={onShowFailures}>
          {plural(progress.failed, 'file', 'files')} failed
        </button>
      )}
    </>
  );
}

/** A run that found nothing new (live mode reconciles at every start) leaves the library up to date. */
function lastRunSummary(progress: IndexProgress): string {
  if (progress.indexed === 0 && progress.failed === 0) return 'Up to date.';
  const failed = progress.failed > 0 ? `, ${formatCount(progress.failed)} failed` : '';
  return `Done: ${plural(progress.indexed, 'photo', 'photos')} indexed${failed}.`;
}
