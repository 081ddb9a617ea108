import type { FailureStage } from '../../shared/types';

/**
 * [Note: Media failures] Every way a file can fail to become a photo is a MediaError with a
 * stable `code` and the pipeline `stage` it failed in. The library turns these into `failures`
 * rows (path, stage, code, message) and the UI shows the message as is, so messages are written
 * for people: what is wrong with the file, not which libvips function complained. Messages do
 * not repeat the path; the failure row and the caller already have it.
 *
 * Only READ_FAILED is transient (a busy network share, a locked file, too many open files, a
 * disk hiccup). Every other code fails the same way for the same bytes, so retrying is pointless
 * until the file itself changes (new size or mtime), which the scanner notices anyway.
 */
export type MediaErrorCode =
  /** The path does not exist (any more), or a link leads nowhere. */
  | 'NOT_FOUND'
  /** The name is not valid UTF-8, so no path names it ([Note: Names that are not UTF-8]). */
  | 'NAME_NOT_UTF8'
  /** A folder, socket or device where a file was expected. */
  | 'NOT_A_FILE'
  /** The operating system refused to open the file. */
  | 'PERMISSION_DENIED'
  /** Reading failed for a reason that can go away (EBUSY, EAGAIN, EMFILE, EIO …). */
  | 'READ_FAILED'
  /** Zero bytes. */
  | 'EMPTY_FILE'
  /** Larger than MAX_FILE_BYTES; not read at all. */
  | 'FILE_TOO_LARGE'
  /** The content is not an image format Photoseek reads (judged by magic bytes, not by name). */
  | 'UNSUPPORTED_FORMAT'
  /** The header announces more pixels than the limit (pixel bombs, giant scans). */
  | 'TOO_MANY_PIXELS'
  /** A metadata block far larger than any real one ([Note: Metadata blocks are bounded]). */
  | 'METADATA_TOO_LARGE'
  /** An image format we read, but its data is damaged or cut short. */
  | 'CORRUPT'
  /** A camera raw without an embedded JPEG preview ([Note: Camera raw via preview]). */
  | 'NO_RAW_PREVIEW';

export type MediaStage = Extract<FailureStage, 'read' | 'decode'>;

export class MediaError extends Error {
  readonly stage: MediaStage;
  readonly code: MediaErrorCode;

  constructor(stage: MediaStage, code: MediaErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MediaError';
    this.stage = stage;
    this.code = code;
  }
}

/**
 * True when retrying cannot help until the file changes: a MediaError of any code but
 * READ_FAILED. Anything else (transient I/O, an AbortError, an unexpected bug) is not permanent,
 * so the job queue may try again.
 */
export function isPermanentMediaError(error: unknown): boolean {
  return error instanceof MediaError && error.code !== 'READ_FAILED';
}

/** Throws the signal's AbortError (or a fresh one when it was aborted with another reason). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') throw reason;
  throw new DOMException('The operation was aborted.', 'AbortError');
}

/** A Node fs error (ENOENT, EACCES …) as a read-stage MediaError. */
export function fsErrorToMediaError(error: unknown): MediaError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ELOOP':
      return new MediaError('read', 'NOT_FOUND', 'The file does not exist (any more).', {
        cause: error,
      });
    case 'EISDIR':
      return new MediaError('read', 'NOT_A_FILE', 'This is a folder, not a file.', {
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new MediaError('read', 'PERMISSION_DENIED', 'Photoseek is not allowed to read it.', {
        cause: error,
      });
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new MediaError('read', 'READ_FAILED', `The file could not be read (${detail}).`, {
        cause: error,
      });
    }
  }
}
