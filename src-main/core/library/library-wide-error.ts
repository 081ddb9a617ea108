import { PhotoseekError } from '../../shared/errors';

export interface LibraryLocation {
  databasePath: string;
  thumbnailsDir: string;
}

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const READ_ONLY = new Set(['EROFS', 'SQLITE_READONLY']);
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
const LIBRARY_WIDE_CODES: ReadonlySet<string> = new Set(['DISK_FULL', 'DATABASE', 'LIBRARY_BUSY']);

/**
 * [Note: Per-file and library-wide problems] A problem with one file (unreadable, corrupt, a
 * thumbnail that cannot be encoded) becomes a failure row and the run goes on. A problem with
 * the library itself (the disk is full, the database or thumbnail folder is read-only, damaged or
 * stays locked) would fail every file the same way: recording thousands of identical failures
 * would be noise and would lose the queue. Such a problem stops the run with one line (what,
 * where, what to do); the jobs stay queued, so the next run (or the live queue's retry)
 * continues once the cause is gone. Returns that error, or undefined for a per-file problem.
 */
/** Whether `error` is one that libraryWideError made (or that means the same). */
export function isLibraryWideError(error: unknown): error is PhotoseekError {
  return error instanceof PhotoseekError && LIBRARY_WIDE_CODES.has(error.code);
}

export function libraryWideError(
  error: unknown,
  where: LibraryLocation,
): PhotoseekError | undefined {
  if (isLibraryWideError(error)) return error;
  const code = errorCode(error);
  const resume =
    'Nothing was lost: the remaining photos stay queued and indexing continues where it stopped.';
  if (DISK_FULL.has(code)) {
    return new PhotoseekError(
      'DISK_FULL',
      `The disk holding the library (${where.databasePath}) is full, so indexing stopped. Free some space, then run \`photoseek index\` again (the app retries by itself). ${resume}`,
      { cause: error },
    );
  }
  if (READ_ONLY.has(code)) {
    return new PhotoseekError(
      'DATABASE',
      `The library (${where.databasePath}) has become read-only, so indexing stopped. Check the disk (remounted read-only?) and its permissions. ${resume}`,
      { cause: error },
    );
  }
  if (DAMAGED.has(code)) {
    return new PhotoseekError(
      'DATABASE',
      `The library database ${where.databasePath} is damaged, so indexing stopped. Run \`photoseek repair\` to rebuild it from what is intact.`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new PhotoseekError(
      'DATABASE',
      `Could not write the library database ${where.databasePath} (a disk I/O error), so indexing stopped. Check the disk. ${resume}`,
      { cause: error },
    );
  }
  if (BUSY.has(code)) {
    return new PhotoseekError(
      'LIBRARY_BUSY',
      `The library database ${where.databasePath} stayed locked by another program for too long, so indexing stopped. ${resume}`,
      { cause: error },
    );
  }
  if ((code === 'EACCES' || code === 'EPERM') && pathOf(error).startsWith(where.thumbnailsDir)) {
    return new PhotoseekError(
      'DATABASE',
      `Cannot write previews into ${where.thumbnailsDir} (permission denied), so indexing stopped. Check the folder's permissions. ${resume}`,
      { cause: error },
    );
  }
  return undefined;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function pathOf(error: unknown): string {
  const value = (error as { path?: unknown } | null)?.path;
  return typeof value === 'string' ? value : '';
}
