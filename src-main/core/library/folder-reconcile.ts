import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LibraryFolder } from '../../shared/types';
import type { NewJob } from '../store/job-queue';
import { JOB_PRIORITY } from '../store/job-queue';
import type { JobQueue } from '../store/job-queue';
import type { LibraryStore } from '../store/library-store';
import type { VectorIndex } from '../vectors/vector-index';
import type { ProgressTracker } from './progress-tracker';
import { scanFolder } from './folder-walk';

export interface FolderScanDeps {
  store: LibraryStore;
  jobs: JobQueue;
  vectors: VectorIndex;
}

export interface FolderScanResult {
  scanned: number;
  unchanged: number;
  failed: number;
  queued: number;
  online: boolean;
}

const ENQUEUE_CHUNK = 500;
/** Scan issues about one entry (not a directory that could not be read): they stay until it changes. */
const FILE_ISSUES = new Set(['BROKEN_LINK', 'NOT_A_FILE', 'NAME_NOT_UTF8']);

/**
 * [Note: Reconciliation by stat] Makes the job queue hold exactly the work that brings the index
 * of `folder` in line with the disk, touching only what changed: a file whose size and mtime match
 * its row (and whose photo has a vector for the active model) costs one stat and nothing else;
 * new or changed files become index jobs; rows whose file is gone become remove jobs. A folder
 * whose root is missing (unmounted drive, network share) is marked offline and left as it is:
 * nothing is removed, and when it comes back nothing is re-embedded.
 */
export async function scanFolderIntoQueue(
  deps: FolderScanDeps,
  folder: LibraryFolder,
  tracker: ProgressTracker,
  signal?: AbortSignal,
): Promise<FolderScanResult> {
  const { store, jobs, vectors } = deps;
  const result: FolderScanResult = { scanned: 0, unchanged: 0, failed: 0, queued: 0, online: true };
  const root = await stat(folder.path).catch(() => undefined);
  if (!root?.isDirectory()) {
    store.setFolderOnline(folder.id, false);
    return { ...result, online: false };
  }
  store.setFolderOnline(folder.id, true);

  const seen = new Set<string>();
  const unreadableDirs: string[] = [];
  let pending: NewJob[] = [];
  const flush = (): void => {
    jobs.enqueue(pending);
    result.queued += pending.length;
    pending = [];
  };

  const walk = scanFolder(folder.path, {
    ...(signal ? { signal } : {}),
    onIssue: (issue) => {
      seen.add(issue.path);
      const fileIssue = FILE_ISSUES.has(issue.code);
      if (!fileIssue) unreadableDirs.push(issue.path);
      result.failed++;
      store.recordFailure({
        path: issue.path,
        folderId: folder.id,
        stage: 'read',
        code: issue.code,
        message: issue.message,
        permanent: fileIssue,
        size: 0,
        mtimeMs: 0,
      });
    },
  });
  for await (const file of walk) {
    seen.add(file.path);
    result.scanned++;
    tracker.scanned(file.path);
    const known = store.file(file.path);
    if (
      known &&
      known.size === file.size &&
      known.mtimeMs === file.mtimeMs &&
      vectors.has(known.photoId)
    ) {
      result.unchanged++;
      continue;
    }
    const failure = store.failure(file.path);
    if (failure?.permanent && failure.size === file.size && failure.mtimeMs === file.mtimeMs) {
      result.failed++;
      continue;
    }
    pending.push({
      path: file.path,
      folderId: folder.id,
      kind: 'index',
      priority: JOB_PRIORITY.backfill,
    });
    if (pending.length >= ENQUEUE_CHUNK) flush();
  }

  // Anything the walk did not see is gone from disk, except under directories it could not read.
  const verified = (filePath: string): boolean =>
    !unreadableDirs.some((dir) => filePath.startsWith(dir + path.sep));
  for (const file of store.filesInFolder(folder.id)) {
    if (!seen.has(file.path) && verified(file.path)) {
      pending.push({
        path: file.path,
        folderId: folder.id,
        kind: 'remove',
        priority: JOB_PRIORITY.backfill,
      });
    }
  }
  flush();
  store.db
    .transaction(() => {
      for (const failedPath of store.failurePathsInFolder(folder.id)) {
        if (!seen.has(failedPath) && verified(failedPath)) store.clearFailure(failedPath);
      }
    })
    .immediate();
  return result;
}
