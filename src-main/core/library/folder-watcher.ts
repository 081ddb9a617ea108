import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { watch } from 'chokidar';
import { isSkippedDirName } from './folder-walk';

export type FolderChange =
  { path: string; kind: 'index' | 'remove' } | { path: string; kind: 'remove-dir' };

export interface FolderWatcherEvents {
  onChange(change: FolderChange): void;
  /** The watched root itself disappeared (unmounted drive): the folder goes offline. */
  onRootGone(): void;
  /** Native watching failed for a system limit; the watcher now polls. */
  onNotice(message: string): void;
}

/** How long a file's size must stay the same before it is read: not half-way through a copy. */
export const WRITE_SETTLE_MS = 1000;
const POLL_INTERVAL_MS = 5000;

/**
 * A thin adapter over chokidar for one library folder ([Note: Watching]). Returns a disposer.
 *
 * [Note: Watching] Native watchers (inotify, FSEvents, ReadDirectoryChangesW) report changes at
 * once; files being written are held back until their size is stable (awaitWriteFinish). When the
 * system refuses more watchers (EMFILE on macOS with many folders, ENOSPC when inotify's
 * max_user_watches is exhausted on Linux) the folder is watched again by polling and the user is
 * told why, instead of the watcher failing silently (chokidar#1385, immich#30456).
 */
export function watchFolder(
  root: string,
  events: FolderWatcherEvents,
  start: (
    root: string,
    events: FolderWatcherEvents,
    usePolling: boolean,
  ) => WatcherHandle = startWatcher,
): () => Promise<void> {
  let watcher = start(root, events, false);
  let polling = false;
  const onError = (error: unknown): void => {
    const code = (error as { code?: string }).code;
    if (polling || (code !== 'EMFILE' && code !== 'ENOSPC')) return;
    polling = true;
    const old = watcher;
    watcher = start(root, events, true);
    watcher.on('error', onError);
    void old.close();
    events.onNotice(
      `Watching ${root} by polling every ${POLL_INTERVAL_MS / 1000} s: the system limit on file watchers was reached (${code}).`,
    );
  };
  watcher.on('error', onError);
  return () => watcher.close();
}

/** The part of chokidar's FSWatcher this adapter uses (tests pass a fake to raise errors). */
export type WatcherHandle = Pick<FSWatcher, 'on' | 'close'>;

function startWatcher(root: string, events: FolderWatcherEvents, usePolling: boolean): FSWatcher {
  const watcher = watch(root, {
    ignoreInitial: true,
    followSymlinks: true,
    usePolling,
    interval: POLL_INTERVAL_MS,
    binaryInterval: POLL_INTERVAL_MS,
    awaitWriteFinish: { stabilityThreshold: WRITE_SETTLE_MS, pollInterval: 100 },
    ignored: (entryPath: string) =>
      entryPath !== root && isSkippedDirName(path.basename(entryPath)),
  });
  watcher.on('add', (filePath) => events.onChange({ path: filePath, kind: 'index' }));
  watcher.on('change', (filePath) => events.onChange({ path: filePath, kind: 'index' }));
  watcher.on('unlink', (filePath) => events.onChange({ path: filePath, kind: 'remove' }));
  watcher.on('unlinkDir', (dirPath) => {
    if (dirPath === root) events.onRootGone();
    else events.onChange({ path: dirPath, kind: 'remove-dir' });
  });
  return watcher;
}
