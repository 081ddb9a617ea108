import { stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IndexProgress, IndexReport, LibraryFolder } from '../../shared/types';
import type { JobQueue, NewJob } from '../store/job-queue';
import { JOB_PRIORITY } from '../store/job-queue';
import type { WriterLease } from '../store/writer-lease';
import type { DrainOptions, DrainResult, IndexerDeps } from './indexer';
import { drainQueue } from './indexer';
import { isLibraryWideError, libraryWideError } from './library-wide-error';
import { scanFolderIntoQueue } from './folder-reconcile';
import type { FolderChange } from './folder-watcher';
import { watchFolder, WRITE_SETTLE_MS } from './folder-watcher';
import { ProgressTracker } from './progress-tracker';

export interface LibraryEvents {
  onProgress?(progress: IndexProgress): void;
  /** Something the user should know that is not an error (polling fallback, folder offline). */
  onNotice?(message: string): void;
  /** A run (scan and drain, or drain alone) finished without error, under the writer lease or not. */
  onRunEnd?(): void;
}

export interface RunOptions extends Pick<DrainOptions, 'batchSize' | 'decodeConcurrency'> {
  signal?: AbortSignal;
  onProgress?: (progress: IndexProgress) => void;
}

const CHANGE_DEBOUNCE_MS = 300;
/**
 * [Note: Moves seen by a watcher] A move arrives as "unlink old" at once and "add new" only after
 * the new file's size has settled (WRITE_SETTLE_MS). Removals from the watcher therefore wait a
 * little longer than that before they run, so the add re-links the photo first and the move
 * re-embeds nothing. (A scan has both halves at once; queue order handles it there.)
 */
const REMOVE_GRACE_MS = WRITE_SETTLE_MS + 2_000;
const OFFLINE_RECHECK_MS = 30_000;
/** How often a process waiting for the queue's writer lease asks again. */
const LEASE_POLL_MS = 1_000;
/** After a library-wide stop in live mode (disk full…), the queue is tried again this often. */
const LIBRARY_RETRY_MS = 60_000;

/**
 * Keeps the index equal to the disk: explicit runs (scan + drain), and live mode (start-up
 * reconciliation, then watchers feeding the persistent queue). Only one run touches the queue at
 * a time; pause keeps the queue, cancel empties it.
 */
