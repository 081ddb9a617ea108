import cliProgress from 'cli-progress';
import type {
  ClusterProgress,
  DownloadProgress,
  DuplicatesProgress,
  IndexProgress,
} from '../shared/types';
import { formatDuration } from './format';

/**
 * Indexing progress on stderr (stdout stays clean for `--json`): a live bar with rate, ETA,
 * failures and the execution provider on a terminal; a line every few seconds when piped.
 */
export function createIndexProgressBar(): {
  update(progress: IndexProgress): void;
  /** A line above the bar (a notice), without breaking it. */
  log(message: string): void;
  stop(): void;
} {
  const bar = new cliProgress.SingleBar(
    {
      format:
        '{phase} |{bar}| {percentage}% {value}/{total} | {rate} img/s | ETA {etaText} | {failed} failed | {provider}',
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      if (progress.total === 0) return; // nothing found yet: an empty bar would read "100% 0/0"
      const payload = {
        phase: progress.phase === 'scanning' ? 'Scanning' : 'Indexing',
        rate: progress.rate.toFixed(1),
        etaText: formatDuration(progress.etaSeconds),
        failed: progress.failed,
        provider: progress.provider ?? 'model loading',
      };
      if (!started || !bar.isActive) {
        bar.start(progress.total, progress.done, payload);
        started = true;
      }
      bar.setTotal(progress.total);
      bar.update(progress.done, payload);
    },
    log(message) {
      if (bar.isActive && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stderr.write(`${message}\n`);
    },
    stop() {
      if (bar.isActive) bar.stop();
    },
  };
}

export function createDownloadProgressBar(): {
  update(progress: DownloadProgress): void;
  stop(): void;
} {
  const bar = new cliProgress.SingleBar(
    {
      format: '{file} |{bar}| {percentage}% {received}/{totalMb} MB',
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let current: string | undefined;
  return {
    update(progress) {
      const payload = {
        file: progress.file,
        received: (progress.receivedBytes / 1e6).toFixed(1),
        totalMb: (progress.totalBytes / 1e6).toFixed(1),
      };
      if (current !== progress.file) {
        if (current !== undefined) bar.stop();
        bar.start(progress.totalBytes, progress.receivedBytes, payload);
        current = progress.file;
      }
      bar.update(progress.receivedBytes, payload);
    },
    stop() {
      if (current !== undefined) bar.stop();
    },
  };
}

/** A bar on stderr that starts again for each phase of a long task, labelled by the phase. */
function createPhaseProgressBar<P extends { phase: string; done: number; total: number }>(
  label: (phase: P['phase']) => string,
  unit: (phase: P['phase']) => string = () => '',
): { update(progress: P): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} |{bar}| {percentage}% {value}/{total} {unit}',
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let phase: P['phase'] | undefined;
  return {
    update(progress) {
      const payload = { phase: label(progress.phase), unit: unit(progress.phase) };
      if (phase !== progress.phase) {
        if (bar.isActive) bar.stop();
        bar.start(progress.total, progress.done, payload);
        phase = progress.phase;
      }
      bar.setTotal(progress.total);
      bar.update(progress.done, payload);
    },
    stop() {
      if (bar.isActive) bar.stop();
    },
  };
}

/** Duplicate search on stderr: fingerprints (thumbnails read), calibration, comparison. */
export function createDuplicatesProgressBar() {
  return createPhaseProgressBar<DuplicatesProgress>(
    (phase) => DUPLICATE_PHASES[phase],
    (phase) => (phase === 'comparing' ? 'hash tables' : 'photos'),
  );
}

const DUPLICATE_PHASES: Record<DuplicatesProgress['phase'], string> = {
  fingerprinting: 'Fingerprinting',
  calibrating: 'Calibrating',
  comparing: 'Comparing',
};

const CLUSTER_PHASES: Record<ClusterProgress['phase'], string> = {
  reading: 'Reading vectors',
  clustering: 'Clustering',
  naming: 'Naming (vocabulary)',
  saving: 'Saving',
};

/** Cluster computation on stderr: one bar per phase (only shown when clusters are computed). */
export function createClusterProgressBar() {
  return createPhaseProgressBar<ClusterProgress>((phase) => CLUSTER_PHASES[phase]);
}