export class LibraryService {
  private running: Promise<unknown> = Promise.resolve();
  private controller: AbortController | undefined;
  private paused = false;
  private pendingChanges = new Map<string, { change: FolderChange; folderId: number }>();
  private changeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: () => IndexerDeps,
    /** The queue itself: pause and cancel need no model ([Note: Switching models]). */
    private readonly jobs: JobQueue,
    private readonly lease: WriterLease,
    private readonly events: LibraryEvents = {},
  ) {}

  /** Scans `folders` (stat only) and indexes what changed. Waits for a run already going. */
  index(folders: readonly LibraryFolder[], options: RunOptions = {}): Promise<IndexReport> {
    this.paused = false; // asking for a run is also asking to resume
    return this.exclusive(options, async (tracker, signal) => {
      const deps = this.deps();
      const started = Date.now();
      tracker.startPhase('scanning', 0);
      let scanned = 0;
      let unchanged = 0;
      let failed = 0;
      for (const folder of folders) {
        const scan = await scanFolderIntoQueue(deps, folder, tracker, signal);
        if (!scan.online)
          this.events.onNotice?.(
            `${folder.path} is offline (missing or unmounted); its photos are kept.`,
          );
        scanned += scan.scanned;
        unchanged += scan.unchanged;
        failed += scan.failed;
      }
      const drained = await this.withLease(signal, () =>
        drainQueue(deps, tracker, { ...drainOptions(options), signal }),
      );
      return {
        scanned,
        indexed: drained.indexed,
        unchanged: unchanged + drained.unchanged,
        failed: failed + drained.failed,
        removed: drained.removed,
        seconds: (Date.now() - started) / 1000,
      };
    });
  }

  /** Live mode: reconcile every folder with the disk, then follow changes. Returns a disposer. */
  watch(folders: readonly LibraryFolder[]): () => Promise<void> {
    const disposers = folders.map((folder) =>
      watchFolder(folder.path, {
        onChange: (change) => this.queueChange(folder, change),
        onRootGone: () => {
          this.deps().store.setFolderOnline(folder.id, false);
          this.events.onNotice?.(
            `${folder.path} went offline; its photos are kept until it comes back.`,
          );
        },
        onNotice: (message) => this.events.onNotice?.(message),
      }),
    );
    const recheck = setInterval(() => void this.recheckOffline(), OFFLINE_RECHECK_MS);
    void this.index(folders).catch((error: unknown) => this.reportLiveError(error));
    return async () => {
      clearInterval(recheck);
      clearTimeout(this.changeTimer);
      clearTimeout(this.retryTimer);
      this.controller?.abort();
      await Promise.all(disposers.map((dispose) => dispose()));
      await this.running.catch(() => undefined);
    };
  }

  /** Stops after the batch in progress; the queue keeps the rest for `resume`. */
  pause(): void {
    this.paused = true;
    this.controller?.abort();
  }

  /** Lifts the pause and runs the queue (unless `drain` is false: no model to run it with yet). */
  resume({ drain = true } = {}): Promise<unknown> {
    this.paused = false;
    return drain ? this.drain() : Promise.resolve();
  }

  /** Stops and forgets the queued work (a later scan finds it again). */
  cancel(): void {
    this.paused = false;
    this.controller?.abort();
    this.jobs.clear();
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** Aborts the run in progress, keeping the queue (used when the core shuts down). */
  cancelRun(): void {
    this.controller?.abort();
  }

  /** Resolves once no run is in progress. */
  async idle(): Promise<void> {
    await this.running.catch(() => undefined);
  }

  /** Runs what is queued (leftovers of a crash, watcher events, deferred retries). */
  drain(options: RunOptions = {}): Promise<unknown> {
    if (this.paused) return Promise.resolve();
    return this.exclusive(options, async (tracker, signal) => {
      const deps = this.deps();
      await this.withLease(signal, () =>
        drainQueue(deps, tracker, { ...drainOptions(options), signal }),
      );
      this.scheduleRetry();
    }).catch((error: unknown) => {
      this.reportLiveError(error);
      throw error;
    });
  }

  /**
   * Runs `drain` as the queue's one writer ([Note: One writer drains the queue]). While another
   * process holds the lease this waits, saying so once; that process drains the jobs queued here
   * as well, so when nothing runnable is left the wait ends with nothing to do.
   */
  private async withLease(
    signal: AbortSignal,
    drain: () => Promise<DrainResult>,
  ): Promise<DrainResult> {
    let told = false;
    for (;;) {
      const attempt = this.lease.tryAcquire();
      if (attempt.acquired) break;
      if (!told) {
        const { label, pid } = attempt.holder;
        this.events.onNotice?.(
          `Another Photoseek process (${label}, pid ${pid}) is indexing this library and takes the files queued here too; waiting for it to finish.`,
        );
        told = true;
      }
      if (this.deps().jobs.runnableCount() === 0)
        return { indexed: 0, unchanged: 0, failed: 0, removed: 0 };
      await sleep(LEASE_POLL_MS, undefined, { signal });
    }
    try {
      this.deps().thumbnails.removeStaleTemporaries(); // the writer clears what a kill left
      return await drain();
    } finally {
      this.lease.release();
    }
  }

  /** Live mode has no caller to throw to: a library-wide stop is a notice and a later retry. */
  private reportLiveError(error: unknown): void {
    if (!isLibraryWideError(error)) return;
    this.events.onNotice?.(error.message);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.drain().catch(() => undefined), LIBRARY_RETRY_MS);
    this.retryTimer.unref();
  }

  private queueChange(folder: LibraryFolder, change: FolderChange): void {
    this.pendingChanges.set(change.path, { change, folderId: folder.id });
    clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => this.flushChanges(), CHANGE_DEBOUNCE_MS);
  }

  /** Coalesced watcher events become live-priority jobs in one transaction. */
  private flushChanges(): void {
    const { store, jobs } = this.deps();
    const batch: NewJob[] = [];
    const notBefore = Date.now() + REMOVE_GRACE_MS;
    const removal = (filePath: string, folderId: number): NewJob => ({
      path: filePath,
      folderId,
      kind: 'remove',
      priority: JOB_PRIORITY.live,
      notBefore,
    });
    for (const { change, folderId } of this.pendingChanges.values()) {
      if (change.kind === 'remove-dir') {
        const prefix = change.path + path.sep;
        for (const file of store.filesInFolder(folderId)) {
          if (file.path.startsWith(prefix)) batch.push(removal(file.path, folderId));
        }
      } else if (change.kind === 'remove') {
        batch.push(removal(change.path, folderId));
      } else {
        batch.push({ path: change.path, folderId, kind: 'index', priority: JOB_PRIORITY.live });
      }
    }
    this.pendingChanges = new Map();
    jobs.enqueue(batch);
    void this.drain().catch(() => undefined);
  }

  private scheduleRetry(): void {
    const at = this.deps().jobs.nextDeferredAt();
    clearTimeout(this.retryTimer);
    if (at === null) return;
    this.retryTimer = setTimeout(
      () => void this.drain().catch(() => undefined),
      Math.max(0, at - Date.now()),
    );
    this.retryTimer.unref();
  }

  private async recheckOffline(): Promise<void> {
    const offline = this.deps()
      .store.listFolders()
      .filter((folder) => !folder.online);
    for (const folder of offline) {
      const info = await stat(folder.path).catch(() => undefined);
      if (info?.isDirectory()) {
        this.events.onNotice?.(`${folder.path} is back online.`);
        void this.index([folder]).catch(() => undefined);
      }
    }
  }

  /** One run at a time; each gets its own abort controller and progress tracker. */
  private exclusive<T>(
    options: RunOptions,
    run: (tracker: ProgressTracker, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const next = this.running
      .catch(() => undefined)
      .then(async () => {
        const controller = new AbortController();
        this.controller = controller;
        const forward = (): void => controller.abort(options.signal?.reason);
        options.signal?.addEventListener('abort', forward, { once: true });
        if (options.signal?.aborted) controller.abort(options.signal.reason);
        const listeners = [options.onProgress, this.events.onProgress].filter(
          (listener) => listener !== undefined,
        );
        const onProgress = (progress: IndexProgress): void =>
          listeners.forEach((listener) => listener(progress));
        const tracker = new ProgressTracker(onProgress, () => this.deps().embedder.provider());
        try {
          const result = await run(tracker, controller.signal);
          tracker.startPhase('done', tracker.doneCount());
          this.events.onRunEnd?.();
          return result;
        } catch (error) {
          // The scan's writes and the drain's alike: a full disk or a damaged database is one line.
          const { store, thumbnails } = this.deps();
          const where = { databasePath: store.db.name, thumbnailsDir: thumbnails.dir };
          throw libraryWideError(error, where) ?? error;
        } finally {
          options.signal?.removeEventListener('abort', forward);
          if (this.controller === controller) this.controller = undefined;
        }
      });
    this.running = next;
    return next;
  }
}

function drainOptions(options: RunOptions): Omit<DrainOptions, 'signal'> {
  return {
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.decodeConcurrency ? { decodeConcurrency: options.decodeConcurrency } : {}),
  };
}
